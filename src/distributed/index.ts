// Training across processes and machines on c10d: init() joins a run launched as torchrun
// launches one (launch.ts spawns the local ranks), and a ProcessGroup does the collectives.
export { init, isAvailable, environment } from './init.js';
export type { InitOptions, DistributedEnvironment } from './init.js';
export { ProcessGroup, DistributedError } from './process_group.js';

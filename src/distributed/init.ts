// Joining a run of several processes, as torchrun launches them: each process learns its rank,
// the world size and where rank 0 listens from RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and
// MASTER_PORT (or from options), meets the others through a store, and gets a ProcessGroup:
// Gloo for CPU tensors, NCCL for CUDA ones (one GPU per rank, LOCAL_RANK's by default).
// Before the communicator is built every rank claims its number in the store, so that a rank
// started twice or a disagreement on the world size is one clear error, not a hang.
import { native } from '../backend.js';
import { checkInteger, checkOptions, need } from '../checks.js';
import { cuda } from '../runtime.js';
import { DistributedError, ProcessGroup } from './process_group.js';

export interface InitOptions {
  /** This process's rank in [0, worldSize). Default: $RANK. */
  rank?: number;
  /** Default: $WORLD_SIZE. */
  worldSize?: number;
  /** Rank 0's address: it serves the TCP store there. Default: $MASTER_ADDR, else 127.0.0.1. */
  masterAddr?: string;
  /** Default: $MASTER_PORT, else 29500. */
  masterPort?: number;
  /** Instead of a TCP store: a file every rank can reach (a fresh one per run). */
  storePath?: string;
  /** The address this rank's communicator binds to. Default: 127.0.0.1 when the master is on loopback, else this host's name. */
  hostname?: string;
  /** Every wait (joining, each collective) gives up after this long. Default 300 000 ms, or $PINN_TORCH_DIST_TIMEOUT_MS. */
  timeoutMs?: number;
  /**
   * 'gloo' (collectives on the CPU) or 'nccl' (on this rank's GPU; a CUDA build of the addon).
   * Default: 'nccl' where the build has it and a GPU is present, else 'gloo'. Either takes
   * tensors on any device: those elsewhere are staged through the backend's.
   */
  backend?: Backend;
  /** NCCL only: the CUDA device this rank uses. Default: $LOCAL_RANK, else 0. */
  cudaDevice?: number;
}

export type Backend = 'gloo' | 'nccl';

export interface DistributedEnvironment { rank: number; worldSize: number; localRank: number; masterAddr: string; masterPort: number }

/**
 * True when this build can train across processes, with the backends it has; `reason` says why
 * not where it has none, `reasons` why each missing backend is missing.
 */
export function isAvailable(): { available: boolean; reason: string; backends: Backend[]; reasons: Partial<Record<Backend, string>> } {
  const a = native.distAvailable();
  const backends = ([['gloo', a.gloo], ['nccl', a.nccl]] as const).filter(([, has]) => has).map(([name]) => name);
  const reasons: Partial<Record<Backend, string>> = {};
  if (!a.gloo) reasons.gloo = a.reason;
  if (!a.nccl) reasons.nccl = a.ncclReason;
  return { available: backends.length > 0, reason: backends.length > 0 ? '' : a.reason, backends, reasons };
}

/** The backend init() uses when none is asked for. */
export function defaultBackend({ backends } = isAvailable()): Backend {
  return backends.includes('nccl') && (cuda.isAvailable() || !backends.includes('gloo')) ? 'nccl' : 'gloo';
}

/** The backend asked for, checked against this build and machine; and for NCCL, the rank's GPU. */
function chooseBackend(op: string, backend: unknown, cudaDevice: unknown, localRank: number | undefined): { backend: Backend; cudaIndex: number } {
  need(backend === undefined || backend === 'gloo' || backend === 'nccl', op, 'backend', "'gloo' or 'nccl'", backend);
  const available = isAvailable(), { backends, reasons } = available;
  const chosen = (backend as Backend | undefined) ?? defaultBackend(available);
  if (!backends.includes(chosen)) throw new DistributedError(`${op}: this build has no ${chosen === 'nccl' ? 'NCCL' : 'Gloo'}: ${reasons[chosen]}${backends.length ? ` (it has ${backends.join(', ')})` : ''}`);
  if (chosen === 'gloo') {
    if (cudaDevice !== undefined) throw new DistributedError(`${op}: cudaDevice is for the NCCL backend; Gloo runs on the CPU`);
    return { backend: chosen, cudaIndex: -1 };
  }
  const count = cuda.isAvailable() ? cuda.deviceCount() : 0;
  if (count === 0) throw new DistributedError(`${op}: the NCCL backend needs a CUDA device, and this machine has none (cuda.isAvailable() is false); use backend 'gloo'`);
  const cudaIndex = checkInteger(op, 'cudaDevice', cudaDevice ?? localRank ?? 0, 0, count - 1);
  return { backend: chosen, cudaIndex };
}

function envInteger(name: string, fallback?: number): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  if (!/^\d+$/.test(v.trim())) throw new DistributedError(`distributed.init: $${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** What torchrun's variables say about this process; undefined where they are not set. */
export function environment(): Partial<DistributedEnvironment> {
  return {
    rank: envInteger('RANK'), worldSize: envInteger('WORLD_SIZE'), localRank: envInteger('LOCAL_RANK'),
    masterAddr: process.env.MASTER_ADDR || undefined, masterPort: envInteger('MASTER_PORT'),
  };
}

const isLoopback = (host: string) => host === 'localhost' || host.startsWith('127.') || host === '::1';

/** Joins the run: returns when every rank has joined and the communicator is up. */
export function init(options?: InitOptions): ProcessGroup {
  const op = 'distributed.init';
  const o = checkOptions(op, options, ['rank', 'worldSize', 'masterAddr', 'masterPort', 'storePath', 'hostname', 'timeoutMs', 'backend', 'cudaDevice']);
  const env = environment();
  const { backend, cudaIndex } = chooseBackend(op, o.backend, o.cudaDevice, env.localRank);
  const worldSize = checkInteger(op, 'worldSize', o.worldSize ?? env.worldSize ?? missing('worldSize', 'WORLD_SIZE'), 1, 65536);
  const rank = checkInteger(op, 'rank', o.rank ?? env.rank ?? missing('rank', 'RANK'), 0, worldSize - 1);
  const timeoutMs = checkInteger(op, 'timeoutMs', o.timeoutMs ?? envInteger('PINN_TORCH_DIST_TIMEOUT_MS', 300_000), 1, 2 ** 31 - 1);
  const masterAddr = o.masterAddr ?? env.masterAddr ?? '127.0.0.1';
  need(typeof masterAddr === 'string' && masterAddr.length > 0, op, 'masterAddr', 'a host name or address', masterAddr);
  const masterPort = checkInteger(op, 'masterPort', o.masterPort ?? env.masterPort ?? 29500, 1, 65535);
  if (o.storePath !== undefined) need(typeof o.storePath === 'string' && o.storePath.length > 0, op, 'storePath', 'a file path', o.storePath);
  const hostname = o.hostname ?? (isLoopback(masterAddr) ? '127.0.0.1' : '');
  const where = o.storePath !== undefined ? `the file store ${o.storePath}` : `${masterAddr}:${masterPort}`;

  let id: number;
  try {
    id = native.distInit(o.storePath !== undefined
      ? { rank, worldSize, timeoutMs, store: 'file', path: o.storePath }
      : { rank, worldSize, timeoutMs, store: 'tcp', host: masterAddr, port: masterPort });
  } catch (e) {
    const m = (e as Error).message;
    if (rank === 0 && /address already in use|EADDRINUSE|errno: 98/i.test(m)) throw new DistributedError(`${op}: rank 0 cannot listen on ${where}: the port is in use (another run? choose another with MASTER_PORT / masterPort) (${m})`);
    throw new DistributedError(`${op}: rank ${rank} could not reach the rendezvous store at ${where} within ${timeoutMs} ms: is rank 0 running there, and is the address right? (${m})`);
  }
  try {
    join(id, rank, worldSize, timeoutMs, where);
    native.distConnect(id, backend, hostname, cudaIndex);
  } catch (e) {
    native.distDestroy(id);
    if (e instanceof DistributedError) throw e;
    if (/distributed\.store/.test((e as Error).message)) throw new DistributedError(`${op}: rank ${rank} lost the rendezvous store at ${where} while joining: rank 0, which serves it, has stopped (its own error says why) (${(e as Error).message})`);
    throw new DistributedError(`${op}: rank ${rank} of ${worldSize} could not connect to the others through ${where} within ${timeoutMs} ms (${(e as Error).message})`);
  }
  return new ProcessGroup(id, rank, worldSize, timeoutMs, backend, cudaIndex < 0 ? 'cpu' : `cuda:${cudaIndex}`);
}

/** Blocks this thread (joining is synchronous, like a collective). */
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** fn()'s first non-null value, asked every 20 ms until the deadline; null after it. */
function poll<T>(fn: () => T | null, deadline: number): T | null {
  for (;;) {
    const v = fn();
    if (v !== null || Date.now() >= deadline) return v;
    sleep(20);
  }
}

function missing(option: string, variable: string): never {
  throw new DistributedError(`distributed.init: no ${option}: pass options.${option} or set $${variable} (as torchrun and pinn-torch train --nproc do)`);
}

// Every rank compares the world size it was given with rank 0's, then claims its number. A disagreement is written to the store, so that the rank
// left waiting (often rank 0) reports it too instead of timing out in silence.
function join(id: number, rank: number, worldSize: number, timeoutMs: number, where: string): void {
  const op = 'distributed.init';
  // The world size first: a rank that disagrees never claims, so rank 0 cannot go on without it.
  const theirs = rank === 0 ? String(worldSize) : poll(() => native.distStoreGet(id, 'pinn/world'), Date.now() + timeoutMs);
  if (theirs === null) throw new DistributedError(`${op}: rank ${rank} waited ${timeoutMs} ms at ${where} and rank 0 never joined`);
  if (Number(theirs) !== worldSize) {
    const message = `rank ${rank} was started with world size ${worldSize} but rank 0 with ${theirs}`;
    native.distStoreSet(id, 'pinn/error', message);
    throw new DistributedError(`${op}: ${message}; every rank must be given the same WORLD_SIZE`);
  }
  if (native.distStoreAdd(id, `pinn/claim/${rank}`, 1) > 1) {
    native.distStoreSet(id, 'pinn/error', `rank ${rank} was started twice`);
    throw new DistributedError(`${op}: rank ${rank} was started twice (another process already joined ${where} as rank ${rank}); give each process its own RANK`);
  }
  if (rank === 0) native.distStoreSet(id, 'pinn/world', String(worldSize));
  // Wait for every claim, looking for a reported error now and then.
  const deadline = Date.now() + timeoutMs;
  for (let r = 0; r < worldSize; r++) {
    for (;;) {
      const error = native.distStoreGet(id, 'pinn/error');
      if (error !== null) throw new DistributedError(`${op}: ${error}`);
      if (native.distStoreGet(id, `pinn/claim/${r}`) !== null) break;
      if (Date.now() >= deadline) {
        const absent = [...Array(worldSize).keys()].filter((k) => native.distStoreGet(id, `pinn/claim/${k}`) === null);
        throw new DistributedError(`${op}: rank ${rank} waited ${timeoutMs} ms at ${where} for rank${absent.length > 1 ? 's' : ''} ${absent.join(', ')} of ${worldSize}, which never joined`);
      }
      sleep(20);
    }
  }
}

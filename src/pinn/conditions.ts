// Loss terms of a PINN (DeepXDE's icbc, as small classes over one base): each has a name,
// its own points, a weight, and a residual; its loss is the mean of residual² (or |·|²).
// The base is conditions/base.ts; each kind of term has its own file there.
export { Condition, type Coefficients, type ConditionOptions, type LossName, type ResidualFn, type Value } from './conditions/base.js';
export { OperatorBC, PDE, type PDEOptions } from './conditions/pde.js';
export { DirichletBC, NeumannBC, RobinBC } from './conditions/prescribed.js';
export { PeriodicBC } from './conditions/periodic.js';
export { InitialCondition, InitialVelocity } from './conditions/initial.js';
export { PointSetData } from './conditions/data.js';
export { Continuity } from './conditions/continuity.js';

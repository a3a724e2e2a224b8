// The elastography seed's two training configurations ("Common Training Configurations"), as
// options of mreProblem and a plan of Adam steps. The seed trains in physical units, where its
// PDE weight starts tiny; here the task is in scaled units (problem.ts), so where the seed
// leaves a value implicit the scaled equivalent is chosen and said so.
import { type MREPINNOptions } from './model.js';
import { type MREProblemOptions } from './problem.js';

export interface MRETrainingPreset {
  description: string;
  problem: MREProblemOptions;
  model: MREPINNOptions;
  /** Adam, the seed's default optimizer, at its learning rate. */
  steps: number; lr: number;
}

export const MRE_PRESETS: Record<'quick-test' | 'full-training', MRETrainingPreset> = {
  // model = MREPINNModel(example, pinn, pde, loss_weights=[1, 0, 0, 1e-8], n_points=1024); model.train(10000)
  // The PDE weight is 0: the seed's quick test fits the data (u, and the anatomy when present) only.
  'quick-test': {
    description: "The seed's Quick Test (Simulation): loss weights [1, 0, 0, 1e-8], 1024 points, 10 000 Adam steps at 1e-4",
    problem: { lossWeights: [1, 0, 0, 1e-8], nPoints: 1024, period: 1 },
    model: { siren: true },
    steps: 10_000, lr: 1e-4,
  },
  // loss_weights=[1, 0, 1, 1e-4], pde_warmup_iters=10000, pde_step_iters=5000, n_points=1024; model.train(100000)
  // The seed's step factor is 10; its initial PDE weight is set for physical units, so here it
  // starts at 1e-4 of the scaled PDE loss and reaches its loss weight 1 after four steps.
  'full-training': {
    description: "The seed's Full Training (Patient): loss weights [1, 0, 1, 1e-4], PDE warm-up 10 000 steps then ×10 every 5000, 1024 points, 100 000 Adam steps at 1e-4",
    problem: { lossWeights: [1, 0, 1, 1e-4], pdeWarmupIters: 10_000, pdeInitWeight: 1e-4, pdeStepIters: 5000, pdeStepFactor: 10, nPoints: 1024, period: 1 },
    model: { siren: true },
    steps: 100_000, lr: 1e-4,
  },
};

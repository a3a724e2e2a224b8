// Where a training step falls among the fit's phases, and the step a schedule counts: sampling
// strategies and loss weightings that name a phase count that phase's steps and act only in it.

/** A step's phase (its name) and the steps of that phase already completed; the Trainer fills it. */
export interface PhaseStep { phase: string; phaseStep: number }

/**
 * The step a schedule counts: `step` itself without `phase`; with it, the steps completed in
 * that phase, or null outside it (the schedule does not act).
 */
export function scheduledStep(step: number, phase: string | undefined, at: PhaseStep | undefined): number | null {
  if (phase === undefined) return step;
  return at?.phase === phase ? at.phaseStep : null;
}

// Every problem kind the CLI trains, once: the config schema's `problem` union, buildRun and the
// error messages all read this list. A new kind is a file beside this one and a line below.
import { z } from 'zod';
import { unknownName } from '../errors.js';
import { burgers } from './burgers.js';
import { elasticWave2D } from './elastic_wave_2d.js';
import { type ProblemKind } from './kind.js';
import { mreHelmholtz } from './mre_helmholtz.js';
import { mrePinn } from './mre_pinn.js';
import { poisson2D } from './poisson_2d.js';

export const PROBLEM_KINDS = [elasticWave2D, mreHelmholtz, poisson2D, burgers, mrePinn] as const;
export const PROBLEM_TYPES: string[] = PROBLEM_KINDS.map((k) => k.name);

type SchemaOf<K> = K extends { schema: infer S } ? S : never;
type SchemasOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: SchemaOf<T[K]> };
type Schemas = SchemasOf<typeof PROBLEM_KINDS>;
/** The config's `problem`: one object per kind, told apart by `type`. */
export const problemSchema = z.discriminatedUnion('type', PROBLEM_KINDS.map((k) => k.schema) as unknown as Schemas);

/** The kind a (validated) problem.type names. */
export function problemKind(type: string): ProblemKind {
  const k = PROBLEM_KINDS.find((x) => x.name === type);
  if (!k) throw unknownName('problem type', type, PROBLEM_TYPES);
  return k as unknown as ProblemKind;
}

export type { BuildContext, BuiltProblem, PhaseConfig, ProblemKind } from './kind.js';

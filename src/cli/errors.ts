// The CLI's user-facing errors, in a module of their own so that `pinn-torch --help` and usage
// mistakes load neither the config schema nor the library (whose registries load the addon).
import { didYouMean } from '../errors.js';

/** A user-facing error: the CLI prints its message as one line, without a stack trace. */
export class UsageError extends Error {}

/** `name` → "unknown X 'name'; did you mean 'other'?" when one of `known` is close. */
export function unknownName(what: string, name: string, known: readonly string[]): UsageError {
  return new UsageError(`unknown ${what} '${name}'${didYouMean(name, known)} (known: ${known.join(', ')})`);
}

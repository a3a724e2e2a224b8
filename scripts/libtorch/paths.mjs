import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where downloaded LibTorch archives are unpacked: $PINN_TORCH_CACHE or ~/.cache/pinn-torch. */
export function cacheRoot(env = process.env) {
  return env.PINN_TORCH_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'pinn-torch');
}

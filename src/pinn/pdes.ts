// Residuals of the PDEs pinn-torch ships. Each returns a ResidualFn for PDE(...): zero where
// the equation holds. Coefficient names (e.g. 'rho', 'lambda', 'mu') are looked up in the
// problem's coefficients (trainable or constant), so any of them can be learned.
import { complex } from '../functional.js';
import { Tensor } from '../tensor.js';
import { type Coefficients, type ResidualFn } from './conditions.js';
import { type Derivatives } from './derivatives.js';

function coef(c: Coefficients, name: string, pde: string): Tensor {
  const t = c[name];
  if (!t) throw new Error(`${pde}: coefficient '${name}' is not defined (give it in the problem's coefficients or constants)`);
  return t;
}

/**
 * 2-D isotropic elastic wave, ρ u_tt = (λ+2μ)∇(∇·u) − μ∇×∇×u, in components:
 *   r₁ = ρ ux_tt − (λ+2μ) ux_xx − (λ+μ) uy_xy − μ ux_yy
 *   r₂ = ρ uy_tt − (λ+2μ) uy_yy − (λ+μ) ux_xy − μ uy_xx
 * Outputs 'ux', 'uy'; inputs 'x', 'y', 't'; coefficients 'rho', 'lambda', 'mu'.
 */
export function elasticWave2D(): ResidualFn {
  return (d, c) => {
    const rho = coef(c, 'rho', 'elasticWave2D'), lam = coef(c, 'lambda', 'elasticWave2D'), mu = coef(c, 'mu', 'elasticWave2D');
    const p = lam.add(mu.mul(2)), q = lam.add(mu);
    // Each component's own terms as one combination (one forward channel each, with fixed coefficients).
    const r1 = d.combination('ux', [[rho, 't', 't'], [p.neg(), 'x', 'x'], [mu.neg(), 'y', 'y']]).sub(q.mul(d.d('uy', 'x', 'y')));
    const r2 = d.combination('uy', [[rho, 't', 't'], [p.neg(), 'y', 'y'], [mu.neg(), 'x', 'x']]).sub(q.mul(d.d('ux', 'x', 'y')));
    return [r1, r2];
  };
}

/** A complex field from two real outputs: u = re + i·im, and its derivatives likewise. */
export function complexField(d: Derivatives, re: string, im: string, ...wrt: string[]): Tensor {
  return complex(d.d(re, ...wrt), d.d(im, ...wrt));
}

/**
 * Scalar Helmholtz form of time-harmonic elastography (MRE): μ∇²u + ρω²u = 0, u complex
 * (outputs `re`, `im`), μ a coefficient or an output field ('mu' output when `muOutput`).
 */
export function helmholtz({ spatial = ['x', 'y'], re = 'u_re', im = 'u_im', muOutput }: { spatial?: string[]; re?: string; im?: string; muOutput?: string } = {}): ResidualFn {
  return (d, c) => {
    const rhoOmega2 = coef(c, 'rho', 'helmholtz').mul(coef(c, 'omega', 'helmholtz').square());
    const mu = muOutput ? d.value(muOutput) : coef(c, 'mu', 'helmholtz');
    const lap = complex(d.laplacian(re, spatial), d.laplacian(im, spatial));
    return [lap.mul(mu).add(complexField(d, re, im).mul(rhoOmega2))];
  };
}

/**
 * Heterogeneous Navier–Cauchy (MRE): ∇·[μ(∇u + ∇uᵀ)] + ρω²u = 0 for a complex vector field u,
 * component i: Σⱼ ∂ⱼμ (∂ⱼuᵢ + ∂ᵢuⱼ) + μ (∂ⱼ∂ⱼuᵢ + ∂ᵢ∂ⱼuⱼ) + ρω²uᵢ, with μ an output field.
 * `components[i] = [reName, imName]` for the displacement along spatial[i].
 */
export function navierCauchy({ spatial = ['x', 'y'], components = [['ux_re', 'ux_im'], ['uy_re', 'uy_im']], muOutput = 'mu' }:
  { spatial?: string[]; components?: [string, string][]; muOutput?: string } = {}): ResidualFn {
  if (components.length !== spatial.length) throw new Error(`navierCauchy: ${components.length} components for ${spatial.length} spatial inputs`);
  return (d, c) => {
    const rhoOmega2 = coef(c, 'rho', 'navierCauchy').mul(coef(c, 'omega', 'navierCauchy').square());
    const mu = d.value(muOutput);
    const u = (i: number, ...wrt: string[]) => complexField(d, components[i][0], components[i][1], ...wrt);
    return spatial.map((xi, i) => {
      let r = u(i).mul(rhoOmega2);
      spatial.forEach((xj, j) => {
        const strain = u(i, xj).add(u(j, xi));
        const dStrain = u(i, xj, xj).add(u(j, xi, xj));
        r = r.add(strain.mul(d.d(muOutput, xj))).add(dStrain.mul(mu));
      });
      return r;
    });
  };
}

/** −∇²u = f(x). */
export function poisson(f: (x: Tensor) => Tensor, { spatial = ['x', 'y'], output = 'u' } = {}): ResidualFn {
  return (d) => [d.laplacian(output, spatial).neg().sub(f(d.x))];
}

/** u_t = α ∇²u (coefficient 'alpha'). */
export function heat({ spatial = ['x'], output = 'u', time = 't' } = {}): ResidualFn {
  return (d, c) => [d.d(output, time).sub(d.laplacian(output, spatial).mul(coef(c, 'alpha', 'heat')))];
}

/** u_tt = c² u_xx (coefficient 'c'). */
export function wave1D({ output = 'u', space = 'x', time = 't' } = {}): ResidualFn {
  return (d, c) => [d.d(output, time, time).sub(d.d(output, space, space).mul(coef(c, 'c', 'wave1D').square()))];
}

/** u_t + u u_x = ν u_xx (coefficient 'nu'). */
export function burgers({ output = 'u', space = 'x', time = 't' } = {}): ResidualFn {
  return (d, c) => {
    const u = d.value(output);
    return [d.d(output, time).add(u.mul(d.d(output, space))).sub(d.d(output, space, space).mul(coef(c, 'nu', 'burgers')))];
  };
}

/** u_t = D u_xx − 5(u³ − u), the Allen–Cahn benchmark of jaxpi (coefficient 'D', e.g. 1e-4). */
export function allenCahn({ output = 'u', space = 'x', time = 't' } = {}): ResidualFn {
  return (d, c) => {
    const u = d.value(output);
    return [d.d(output, time).sub(d.d(output, space, space).mul(coef(c, 'D', 'allenCahn'))).add(u.pow(3).sub(u).mul(5))];
  };
}

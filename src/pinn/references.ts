// Reference solutions for the shipped PDEs: closed forms where they exist, a short
// computation otherwise. Each maps points x [N, inputs] (float64 recommended) to u [N, outputs].
import { cat } from '../functional.js';
import { tensor } from '../creation.js';
import { Tensor } from '../tensor.js';

const col = (x: Tensor, i: number) => x.narrow(1, i, 1);

/** Heat on [0, 1], u(0,t) = u(1,t) = 0, u(x,0) = sin πx: u = exp(−α π² t) sin πx. Inputs (x, t). */
export const heat1D = (alpha: number) => (x: Tensor): Tensor =>
  col(x, 1).mul(-alpha * Math.PI ** 2).exp().mul(col(x, 0).mul(Math.PI).sin());

/** Wave on [0, 1], fixed ends, u(x,0) = sin πx, u_t(x,0) = 0: u = sin πx cos cπt. Inputs (x, t). */
export const wave1D = (c: number) => (x: Tensor): Tensor =>
  col(x, 0).mul(Math.PI).sin().mul(col(x, 1).mul(c * Math.PI).cos());

/** Poisson −∇²u = 2π² sin πx sin πy on [0, 1]² with u = 0 on the boundary: u = sin πx sin πy. */
export const poisson2D = {
  solution: (x: Tensor): Tensor => col(x, 0).mul(Math.PI).sin().mul(col(x, 1).mul(Math.PI).sin()),
  source: (x: Tensor): Tensor => col(x, 0).mul(Math.PI).sin().mul(col(x, 1).mul(Math.PI).sin()).mul(2 * Math.PI ** 2),
};

/**
 * Plane P and S waves of 2-D isotropic elasticity: ux = A sin(k x − ω_p t), uy = B sin(k x − ω_s t)
 * with ω_p = k √((λ+2μ)/ρ), ω_s = k √(μ/ρ). Exact for the elastic-wave residual. Inputs (x, y, t).
 */
export function elasticPlaneWaves({ rho, lambda, mu, k = Math.PI, A = 1, B = 0.5 }: { rho: number; lambda: number; mu: number; k?: number; A?: number; B?: number }) {
  const wp = k * Math.sqrt((lambda + 2 * mu) / rho), ws = k * Math.sqrt(mu / rho);
  return (x: Tensor): Tensor => {
    const phase = (w: number) => col(x, 0).mul(k).sub(col(x, 2).mul(w)).sin();
    return cat([phase(wp).mul(A), phase(ws).mul(B)], 1);
  };
}

/** Time-harmonic plane wave u = exp(i k x) with k = ω √(ρ/μ): solves μ∇²u + ρω²u = 0 (constant μ). Outputs (Re u, Im u). */
export function helmholtzPlaneWave({ rho, omega, mu }: { rho: number; omega: number; mu: number }) {
  const k = omega * Math.sqrt(rho / mu);
  return (x: Tensor): Tensor => { const p = col(x, 0).mul(k); return cat([p.cos(), p.sin()], 1); };
}

/**
 * Burgers u_t + u u_x = ν u_xx on x ∈ [−1, 1], u(x, 0) = −sin πx, u(±1, t) = 0, by the Cole–Hopf
 * transform: u = −∫ sin(π(x−η)) f(x−η) G(η) dη / ∫ f(x−η) G(η) dη, f(y) = exp(−cos(πy)/(2πν)),
 * G the heat kernel of variance 2νt. With η = √(4νt)·z the integrals are Gaussian-weighted and
 * are summed on a fine z-grid in log space (f spans e^{±50} for ν = 0.01/π). Inputs (x, t).
 */
export function burgers(nu: number, { nodes = 4001, zMax = 9 } = {}) {
  const zs = Float64Array.from({ length: nodes }, (_, i) => -zMax + (2 * zMax * i) / (nodes - 1));
  const value = (x: number, t: number): number => {
    if (t <= 0) return -Math.sin(Math.PI * x);
    const s = Math.sqrt(4 * nu * t);
    let maxE = -Infinity;
    const e = new Float64Array(nodes);
    for (let i = 0; i < nodes; i++) {
      const y = x - s * zs[i];
      e[i] = -zs[i] * zs[i] - Math.cos(Math.PI * y) / (2 * Math.PI * nu);
      if (e[i] > maxE) maxE = e[i];
    }
    let num = 0, den = 0;
    for (let i = 0; i < nodes; i++) {
      const w = Math.exp(e[i] - maxE);
      num += Math.sin(Math.PI * (x - s * zs[i])) * w;
      den += w;
    }
    return -num / den;
  };
  return (x: Tensor): Tensor => {
    const pts = x.to('float64').data() as Float64Array;
    const n = x.shape[0], out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = value(pts[2 * i], pts[2 * i + 1]);
    return tensor(out, { shape: [n, 1] }).to({ dtype: x.dtype });
  };
}

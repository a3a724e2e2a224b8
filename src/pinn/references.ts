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

/**
 * Allen–Cahn u_t = D u_xx + 5(u − u³) on x ∈ [−1, 1] (periodic), u(x, 0) = x² cos πx: no closed
 * form, so a short computation: 4th-order central differences on `nx` periodic nodes and classical
 * RK4 in time, stepping exactly to each distinct query time; values between nodes by cubic
 * (Catmull–Rom) interpolation. With the defaults (nx 2048, dt 2e-4) it agrees with an independent
 * Fourier-spectral ETDRK4 solution to 3e-7 relative at t = 1 (test/references.test.ts). Inputs (x, t).
 */
export function allenCahn({ D = 1e-4, nx = 2048, dt = 2e-4 }: { D?: number; nx?: number; dt?: number } = {}) {
  const h = 2 / nx;
  const c = D / (12 * h * h);
  const rhs = (u: Float64Array, out: Float64Array) => {
    for (let i = 0; i < nx; i++) {
      const m2 = u[(i - 2 + nx) % nx], m1 = u[(i - 1 + nx) % nx], p1 = u[(i + 1) % nx], p2 = u[(i + 2) % nx], v = u[i];
      out[i] = c * (-m2 + 16 * m1 - 30 * v + 16 * p1 - p2) + 5 * (v - v * v * v);
    }
  };
  const k = Array.from({ length: 4 }, () => new Float64Array(nx));
  const tmp = new Float64Array(nx);
  const rk4 = (u: Float64Array, step: number) => {
    rhs(u, k[0]);
    for (let i = 0; i < nx; i++) tmp[i] = u[i] + 0.5 * step * k[0][i];
    rhs(tmp, k[1]);
    for (let i = 0; i < nx; i++) tmp[i] = u[i] + 0.5 * step * k[1][i];
    rhs(tmp, k[2]);
    for (let i = 0; i < nx; i++) tmp[i] = u[i] + step * k[2][i];
    rhs(tmp, k[3]);
    for (let i = 0; i < nx; i++) u[i] += (step / 6) * (k[0][i] + 2 * k[1][i] + 2 * k[2][i] + k[3][i]);
  };
  const at = (u: Float64Array, x: number): number => {
    const s = (((x + 1) / h) % nx + nx) % nx;
    const i = Math.floor(s), f = s - i;
    const [a, b, cc, d] = [-1, 0, 1, 2].map((o) => u[(i + o + nx) % nx]);
    return b + 0.5 * f * (cc - a + f * (2 * a - 5 * b + 4 * cc - d + f * (3 * (b - cc) + d - a)));
  };
  return (x: Tensor): Tensor => {
    const pts = x.to('float64').data() as Float64Array;
    const n = x.shape[0], out = new Float64Array(n);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => pts[2 * a + 1] - pts[2 * b + 1]);
    const u = Float64Array.from({ length: nx }, (_, i) => { const xi = -1 + i * h; return xi * xi * Math.cos(Math.PI * xi); });
    let t = 0;
    for (const i of order) {
      const target = pts[2 * i + 1];
      if (target < 0) throw new Error(`allenCahn reference: negative time ${target}`);
      while (t < target) { const step = Math.min(dt, target - t); rk4(u, step); t = target - t < dt ? target : t + step; }
      out[i] = at(u, pts[2 * i]);
    }
    return tensor(out, { shape: [n, 1] }).to({ dtype: x.dtype });
  };
}

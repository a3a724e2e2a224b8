// Ops that take several tensors, as free functions (PyTorch's torch.cat, torch.where, …).
import { BINARY, native } from './backend.js';
import { renamed } from './checks.js';
import { invalidArgument } from './errors.js';
import { broadcast, fmt, normDim } from './shape.js';
import { Tensor, alive, checkPair, wrap, wrapHandle } from './tensor.js';

function tensorList(op: string, ts: unknown): Tensor[] {
  if (!Array.isArray(ts) || ts.length === 0) throw invalidArgument(op, 'tensors', 'a non-empty array of Tensors', ts);
  ts.forEach((t, i) => alive(t, op, `tensors[${i}]`));
  const first = ts[0] as Tensor;
  ts.forEach((t: Tensor, i) => {
    if (t.device !== first.device) throw new Error(`${op}: tensors[${i}] is on ${t.device}, tensors[0] on ${first.device}`);
  });
  return ts;
}

/** Joins tensors along an existing dim; all other dims must match. */
export function cat(tensors: Tensor[], dim = 0): Tensor {
  const ts = tensorList('cat', tensors);
  const d = normDim('cat', dim, ts[0].ndim);
  ts.forEach((t, i) => {
    if (t.ndim !== ts[0].ndim || t.shape.some((s, k) => k !== d && s !== ts[0].shape[k])) {
      throw new Error(`cat: tensors[${i}] has shape ${fmt(t.shape)}, incompatible with ${fmt(ts[0].shape)} outside dim ${d}`);
    }
  });
  return wrap(native.cat(ts.map((t) => t.handle), d));
}

/** Joins equally shaped tensors along a new dim. */
export function stack(tensors: Tensor[], dim = 0): Tensor {
  const ts = tensorList('stack', tensors);
  ts.forEach((t, i) => {
    if (fmt(t.shape) !== fmt(ts[0].shape)) throw new Error(`stack: tensors[${i}] has shape ${fmt(t.shape)}, tensors[0] ${fmt(ts[0].shape)}`);
  });
  return wrap(native.stack(ts.map((t) => t.handle), normDim('stack', dim, ts[0].ndim, 1)));
}

/** Elementwise choice: condition ? a : b (broadcast). */
export function where(condition: Tensor, a: Tensor, b: Tensor): Tensor {
  const hc = alive(condition, 'where', 'condition');
  if (condition.dtype !== 'bool') throw new Error(`where: condition must be bool, got ${condition.dtype}`);
  const ha = checkPair('where', condition, a, 'a');
  const hb = checkPair('where', a, b, 'b');
  return wrap(native.where(hc, ha, hb));
}

/** re + i·im from two real tensors of the same dtype. */
export function complex(re: Tensor, im: Tensor): Tensor {
  const h = alive(re, 'complex', 're');
  const hi = checkPair('complex', re, im, 'im');
  if (re.dtype !== im.dtype || (re.dtype !== 'float32' && re.dtype !== 'float64')) {
    throw new Error(`complex: re and im must both be float32 or both float64, got ${re.dtype} and ${im.dtype}`);
  }
  return wrap(native.binary(BINARY.complex, h, hi));
}

/** abs · e^{i·angle} */
export function polar(abs: Tensor, angle: Tensor): Tensor {
  return wrap(native.binary(BINARY.polar, alive(abs, 'polar', 'abs'), checkPair('polar', abs, angle, 'angle')));
}

export function matmul(a: Tensor, b: Tensor): Tensor {
  alive(a, 'matmul', 'a');
  return a.matmul(b);
}

/** y = x Wᵀ + b in one native call (x: [..., in], weight: [out, in], bias: [out]). */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const hx = alive(x, 'linear', 'input');
  const hw = alive(weight, 'linear', 'weight');
  if (weight.ndim !== 2 && weight.ndim !== 1) throw new Error(`linear: weight must be 2-D [out, in] (or 1-D [in]), got ${fmt(weight.shape)}`);
  const inFeatures = weight.shape[weight.ndim - 1];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures) {
    throw new Error(`linear: input ${fmt(x.shape)} does not end in weight's in-features ${inFeatures}`);
  }
  if (x.dtype !== weight.dtype) throw new Error(`linear: input is ${x.dtype} but weight is ${weight.dtype}`);
  if (x.device !== weight.device) throw new Error(`linear: input is on ${x.device} but weight on ${weight.device}`);
  let hb = null;
  if (bias != null) {
    hb = alive(bias, 'linear', 'bias');
    // As PyTorch: any bias that broadcasts to the output ([out], [1] and [] among them).
    const out = [...x.shape.slice(0, -1), ...weight.shape.slice(0, -1)];
    if (fmt(broadcast(out, bias.shape) ?? []) !== fmt(out)) throw new Error(`linear: bias must broadcast to the output ${fmt(out)}, got ${fmt(bias.shape)}`);
  }
  try { return wrap(native.linear(hx, hw, hb)); } catch (e) { throw renamed('linear', e); }
}

// ---- fused kernels of the forward-mode derivative engine (native/jet.cc) ---------------

export type JetActivation = 'tanh' | 'sin';

/** σ(z), σ'(z), σ''(z) in one native call, differentiable in z (once). */
export function activationDerivs(act: JetActivation, z: Tensor): [Tensor, Tensor, Tensor] {
  const h = alive(z, 'activationDerivs', 'z');
  const [a, d1, d2] = native.activationDerivs(act, h);
  return [wrapHandle(a), wrapHandle(d1), wrapHandle(d2)];
}

/**
 * A second-derivative channel of the jet: the pair (i, j) of first-derivative channels for
 * ∂ᵢ∂ⱼ, or terms [c, i, j] for a fixed linear combination Σ c ∂ᵢ∂ⱼ (one channel, however many terms).
 */
export type JetChannel = readonly [number, number] | { readonly terms: readonly (readonly [number, number, number])[] };

/** A channel's terms [c, i, j]: a pair (i, j) is the one term [1, i, j]. */
export const channelTerms = (ch: JetChannel): readonly (readonly [number, number, number])[] => ('terms' in ch ? ch.terms : [[1, ch[0], ch[1]]]);

/**
 * One activation layer of derivative channels, fused: returns σ(z), σ'(z)·d1 and
 * σ'(z)·d2 + σ''(z)·Σ c·d1[i]·d1[j] for z [N, H], d1 [N, C1, H], d2 [N, C2, H] and one
 * JetChannel per channel of d2. CPU, float32/float64; differentiable once (no double backward).
 */
export function activationJet(act: JetActivation, z: Tensor, d1: Tensor, d2: Tensor, channels: readonly JetChannel[]): [Tensor, Tensor, Tensor] {
  const [hz, h1, h2] = [alive(z, 'activationJet', 'z'), alive(d1, 'activationJet', 'd1'), alive(d2, 'activationJet', 'd2')];
  const { ti, tj, starts, tc } = flatTerms(channels);
  const [a, e1, e2] = native.activationJet(act, hz, h1, h2, ti, tj, starts, tc);
  return [wrapHandle(a), wrapHandle(e1), wrapHandle(e2)];
}

/**
 * The pure third-derivative channels of one activation layer, fused: σ'(z)·d3_c + 3σ''(z)·p·q +
 * σ'''(z)·p³ with p = d1[:, first[c]], q = d2[:, second[c]] (channel c's ∂ᵢ and ∂ᵢᵢ), for z [N, H]
 * and d1, d2, d3 [N, C, H]. CPU, float32/float64; its backward is differentiable again.
 */
export function activationThird(act: JetActivation, z: Tensor, d1: Tensor, d2: Tensor, d3: Tensor, first: readonly number[], second: readonly number[]): Tensor {
  const op = 'activationThird';
  const [e3] = native.activationThird(act, alive(z, op, 'z'), alive(d1, op, 'd1'), alive(d2, op, 'd2'), alive(d3, op, 'd3'), first, second);
  return wrapHandle(e3);
}

/** The channels' terms as the native kernels take them: pairs, coefficients, and where each channel starts. */
function flatTerms(channels: readonly JetChannel[]) {
  const ti: number[] = [], tj: number[] = [], tc: number[] = [], starts = [0];
  for (const ch of channels) {
    for (const [c, i, j] of channelTerms(ch)) { tc.push(c); ti.push(i); tj.push(j); }
    starts.push(ti.length);
  }
  return { ti, tj, starts, tc };
}

/**
 * One point set of jetNetworkSets: how many rows of x are its (the sets follow each other), the
 * inputs of its first-derivative channels, its second channels (JetChannels over positions in
 * `first`), and whether its first channels are wanted at the output.
 */
export interface JetSet { rows: number; first: readonly number[]; channels: readonly JetChannel[]; firstOut: boolean }

/**
 * A whole MLP's forward-mode jet in one native call and one autograd node, for several point
 * sets at once, each with its own channels: for x [N, d] (the sets' rows one after another) and
 * the layers' [weight, bias] (at least two layers), the output u [N, out] and per set its first
 * channels ∂u/∂x_first[c] [n, C1, out] (when `firstOut`; else [n, 0, out]) and its second
 * channels [n, C2, out]. Activation between layers: `act`. CPU, float32/float64; its backward
 * is differentiable again.
 */
export function jetNetworkSets(act: JetActivation, x: Tensor, layers: readonly (readonly [Tensor, Tensor])[], sets: readonly JetSet[]): { u: Tensor; sets: [Tensor, Tensor][] } {
  const hx = alive(x, 'jetNetwork', 'x');
  const params = layers.flatMap(([w, b], l) => [alive(w, 'jetNetwork', `weight ${l}`), alive(b, 'jetNetwork', `bias ${l}`)]);
  const nativeSets = sets.map(({ rows, first, channels, firstOut }) => {
    const { ti, tj, starts, tc } = flatTerms(channels);
    return { rows, first, termI: ti, termJ: tj, channelStarts: starts, coefficients: tc, firstOut };
  });
  const [u, ...rest] = native.jetNetwork(act, hx, params, nativeSets);
  return { u: wrapHandle(u), sets: sets.map((_, k) => [wrapHandle(rest[2 * k]), wrapHandle(rest[2 * k + 1])]) };
}

/** jetNetworkSets for one point set, x itself: [u, first channels, second channels]. */
export function jetNetwork(act: JetActivation, x: Tensor, layers: readonly (readonly [Tensor, Tensor])[], first: readonly number[],
  channels: readonly JetChannel[], firstOut: boolean): [Tensor, Tensor, Tensor] {
  alive(x, 'jetNetwork', 'x');
  const { u, sets: [[d1, d2]] } = jetNetworkSets(act, x, layers, [{ rows: x.shape[0], first, channels, firstOut }]);
  return [u, d1, d2];
}

/** One parameter's tensors for fusedAdamStep, with its step's scalars. */
export interface AdamParamStep {
  param: Tensor; grad: Tensor; expAvg: Tensor; expAvgSq: Tensor; maxExpAvgSq?: Tensor;
  /** −lr / (1 − β₁ᵗ) and √(1 − β₂ᵗ) for this parameter's step t. */
  stepSize: number; bias2Sqrt: number;
}

/** A parameter group's Adam options as the update uses them (src/optim/adam.ts computes each). */
export interface AdamGroupScalars {
  beta1: number; oneMinusBeta1: number; beta2: number; oneMinusBeta2: number; eps: number;
  weightDecay: number; decayFactor: number; maximize: boolean; decoupled: boolean; amsgrad: boolean;
}

/**
 * Adam's update of every parameter of a group in one native call, in place and without
 * autograd: the same ATen ops, in the same order and with the same scalars, as src/optim/adam.ts
 * states it, so the same bits (test/optim.test.ts holds the two equal).
 */
export function fusedAdamStep(steps: readonly AdamParamStep[], s: AdamGroupScalars): void {
  const op = 'fusedAdamStep';
  const handles = (key: 'param' | 'grad' | 'expAvg' | 'expAvgSq' | 'maxExpAvgSq') => steps.map((x, i) => {
    const t = x[key];
    const h = alive(t, op, `${key}[${i}]`);
    if (key !== 'param' && t!.device !== x.param.device) throw new Error(`${op}: ${key}[${i}] is on ${t!.device}, its parameter on ${x.param.device}`);
    return h;
  });
  native.adamStep(handles('param'), handles('grad'), handles('expAvg'), handles('expAvgSq'), s.amsgrad ? handles('maxExpAvgSq') : [],
    steps.map((x) => x.stepSize), steps.map((x) => x.bias2Sqrt),
    [s.beta1, s.oneMinusBeta1, s.beta2, s.oneMinusBeta2, s.eps, s.weightDecay, s.decayFactor], s.maximize, s.decoupled, s.amsgrad);
}

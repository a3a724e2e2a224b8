// The native addon's surface, as TypeScript sees it: every function and constant that
// native/*.cc registers (each file's register* function lists its own), with the arguments
// its C++ reads (args.h: num, i64, flag, intList, tensorList, dtypeArg, deviceArg) and what it
// returns. Types only, plus the list of names that test/binding.test.ts compares with what the
// loaded addon exports, so that the two cannot drift apart.
//
// A tensor crosses as a handle: a plain number naming a slot of native/handles.cc's table.
// Ops publish their result's shape, dtype and device in the meta buffer (setMetaBuffer)
// rather than returning them; functions returning a list of handles do not (read it with meta).

/** A native tensor: `slot + generation · 2^20` (native/handles.h). Negative: none. */
export type Handle = number;
/** A c10::ScalarType value, from buildInfo().dtypes. */
export type DTypeCode = number;
/** A c10::DeviceType value, from buildInfo().devices. */
export type DeviceTypeCode = number;
/** A device index; -1 for "the current one". */
export type DeviceIndex = number;
/** An index into one of opNames' lists (the family's op code). */
export type OpCode = number;
/** The activations with fused derivative kernels (native/jet.cc). */
export type JetActivationName = 'tanh' | 'sin';
/** Typed arrays N-API reads as Napi::TypedArray (fromBuffer, setRngState). */
export type NativeTypedArray = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** What buildInfo() reports (native/runtime.cc: BuildInfo). */
export interface NativeBuildInfo {
  /** The LibTorch version the binary was built against (compile time), and where its libraries were. */
  torchVersion: string;
  torchLibDir: string;
  /** The LibTorch actually loaded (runtime): libtorch_cpu's file and its version, when known. */
  loaded: { version: string | null; path: string | null };
  cxx11Abi: boolean;
  compiler: string;
  parallelInfo: string;
  /** Each dtype's c10::ScalarType code. */
  dtypes: { float32: DTypeCode; float64: DTypeCode; int32: DTypeCode; int64: DTypeCode; uint8: DTypeCode; bool: DTypeCode; complex64: DTypeCode; complex128: DTypeCode };
  /** Each device type's c10::DeviceType code. */
  devices: { cpu: DeviceTypeCode; cuda: DeviceTypeCode };
  /** The most dims the meta buffer describes. */
  maxDims: number;
}

/** The names of each op family's codes, in code order (native/ops.cc: PT_UNARY, …). */
export interface NativeOpNames {
  unary: string[];
  binary: string[];
  scalar: string[];
  inplace: string[];
  reduce: string[];
}

export interface NativeBinding {
  // ---- runtime.cc: process-wide facts and knobs ---------------------------------------
  setNumThreads(n: number): void;
  getNumThreads(): number;
  /** OpenBLAS's config string and thread count, null where OpenBLAS is not loaded. */
  blasConfig(): { openblas: string | null; threads: number | null; smallGemm: string | null };
  setSmallGemm(on: boolean): void;
  /** The caching CPU allocator's state (cpu_cache.cc). */
  cpuCacheStats(): { enabled: boolean; cachedBytes: number; blocks: number; limitBytes: number; hits: number; misses: number };
  /** Bounds the cache in bytes, releasing what exceeds it at once. */
  cpuCacheSetLimit(bytes: number): void;
  /** glibc's mmap and trim thresholds (bytes); false where this is not glibc or mallopt refused. */
  tuneMalloc(mmapThreshold: number, trimThreshold: number): boolean;
  cudaIsAvailable(): boolean;
  cudaDeviceCount(): number;
  manualSeed(seed: number): void;
  /** The CPU generator's state (bytes), for setRngState. */
  getRngState(): ArrayBuffer;
  setRngState(state: NativeTypedArray): void;
  /** Live tensors and the bytes of their distinct storages. */
  memory(): { tensors: number; bytes: number };
  /** The buffer every op writes its result's [dtype, deviceType, deviceIndex, ndim, ...sizes] into (4 + maxDims long). */
  setMetaBuffer(meta: Float64Array): void;
  buildInfo(): NativeBuildInfo;

  // ---- tensor_io.cc: in and out, factories, freeing -----------------------------------
  /** Copies the bytes (exactly shape × dtype's size of them). */
  fromBuffer(data: NativeTypedArray, shape: readonly number[], dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  /** A contiguous CPU copy of the data. */
  toBuffer(t: Handle): ArrayBuffer;
  /** A one-element tensor's value: complex as [re, im], bool as 0 or 1. */
  item(t: Handle): number | [re: number, im: number];
  to(t: Handle, dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex, copy: boolean): Handle;
  zeros(shape: readonly number[], dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  ones(shape: readonly number[], dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  empty(shape: readonly number[], dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  full(shape: readonly number[], value: number, dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  eye(n: number, m: number, dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  arange(start: number, end: number, step: number, dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  linspace(start: number, end: number, steps: number, dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  rand(shape: readonly number[], dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  randn(shape: readonly number[], dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  randint(low: number, high: number, shape: readonly number[], dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  randperm(n: number, dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  multinomial(probs: Handle, n: number, replacement: boolean): Handle;
  scalarTensor(value: number, dtype: DTypeCode, deviceType: DeviceTypeCode, deviceIndex: DeviceIndex): Handle;
  /** Writes t's metadata into the meta buffer (for handles returned in lists). */
  meta(t: Handle): void;
  /** False when the handle was already freed. */
  free(t: Handle): boolean;
  /** Frees every handle, in one crossing (already-freed ones are skipped). */
  freeMany(handles: Float64Array): void;

  // ---- ops.cc: op families by code, then ops with their own signatures ----------------
  /** Each family's op names, in code order. */
  readonly opNames: NativeOpNames;
  unary(code: OpCode, a: Handle): Handle;
  binary(code: OpCode, a: Handle, b: Handle): Handle;
  scalar(code: OpCode, a: Handle, s: number): Handle;
  /** a ← f(a, b, c, s, s2); b and c null where the op takes none; s defaults to 1, s2 to 0. */
  inplace(code: OpCode, a: Handle, b: Handle | null, c: Handle | null, s?: number, s2?: number): void;
  /** Over `dims` (single-dim reductions take exactly one); s: norm's p, or std/var's correction (non-zero: unbiased). */
  reduce(code: OpCode, a: Handle, dims: readonly number[], keepdim: boolean, s?: number): Handle;
  linear(x: Handle, weight: Handle, bias: Handle | null): Handle;
  where(condition: Handle, a: Handle, b: Handle): Handle;
  /** At least one bound; null: none on that side. */
  clamp(t: Handle, min: number | null, max: number | null): Handle;
  reshape(t: Handle, shape: readonly number[]): Handle;
  view(t: Handle, shape: readonly number[]): Handle;
  expand(t: Handle, sizes: readonly number[]): Handle;
  repeat(t: Handle, sizes: readonly number[]): Handle;
  permute(t: Handle, dims: readonly number[]): Handle;
  transpose(t: Handle, dim0: number, dim1: number): Handle;
  /** dim null: every dim of size 1. */
  squeeze(t: Handle, dim: number | null): Handle;
  unsqueeze(t: Handle, dim: number): Handle;
  narrow(t: Handle, dim: number, start: number, length: number): Handle;
  slice(t: Handle, dim: number, start: number, end: number, step: number): Handle;
  select(t: Handle, dim: number, index: number): Handle;
  indexSelect(t: Handle, dim: number, index: Handle): Handle;
  gather(t: Handle, dim: number, index: Handle): Handle;
  cat(tensors: readonly Handle[], dim: number): Handle;
  stack(tensors: readonly Handle[], dim: number): Handle;
  /** The pieces' handles, without metadata (see meta). */
  split(t: Handle, sizes: readonly number[], dim: number): Handle[];
  chunk(t: Handle, chunks: number, dim: number): Handle[];

  // ---- autograd.cc ---------------------------------------------------------------------
  requiresGrad(t: Handle): boolean;
  setRequiresGrad(t: Handle, requiresGrad: boolean): void;
  isLeaf(t: Handle): boolean;
  /** The autograd node's name (e.g. 'MulBackward0'), null for leaves. */
  gradFnName(t: Handle): string | null;
  /** t's gradient, or null; `cached` itself when it still names that gradient (-1: none cached). */
  grad(t: Handle, cached: Handle): Handle | null;
  setGrad(t: Handle, grad: Handle | null): void;
  /** retainGraph undefined: as createGraph (LibTorch's default). */
  backward(t: Handle, gradient: Handle | null, retainGraph: boolean | undefined, createGraph: boolean): void;
  /** d(outputs)/d(inputs), one handle per input (null: unused, with allowUnused), without metadata. */
  gradOf(outputs: readonly Handle[], inputs: readonly Handle[], gradOutputs: readonly Handle[] | null, retainGraph: boolean | undefined, createGraph: boolean, allowUnused: boolean): (Handle | null)[];
  isGradEnabled(): boolean;
  setGradEnabled(enabled: boolean): void;

  // ---- jet.cc: fused kernels of the forward-mode derivative engine ----------------------
  /** [σ(z), σ'(z), σ''(z)], without metadata. */
  activationDerivs(activation: JetActivationName, z: Handle): [Handle, Handle, Handle];
  /**
   * [σ(z), σ'(z)·d1, σ'(z)·d2 + σ''(z)·Q] with Q_p = Σ c[m]·d1[i[m]]·d1[j[m]] over channel p's terms
   * m = starts[p] … starts[p + 1] − 1, without metadata.
   */
  activationJet(activation: JetActivationName, z: Handle, d1: Handle, d2: Handle, termI: readonly number[], termJ: readonly number[], starts: readonly number[], coefficients: readonly number[]): [Handle, Handle, Handle];
  /** [σ'·d3 + 3σ''·p·q + σ'''·p³] per third channel c, p = d1[first[c]], q = d2[second[c]], without metadata. */
  activationThird(activation: JetActivationName, z: Handle, d1: Handle, d2: Handle, d3: Handle, first: readonly number[], second: readonly number[]): [Handle];
  /**
   * A whole MLP's jet as one autograd node (jet_network.cc): [u [N, out], first channels
   * [N, C1 or 0, out], second channels [N, C2, out]] for the inputs `first` and the second
   * channels' terms (over positions in `first`), without metadata.
   */
  /** → [u, then per set its first channels and its second channels] */
  jetNetwork(activation: JetActivationName, x: Handle, params: readonly Handle[], sets: readonly {
    rows: number; first: readonly number[]; termI: readonly number[]; termJ: readonly number[]; channelStarts: readonly number[]; coefficients: readonly number[]; firstOut: boolean;
  }[]): Handle[];

  // ---- op_counter.cc: ATen op calls, counted while a count runs ----------------------------
  opCounterStart(): void;
  /** Stops counting; the calls by op name since the start. */
  opCounterStop(): Record<string, number>;

  // ---- optim.cc: fused optimizer steps -----------------------------------------------------
  /**
   * One Adam step over a parameter group, as the ops of src/optim/adam.ts in their order.
   * maxExpAvgSq is empty without amsgrad; stepSizes[k] = −lr / (1 − β₁ᵗ), bias2Sqrts[k] =
   * √(1 − β₂ᵗ); scalars = [β₁, 1 − β₁, β₂, 1 − β₂, eps, weightDecay, 1 − lr · weightDecay].
   */
  adamStep(params: readonly Handle[], grads: readonly Handle[], expAvg: readonly Handle[], expAvgSq: readonly Handle[], maxExpAvgSq: readonly Handle[],
    stepSizes: readonly number[], bias2Sqrts: readonly number[], scalars: readonly number[], maximize: boolean, decoupled: boolean, amsgrad: boolean): void;

  // ---- distributed.cc: c10d store, Gloo or NCCL process group, collectives ----------------
  /** Which backends this build has, and for each it lacks, why. */
  distAvailable(): { gloo: boolean; reason: string; nccl: boolean; ncclReason: string };
  /** Opens the rendezvous store (rank 0 serves a TCPStore); returns the group's id. */
  distInit(options: NativeDistInit): number;
  /** Builds the process group over the store (Gloo: bound to hostname; NCCL: on CUDA device cudaIndex). */
  distConnect(group: number, backend: 'gloo' | 'nccl', hostname: string, cudaIndex: number): void;
  distStoreSet(group: number, key: string, value: string): void;
  /** The value at key; null when absent (never waits). */
  distStoreGet(group: number, key: string): string | null;
  distStoreAdd(group: number, key: string, amount: number): number;
  /** In place: each tensor becomes the sum over ranks. `seq` numbers the collective. */
  distAllreduce(group: number, tensors: readonly Handle[], seq: number, timeoutMs: number): void;
  /** In place: each tensor becomes root's. */
  distBroadcast(group: number, tensors: readonly Handle[], root: number, seq: number, timeoutMs: number): void;
  distBarrier(group: number, seq: number, timeoutMs: number): void;
  distDestroy(group: number): void;
}

/** distInit's options (native/distributed.cc: Init). */
export interface NativeDistInit {
  rank: number;
  worldSize: number;
  timeoutMs: number;
  store: 'tcp' | 'file';
  host?: string;
  port?: number;
  path?: string;
}

/** NativeBinding's keys that are functions, and those that are not. */
export type NativeFunctionName = { [K in keyof NativeBinding]: NativeBinding[K] extends (...args: never[]) => unknown ? K : never }[keyof NativeBinding];
export type NativeConstantName = Exclude<keyof NativeBinding, NativeFunctionName>;

/** Every function NativeBinding lists, by name: test/binding.test.ts compares it with the addon's exports. */
export const NATIVE_FUNCTIONS = [
  'setNumThreads', 'getNumThreads', 'blasConfig', 'setSmallGemm', 'cpuCacheStats', 'cpuCacheSetLimit', 'tuneMalloc', 'cudaIsAvailable', 'cudaDeviceCount', 'manualSeed',
  'getRngState', 'setRngState', 'memory', 'setMetaBuffer', 'buildInfo',
  'fromBuffer', 'toBuffer', 'item', 'to', 'zeros', 'ones', 'empty', 'full', 'eye', 'arange', 'linspace', 'rand',
  'randn', 'randint', 'randperm', 'multinomial', 'scalarTensor', 'meta', 'free', 'freeMany',
  'unary', 'binary', 'scalar', 'inplace', 'reduce', 'linear', 'where', 'clamp', 'reshape', 'view', 'expand', 'repeat',
  'permute', 'transpose', 'squeeze', 'unsqueeze', 'narrow', 'slice', 'select', 'indexSelect', 'gather', 'cat', 'stack',
  'split', 'chunk',
  'requiresGrad', 'setRequiresGrad', 'isLeaf', 'gradFnName', 'grad', 'setGrad', 'backward', 'gradOf', 'isGradEnabled',
  'setGradEnabled',
  'activationDerivs', 'activationJet', 'activationThird', 'jetNetwork', 'adamStep', 'opCounterStart', 'opCounterStop',
  'distAvailable', 'distInit', 'distConnect', 'distStoreSet', 'distStoreGet', 'distStoreAdd', 'distAllreduce',
  'distBroadcast', 'distBarrier', 'distDestroy',
] as const satisfies readonly NativeFunctionName[];

/** Every constant (non-function) NativeBinding lists. */
export const NATIVE_CONSTANTS = ['opNames'] as const satisfies readonly NativeConstantName[];

// The lists above cover the interface: a name the interface gains but no list holds fails to
// compile here, naming it ("Type '"x"' does not satisfy the constraint 'true'").
type Listed<T extends true> = T;
export type EveryNativeNameListed = Listed<[Unlisted] extends [never] ? true : Unlisted>;
type Unlisted = Exclude<keyof NativeBinding, (typeof NATIVE_FUNCTIONS)[number] | (typeof NATIVE_CONSTANTS)[number]>;

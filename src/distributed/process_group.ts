// A process group: ranks that met through a rendezvous store and share a Gloo or NCCL
// communicator (native/distributed.cc). Collectives are in place, numbered, and bounded by a timeout; when
// one fails, the store says which rank fell behind or is gone, and the error names it.
import { native } from '../backend.js';
import { type Tensor } from '../tensor.js';
import { alive } from '../tensor/core.js';

export class DistributedError extends Error {
  override name = 'DistributedError';
}

/** The handles of a list of live tensors, checked before any rank is made to wait. */
function handles(tensors: readonly Tensor[], op: string): number[] {
  if (!Array.isArray(tensors)) throw new TypeError(`distributed.${op}: tensors must be an array of Tensors`);
  return tensors.map((t, i) => alive(t, `distributed.${op}`, `tensors[${i}]`));
}

export class ProcessGroup {
  private seq = 0;
  private destroyed = false;

  /** @internal built by init(), which has checked every rank's claim. */
  constructor(
    private readonly id: number, readonly rank: number, readonly worldSize: number, readonly timeoutMs: number,
    readonly backend: 'gloo' | 'nccl',
    /** Where the collectives run: 'cpu' for Gloo, this rank's GPU for NCCL. */
    readonly device: string,
  ) {}

  /** In place: every tensor becomes its sum over all ranks. */
  allreduce(tensors: readonly Tensor[], op: 'sum' | 'avg' = 'sum'): void {
    if (op !== 'sum' && op !== 'avg') throw new TypeError(`distributed.allreduce: op must be 'sum' or 'avg', got ${JSON.stringify(op)}`);
    this.collective('allreduce', (seq) => native.distAllreduce(this.id, handles(tensors, 'allreduce'), seq, this.timeoutMs));
    if (op === 'avg') for (const t of tensors) t.div_(this.worldSize);
  }

  /** In place: every tensor becomes rank `root`'s. */
  broadcast(tensors: readonly Tensor[], root = 0): void {
    if (!(Number.isInteger(root) && root >= 0 && root < this.worldSize)) throw new RangeError(`distributed.broadcast: root must be a rank in [0, ${this.worldSize - 1}], got ${root}`);
    this.collective('broadcast', (seq) => native.distBroadcast(this.id, handles(tensors, 'broadcast'), root, seq, this.timeoutMs));
  }

  /** Returns when every rank has reached it. */
  barrier(): void {
    this.collective('barrier', (seq) => native.distBarrier(this.id, seq, this.timeoutMs));
  }

  /** Releases the communicator and the store connection (rank 0's store server with it). Idempotent. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    native.distDestroy(this.id);
  }

  get isDestroyed(): boolean { return this.destroyed; }

  private collective(op: string, run: (seq: number) => void): void {
    if (this.destroyed) throw new DistributedError(`distributed.${op}: the process group is destroyed`);
    const seq = ++this.seq;
    try {
      run(seq);
    } catch (e) {
      throw new DistributedError(`distributed.${op} #${seq} on rank ${this.rank} of ${this.worldSize} failed: ${this.culprit(seq)} (${(e as Error).message})`);
    }
  }

  /** Which rank a failed collective waited for, from the progress every rank records in the store. */
  private culprit(seq: number): string {
    let behind: number[] = [];
    try {
      for (let r = 0; r < this.worldSize; r++) {
        if (r === this.rank) continue;
        const reached = Number(native.distStoreGet(this.id, `pinn/seq/${r}`) ?? 0);
        if (reached < seq) behind.push(r);
      }
    } catch {
      return this.rank === 0 ? 'the rendezvous store failed' : 'rank 0 is gone (it serves the rendezvous store, which no longer answers)';
    }
    if (behind.length === 0) behind = [...Array(this.worldSize).keys()].filter((r) => r !== this.rank);
    const who = behind.length === 1 ? `rank ${behind[0]}` : `ranks ${behind.join(', ')}`;
    return `${who} did not join it within ${this.timeoutMs} ms or died (a rank that exits breaks the connection at once; one that hangs is waited for up to the timeout)`;
  }
}

// Delivering Trainer events: to `on()` listeners (a throwing listener becomes a ListenerError) and to
// async iterators. Each events() call gets its own queue, fed by every event sent after it was made;
// it ends after 'end' and throws the error after 'error'.
import { type EventEmitter } from 'node:events';
import { type TrainerEvent } from './events.js';

/** A listener threw: training stops and fit() rejects with this. */
export class ListenerError extends Error {
  constructor(readonly event: string, cause: unknown) {
    super(`a '${event}' listener threw: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

export class EventStreams {
  private readonly queues = new Set<(e: TrainerEvent) => void>();

  /** Queues `e` for every iterator, then calls `emitter`'s listeners. */
  send(emitter: EventEmitter, e: TrainerEvent): void {
    for (const push of this.queues) push(e);
    if (e.type === 'error' && emitter.listenerCount('error') === 0) return; // EventEmitter would throw it
    try {
      emitter.emit(e.type, e.data);
      if (e.type === 'optimizerIteration' && emitter.listenerCount('lbfgsIteration')) emitter.emit('lbfgsIteration', e.data); // deprecated alias
    } catch (err) {
      throw new ListenerError(e.type, err);
    }
  }

  iterator(): AsyncIterableIterator<TrainerEvent> {
    const queue: TrainerEvent[] = [];
    let wake: (() => void) | null = null;
    let done = false;
    const push = (e: TrainerEvent) => { queue.push(e); wake?.(); };
    this.queues.add(push);
    const close = () => { done = true; this.queues.delete(push); };
    return {
      [Symbol.asyncIterator]() { return this; },
      async next(): Promise<IteratorResult<TrainerEvent>> {
        while (queue.length === 0 && !done) await new Promise<void>((r) => (wake = r));
        wake = null;
        const e = queue.shift();
        if (!e) return { value: undefined, done: true };
        if (e.type === 'end') close();
        if (e.type === 'error') { close(); throw e.data; }
        return { value: e, done: false };
      },
      async return(): Promise<IteratorResult<TrainerEvent>> { close(); queue.length = 0; return { value: undefined, done: true }; },
    };
  }
}

// fsync of several open files at once. A journaling file system (ext4, XFS) commits fsyncs that
// arrive together in one journal commit, so a checkpoint's files cost about one disk flush instead
// of one each (measured on the build machine's ext4: 6 files, 20 ms one after another, 4 ms at
// once). The callers are synchronous (a checkpoint is written inside a training step), so a helper
// thread issues the fsyncs through libuv's pool while this thread blocks on Atomics.wait; the
// helper answers on a MessagePort read with receiveMessageOnPort. Where no helper thread can run,
// the fsyncs run here one after another.
import { fsyncSync } from 'node:fs';
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';

// Dynamic import() reads the same whether the helper is evaluated as CommonJS or as a module.
const HELPER_SOURCE = `
Promise.all([import('node:fs'), import('node:worker_threads')]).then(([{ fsync }, { parentPort, workerData: { port, alive } }]) => {
  parentPort.on('message', ({ fds, flag }) => {
    const done = new Int32Array(flag);
    Promise.all(fds.map((fd) => new Promise((resolve) => fsync(fd, (e) => resolve(e ? e.code || e.message : null)))))
      .then((errors) => { port.postMessage(errors); Atomics.store(done, 0, 1); Atomics.notify(done, 0); });
  });
  Atomics.store(new Int32Array(alive), 0, 1);
});`;
/** How long a helper may take to start before this process does without one. */
const STARTUP_MS = 3000;

interface Helper { worker: Worker; port: MessagePort; alive: Int32Array }
let helper: Helper | null = null;
let unavailable = false;

function startHelper(): Helper | null {
  try {
    const { port1, port2 } = new MessageChannel();
    const alive = new Int32Array(new SharedArrayBuffer(4));
    // execArgv: []: the process's own flags (-e, --input-type, --cpu-prof, …) are not the helper's.
    const worker = new Worker(HELPER_SOURCE, { eval: true, execArgv: [], workerData: { port: port2, alive: alive.buffer }, transferList: [port2] });
    worker.unref(); // an idle helper never keeps the process alive
    port1.unref();
    const forget = () => { if (helper?.worker === worker) helper = null; }; // the next call starts another
    worker.on('error', forget);
    worker.on('exit', forget);
    return { worker, port: port1, alive };
  } catch {
    unavailable = true;
    return null;
  }
}

function fsyncEach(fds: number[]): (string | null)[] {
  return fds.map((fd) => {
    try {
      fsyncSync(fd);
      return null;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    }
  });
}

/**
 * fsyncs every descriptor in `fds` (files or directories), all at once, and returns when all are
 * done: per descriptor, null or its error code (the caller decides which failures matter: some
 * file systems cannot fsync a directory).
 */
export function fsyncMany(fds: number[]): (string | null)[] {
  if (fds.length < 2 || unavailable) return fsyncEach(fds);
  const h = (helper ??= startHelper());
  if (!h) return fsyncEach(fds);
  const done = new Int32Array(new SharedArrayBuffer(4));
  h.worker.postMessage({ fds, flag: done.buffer });
  const started = Date.now();
  while (Atomics.wait(done, 0, 0, 50) === 'timed-out') {
    // A slow disk can take long, and the helper answers when the file system does; but a helper
    // that does not start (its 'error' event cannot arrive while this thread waits) never will.
    if (Atomics.load(h.alive, 0) === 0 && Date.now() - started > STARTUP_MS) {
      unavailable = true;
      helper = null;
      void h.worker.terminate();
      return fsyncEach(fds);
    }
  }
  const answer = receiveMessageOnPort(h.port);
  if (!answer || !Array.isArray(answer.message) || answer.message.length !== fds.length) {
    throw new Error('fsyncMany: the helper thread gave no answer for its fsyncs');
  }
  return answer.message as (string | null)[];
}

import { createServer } from 'node:net';

/** A port nobody listens on now (the OS's pick, released at once): a rendezvous port for test ranks. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

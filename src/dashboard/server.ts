// The dashboard's HTTP server (node:http; one page, a few files, one event stream). Every page
// that connects to /events gets the whole RunView at once, then what was added, at most
// `1000 / updateMs` times a second and only while something changed: the Trainer's listeners
// only append numbers, and all the JSON is made here, on a timer, between steps.
//
// Bound to the loopback interface by default. Bound elsewhere, every request must carry the
// token (`?token=…`, generated when not given); on loopback the Host header must name a
// loopback host too, so that a web page elsewhere cannot reach it by DNS rebinding.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { page } from './page.js';
import { type RunView } from './view.js';

export interface DashboardOptions {
  /** TCP port (default 8765; 0 picks a free one). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). Anything but a loopback address requires a token. */
  host?: string;
  /** Required in every request's URL (`?token=`); generated when binding beyond loopback without one. */
  token?: string;
  /** A directory whose fields.png and loss.png (the CLI's plots) the page shows, reloaded when they change. */
  plots?: string;
  /** Milliseconds between updates sent to the pages (default 250). */
  updateMs?: number;
}

export const DEFAULT_PORT = 8765;
const PLOTS = ['fields', 'loss'] as const;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const require = createRequire(import.meta.url);
/** uPlot, served from node_modules (found when first asked for): the page needs no network. */
const ASSETS: Record<string, { module: string; type: string }> = {
  '/uPlot.min.js': { module: 'uplot/dist/uPlot.iife.min.js', type: 'text/javascript; charset=utf-8' },
  '/uPlot.min.css': { module: 'uplot/dist/uPlot.min.css', type: 'text/css; charset=utf-8' },
};

export class DashboardServer {
  /** The page's address, with the token when one is required. */
  url = '';
  readonly token: string | null;
  private readonly server: Server;
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private onLastClient: (() => void) | null = null;

  constructor(private readonly view: RunView, private readonly o: DashboardOptions = {}) {
    const host = o.host ?? '127.0.0.1';
    if (typeof host !== 'string' || host === '') throw new TypeError(`dashboard: host must be a non-empty string, got ${String(host)}`);
    if (o.token !== undefined && (typeof o.token !== 'string' || !/^[\w-]{8,}$/.test(o.token))) {
      throw new TypeError('dashboard: token must be at least 8 letters, digits, - or _');
    }
    const port = o.port ?? DEFAULT_PORT;
    if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new RangeError(`dashboard: port must be an integer in [0, 65535], got ${String(port)}`);
    const updateMs = o.updateMs ?? 250;
    if (!(Number.isFinite(updateMs) && updateMs >= 10)) throw new RangeError(`dashboard: updateMs must be at least 10, got ${String(updateMs)}`);
    this.token = o.token ?? (LOOPBACK.has(host) ? null : randomBytes(16).toString('hex'));
    this.server = createServer((req, res) => this.handle(req, res));
  }

  /** Starts listening; rejects with a clear message when the port is taken or the host cannot be bound. */
  async listen(): Promise<this> {
    const host = this.o.host ?? '127.0.0.1', port = this.o.port ?? DEFAULT_PORT;
    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => reject(new Error(e.code === 'EADDRINUSE'
        ? `dashboard: port ${port} on ${host} is in use; choose another port (0: any free one)`
        : `dashboard: cannot listen on ${host}:${port}: ${e.message}`));
      this.server.once('error', onError);
      this.server.listen(port, host, () => { this.server.off('error', onError); resolve(); });
    });
    const a = this.server.address();
    const bound = typeof a === 'object' && a ? a.port : port;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/${this.query()}`;
    this.timer = setInterval(() => void this.tick(), this.o.updateMs ?? 250);
    this.timer.unref();
    await this.checkPlots();
    return this;
  }

  /**
   * Sends what is left and tells every page that the stream ends; a page then fetches the last
   * plots and closes its stream. Stops the server once every page did, or after `graceMs`.
   */
  async close(graceMs = 3000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.checkPlots();
    this.flush();
    for (const res of this.clients) res.write('event: done\ndata: {}\n\n');
    if (this.clients.size > 0) {
      await new Promise<void>((resolve) => {
        const timeout = setTimeout(resolve, graceMs);
        this.onLastClient = () => { clearTimeout(timeout); resolve(); };
      });
    }
    for (const res of this.clients) res.end();
    this.clients.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections(); // a page's keep-alive sockets would hold close() for seconds
      setTimeout(() => this.server.closeAllConnections(), 1000).unref(); // a stalled reader
    });
  }

  /** How many pages are connected to the event stream. */
  get connections(): number { return this.clients.size; }

  private query(): string { return this.token ? `?token=${this.token}` : ''; }

  private async tick(): Promise<void> {
    await this.checkPlots();
    this.flush();
  }

  /** One update for every connected page: what was added, or the whole view after history was cut. */
  private flush(): void {
    if (!this.view.dirty || this.clients.size === 0) return;
    const d = this.view.delta();
    const message = d ? sse('update', d) : sse('snapshot', this.view.snapshot());
    for (const res of this.clients) res.write(message);
  }

  private async checkPlots(): Promise<void> {
    if (!this.o.plots) return;
    for (const name of PLOTS) {
      // PNG, not the SVG beside it: a heatmap's SVG has a path per cell (megabytes).
      const s = await stat(join(this.o.plots, `${name}.png`)).catch(() => null);
      if (s) this.view.setPlot(name, s.mtimeMs);
    }
  }

  private allowed(req: IncomingMessage, url: URL): boolean {
    if (this.token) {
      const given = Buffer.from(url.searchParams.get('token') ?? '');
      const want = Buffer.from(this.token);
      return given.length === want.length && timingSafeEqual(given, want);
    }
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    return LOOPBACK.has(hostname);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (req.method !== 'GET') return void res.writeHead(405, { allow: 'GET' }).end('GET only\n');
    if (!this.allowed(req, url)) {
      return void res.writeHead(403, { 'content-type': 'text/plain' }).end(this.token ? 'forbidden: this dashboard needs its token (?token=…)\n' : 'forbidden: loopback host names only\n');
    }
    const path = url.pathname;
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page(this.query()));
    if (path === '/events') return this.subscribe(req, res);
    const asset = ASSETS[path];
    if (asset) {
      let file: string;
      try { file = require.resolve(asset.module); } catch { return void res.writeHead(500, { 'content-type': 'text/plain' }).end(`${asset.module} is not installed (npm install uplot)\n`); }
      return this.sendFile(res, file, asset.type);
    }
    const plot = /^\/plots\/(\w+)\.png$/.exec(path)?.[1];
    if (plot && this.o.plots && (PLOTS as readonly string[]).includes(plot)) return this.sendFile(res, join(this.o.plots, `${plot}.png`), 'image/png');
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}\n`);
  }

  private subscribe(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    // A new page gets everything so far; the others keep receiving deltas from where they are,
    // so the snapshot must not move the delta's start: flush theirs first.
    this.flush();
    res.write(sse('snapshot', this.view.snapshot()));
    if (this.closed) return void res.end('event: done\ndata: {}\n\n');
    this.clients.add(res);
    req.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.onLastClient?.();
    });
  }

  private sendFile(res: ServerResponse, file: string, type: string): void {
    const stream = createReadStream(file);
    stream.on('open', () => res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }));
    stream.on('error', () => { if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found\n'); });
    stream.pipe(res);
  }
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

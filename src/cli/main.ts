#!/usr/bin/env node
// pinn-torch's command line. Errors a user can act on are one line on stderr and a non-zero exit
// code; the stack trace only with --verbose.
import { parseArgs } from 'node:util';
import { UsageError, unknownName } from './errors.js';
import { launch, launchOptions } from './launch.js';
import { defaultRunDir } from './run_dir.js';

const USAGE = `usage: pinn-torch <command> [options]

commands:
  train <config.json | preset>   train a run; writes a run directory (default runs/<name>-<time>)
  resume <run-dir | checkpoint>  continue a run from its latest checkpoint
  eval <run-dir | checkpoint>    errors against the reference; writes eval.json and the plots
  dashboard <run-dir>            serve a run's live dashboard from its files (running or finished)
  info                           LibTorch, BLAS, threads and CUDA of this installation
  presets                        the built-in runs

options:
  --out <dir>       run directory (train), or where resume/eval write their files
  --config <file>   (resume) a new plan for the same problem, e.g. more steps
  --device <d>      cpu, cuda or cuda:N (train, resume, eval; overrides the config's "device")
  --nproc <n>       (train, resume) n data-parallel ranks on this machine, like torchrun --nproc_per_node
  --nnodes <n> --node-rank <k> --master-addr <host> --master-port <port>
                    several machines: run the same command on each, with its --node-rank
  --tensorboard <d> (train, resume) TensorBoard event files in <d>: losses, LR, errors,
                    timing, config, field images; resume into the same <d> to continue
  --dashboard [port]  (train, resume) serve a live dashboard while training (default port 8765, 0: any free)
  --port <n>        (dashboard) the port to serve on (default 8765)
  --host <addr>     (dashboard, --dashboard) interface to bind (default 127.0.0.1; others need a token)
  --token <t>       (dashboard, --dashboard) required in the page's URL; generated when binding beyond loopback
  --quiet           no progress output        --json    one JSON event per line on stdout
  --verbose         stack traces on errors    --help    this text

Config format and presets: docs/cli.md`;

const COMMANDS = ['train', 'resume', 'eval', 'dashboard', 'info', 'presets', 'help'];

/** `--dashboard` takes an optional port: a bare one becomes `--dashboard=` (the default port). */
function optionalDashboardPort(argv: string[]): string[] {
  return argv.flatMap((a, i) => (a === '--dashboard' && !/^\d+$/.test(argv[i + 1] ?? '') ? ['--dashboard='] : [a]));
}

function portOf(flag: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port <= 65535)) throw new UsageError(`${flag}: expected a port number in [0, 65535], got '${value}'`);
  return port;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: optionalDashboardPort(argv), allowPositionals: true, strict: true,
      options: {
        out: { type: 'string' }, config: { type: 'string' }, device: { type: 'string' }, tensorboard: { type: 'string' }, quiet: { type: 'boolean' }, json: { type: 'boolean' },
        verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        nproc: { type: 'string' }, nnodes: { type: 'string' }, 'node-rank': { type: 'string' }, 'master-addr': { type: 'string' }, 'master-port': { type: 'string' },
        dashboard: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (see pinn-torch --help)`);
  }
  const { values: v, positionals } = parsed;
  const [command, target, ...extra] = positionals;
  if (v.help || !command || command === 'help') { process.stdout.write(USAGE + '\n'); return command || v.help ? 0 : 2; }
  if (!COMMANDS.includes(command)) throw unknownName('command', command, COMMANDS);
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}' (see pinn-torch --help)`);
  const needsTarget = ['train', 'resume', 'eval', 'dashboard'].includes(command);
  if (needsTarget && !target) throw new UsageError(`${command}: missing ${command === 'train' ? 'a config file or preset name' : command === 'dashboard' ? 'a run directory' : 'a run directory or checkpoint'}`);
  if (!needsTarget && target) throw new UsageError(`${command}: takes no argument, got '${target}'`);
  if (v.device !== undefined && !['train', 'resume', 'eval'].includes(command)) throw new UsageError(`--device is for train, resume and eval`);
  if (v.tensorboard !== undefined && !['train', 'resume'].includes(command)) throw new UsageError(`--tensorboard is for train and resume`);
  if (v.dashboard !== undefined && !['train', 'resume'].includes(command)) throw new UsageError(`--dashboard is for train and resume; to watch a run directory: pinn-torch dashboard <run-dir>`);
  if (v.port !== undefined && command !== 'dashboard') throw new UsageError(`--port is for the dashboard command; train and resume take --dashboard <port>`);
  if ((v.host !== undefined || v.token !== undefined) && command !== 'dashboard' && v.dashboard === undefined) throw new UsageError(`--host and --token are for the dashboard (pinn-torch dashboard, or train/resume with --dashboard)`);
  const dashboard = { port: portOf(command === 'dashboard' ? '--port' : '--dashboard', command === 'dashboard' ? v.port : v.dashboard), host: v.host, token: v.token };
  if (v.config && command !== 'resume') throw new UsageError(`--config is for resume; for train, pass the config as the argument`);
  const mode = v.json ? 'json' : v.quiet ? 'quiet' : process.stderr.isTTY ? 'bar' : 'plain';

  const ranks = launchOptions(v, argv);
  if (ranks) {
    if (command !== 'train' && command !== 'resume') throw new UsageError('--nproc and --nnodes are for train and resume');
    // Every rank must write to the same run directory: name it once, here.
    if (command === 'train' && v.out === undefined) ranks.argv.push('--out', defaultRunDir(target));
    return launch(ranks, process.argv[1]);
  }

  if (command === 'dashboard') return (await import('./dashboard.js')).serveRun(target, dashboard);
  // Loading the native addon is the slow part of start-up: only commands that need it pay.
  const commands = await import('./commands.js');
  const watch = { tensorboard: v.tensorboard, dashboard: v.dashboard !== undefined ? dashboard : undefined };
  switch (command) {
    case 'train': return commands.train(target, { out: v.out, mode, device: v.device, ...watch });
    case 'resume': return commands.resumeRun(target, { out: v.out, mode, config: v.config, device: v.device, ...watch });
    case 'eval': return commands.evaluate(target, { out: v.out, mode, device: v.device });
    case 'info': return commands.info(mode);
    default: return commands.presets(mode);
  }
}

const verbose = process.argv.includes('--verbose');
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`pinn-torch: error: ${err.message.replace(/\s*\n\s*/g, '; ')}\n`);
    if (verbose && err.stack) process.stderr.write(err.stack + '\n');
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);

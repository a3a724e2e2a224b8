// Module hooks (node:module register) for ts-hooks.mjs: resolve `x.js` to `x.ts` when only the
// TypeScript source exists, and transpile `.ts` to JavaScript on load. Transpiled text is
// cached by content hash (node_modules/.cache), so a respawned child starts in about a second.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cacheDir = fileURLToPath(new URL('../../node_modules/.cache/pinn-torch-fuzz/', import.meta.url));
let ts = null;

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && context.parentURL?.startsWith('file:') && (specifier.startsWith('.') || specifier.startsWith('/'))) {
    const url = new URL(specifier, context.parentURL);
    const tsUrl = new URL(url.href.replace(/\.js$/, '.ts'));
    if (!existsSync(fileURLToPath(url)) && existsSync(fileURLToPath(tsUrl))) return next(tsUrl.href, context);
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const path = fileURLToPath(url);
  const source = readFileSync(path, 'utf8');
  const cached = `${cacheDir}${createHash('sha1').update(path).update('\0').update(source).digest('hex')}.js`;
  if (existsSync(cached)) return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  ts ??= (await import('typescript')).default;
  const { outputText } = ts.transpileModule(source, {
    fileName: path,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true },
  });
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${cached}.${process.pid}.tmp`; // renamed into place: a parallel child never reads half a file
  writeFileSync(tmp, outputText);
  renameSync(tmp, cached);
  return { format: 'module', source: outputText, shortCircuit: true };
}

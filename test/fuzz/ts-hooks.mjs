// Lets a plain `node` child run the TypeScript sources (src/**/*.ts) as vitest does, so that a
// crash in the addon kills only that child: `.js` imports that name a `.ts` file resolve to
// it, and `.ts` files are transpiled (types stripped) with the project's TypeScript.
// Used as: node --import ./test/fuzz/ts-hooks.mjs test/fuzz/runner.ts
import { register } from 'node:module';

register('./ts-transpile.mjs', import.meta.url);

#!/usr/bin/env node
// The `tthc` command: runs the TypeScript CLI with no build step, from a bundle of its sources
// that esbuild makes on the first run after a change (cli-bundle.js); through tsx's loader
// when that cannot be made (the same sources, slower to start).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cliBundle } from './cli-bundle.js';

// The CLI's stdout is for people and tools: Lambda's JSON logs and EMF metrics stay quiet
// unless asked for (TTHC_DEBUG=1).
if (!process.env.TTHC_DEBUG) {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// `tthc status | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const bundle = await cliBundle(fileURLToPath(new URL('..', import.meta.url))).catch(() => null);
let main;
if (bundle) ({ main } = await import(pathToFileURL(bundle).href));
else {
  // A source esbuild cannot bundle: tsx reports it as it runs the sources.
  (await import('tsx/esm/api')).register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
// The `tthc` command: runs the TypeScript CLI through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

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
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

// Lambda bundle sizes, built with the esbuild settings the CDK stack uses (BUNDLE in
// infra/constructs/node-function.ts), and what dominates each.
import { build } from 'esbuild';
import { BUNDLE } from '../infra/constructs/node-function.ts';
import { emit, type Figure } from './harness.ts';

const figures: Figure[] = [];
for (const name of ['ingest', 'report']) {
  const out = await build({
    entryPoints: [new URL(`../functions/${name}/handler.ts`, import.meta.url).pathname],
    bundle: true, platform: 'node', write: false, metafile: true,
    format: BUNDLE.format, target: BUNDLE.target, minify: BUNDLE.minify, keepNames: BUNDLE.keepNames, sourcemap: BUNDLE.sourceMap,
    external: [...BUNDLE.external], mainFields: [...BUNDLE.mainFields], banner: { js: BUNDLE.banner },
  });
  const bytes = out.outputFiles[0].contents.length;
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(Object.values(out.metafile.outputs)[0].inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = m ? m[1] : 'our code';
    byPackage.set(key, (byPackage.get(key) ?? 0) + input.bytesInOutput);
  }
  const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 4)
    .map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KiB`).join(', ');
  figures.push({
    name: `bundle: ${name} function (minified)`, value: bytes / 1048576, unit: 'MiB', note: top,
    goal: name === 'ingest' ? { max: 1.5, text: '≤ 1.5 MiB' } : undefined,
  });
}
emit(figures);

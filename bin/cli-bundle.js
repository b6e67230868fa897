// The CLI as one esbuild bundle, cached under node_modules/.cache/tthc/ and rebuilt when a
// source it holds changes. Starting tsx's loader (a hooks thread) and sending each of the
// CLI's ~100 modules through it costs every `tthc` command ~0.3 s of CPU; importing the
// bundle costs none of that. Still no build step: the first run after a change bundles
// (~0.3 s). npm packages stay outside the bundle, loaded from node_modules as before.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const ENTRY = 'cli/main.ts';
/** Besides the bundled sources, what changes how they are compiled. */
const SETTINGS = ['tsconfig.json', 'package.json'];
/** A bundle replaced this long ago is removed (a process may still be loading its chunks). */
const KEEP_OLD_MS = 24 * 3600_000;

const stamp = (file) => {
  const s = statSync(file);
  return `${s.mtimeMs}:${s.size}`;
};

/** The bundle's entry (main.js) for the sources under `root`, built if none is current. */
export async function cliBundle(root) {
  const cache = join(root, 'node_modules', '.cache', 'tthc');
  const current = readCurrent(cache);
  if (current && isFresh(root, cache, current)) return join(cache, current.dir, 'main.js');
  return build(root, cache);
}

function readCurrent(cache) {
  try {
    return JSON.parse(readFileSync(join(cache, 'current.json'), 'utf8'));
  } catch {
    return null;
  }
}

function isFresh(root, cache, current) {
  try {
    for (const [file, was] of Object.entries(current.inputs)) if (stamp(join(root, file)) !== was) return false;
    statSync(join(cache, current.dir, 'main.js'));
    return true;
  } catch {
    return false; // a source removed, or the bundle
  }
}

async function build(root, cache) {
  const { build: esbuild } = await import('esbuild');
  const dir = `b-${Date.now()}-${process.pid}`;
  // Each source's stamp is taken just before esbuild reads it: a file saved while bundling
  // then differs from its stamp, and the next run bundles again.
  const read = new Map();
  const settings = Object.fromEntries(SETTINGS.map((file) => [file, stamp(join(root, file))]));
  const result = await esbuild({
    absWorkingDir: root,
    entryPoints: { main: ENTRY },
    outdir: join(cache, dir),
    bundle: true,
    splitting: true, // the commands' dynamic imports stay lazy: each loads its own chunks
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
    plugins: [sourceMetaUrl(root, read)],
  });
  const inputs = { ...settings };
  for (const file of Object.keys(result.metafile.inputs)) inputs[file] = read.get(join(root, file)) ?? stamp(join(root, file));
  const tmp = join(cache, `current.json.${process.pid}`);
  writeFileSync(tmp, JSON.stringify({ dir, inputs }));
  renameSync(tmp, join(cache, 'current.json')); // atomic: concurrent runs each see a whole file
  removeOld(cache, dir);
  return join(cache, dir, 'main.js');
}

/**
 * Each module keeps its own import.meta.url (the source file's), as under tsx: code that finds
 * files or packages next to itself (the portal's web/, createRequire) finds the same ones.
 */
function sourceMetaUrl(root, read) {
  return {
    name: 'source-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
        if (relative(root, args.path).startsWith('node_modules')) return undefined;
        read.set(args.path, stamp(args.path));
        const text = readFileSync(args.path, 'utf8');
        const loader = /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js';
        return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader };
      });
    },
  };
}

function removeOld(cache, keep) {
  for (const name of readdirSync(cache)) {
    if (!name.startsWith('b-') || name === keep) continue;
    try {
      if (Date.now() - statSync(join(cache, name)).mtimeMs > KEEP_OLD_MS) rmSync(join(cache, name), { recursive: true, force: true });
    } catch {
      // another run removed it first
    }
  }
}

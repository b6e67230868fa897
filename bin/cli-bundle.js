// The CLI as one esbuild bundle, cached under node_modules/.cache/tthc/ and rebuilt when a
// source it holds changes. Starting tsx's loader (a hooks thread) and sending each of the
// CLI's ~100 modules through it costs every `tthc` command ~0.3 s of CPU; importing the
// bundle costs none of that. Still no build step: the first run after a change bundles
// (~0.3 s). npm packages stay outside the bundle, loaded from node_modules as before.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ENTRY = 'cli/main.ts';
/** Besides the bundled sources, what changes how they are compiled: the settings, this file. */
const SETTINGS = ['tsconfig.json', 'package.json', fileURLToPath(import.meta.url)];
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
    for (const [file, was] of Object.entries(current.inputs)) if (stamp(resolve(root, file)) !== was) return false;
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
  const settings = Object.fromEntries(SETTINGS.map((file) => [file, stamp(resolve(root, file))]));
  const result = await esbuild({
    absWorkingDir: root,
    entryPoints: { main: ENTRY },
    outdir: join(cache, dir),
    bundle: true,
    splitting: true, // the commands' dynamic imports stay lazy: each loads its own chunks
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    logLevel: 'silent',
    // The `require` of requireCommonJs's modules, in every chunk.
    banner: { js: `import { createRequire as tthcCreateRequire } from 'node:module';\nconst ${REQUIRE} = tthcCreateRequire(import.meta.url);` },
    plugins: [sourceMetaUrl(root, read), requireCommonJs(root)],
  });
  const inputs = { ...settings };
  for (const file of Object.keys(result.metafile.inputs)) {
    if (/^[\w-]+:/.test(file)) continue; // a plugin's module (namespace:path), no file
    inputs[file] = read.get(join(root, file)) ?? stamp(join(root, file));
  }
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
      b.onLoad({ filter: /\.[cm]?[jt]s$/, namespace: 'file' }, (args) => {
        if (relative(root, args.path).startsWith('node_modules')) return undefined;
        read.set(args.path, stamp(args.path));
        const text = readFileSync(args.path, 'utf8');
        const loader = /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js';
        return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader };
      });
    },
  };
}

const REQUIRE = 'tthcRequire';

/**
 * npm packages written in CommonJS (the AWS SDK, exceljs, the emulators) are required, as a
 * CommonJS program would: Node imports CommonJS into ESM through its ESM loader, a lexer pass
 * over each file for its export names and every require inside through that loader too, which
 * doubles what the AWS SDK's clients take to load. Imported this way or that, the module is
 * the same and `import x from` still gives module.exports. ESM packages are imported as before.
 */
function requireCommonJs(root) {
  const ns = 'tthc-require';
  return {
    name: 'require-commonjs',
    setup(b) {
      // Every npm package stays outside the bundle, loaded from node_modules.
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path)) return undefined;
        if (args.namespace === ns || !['import-statement', 'dynamic-import'].includes(args.kind)) return { path: args.path, external: true };
        let file;
        try {
          file = createRequire(args.importer).resolve(args.path);
        } catch {
          return { path: args.path, external: true }; // not requirable (an ESM-only export map): imported
        }
        return isCommonJs(file) ? { path: args.path, namespace: ns } : { path: args.path, external: true };
      });
      b.onLoad({ filter: /.*/, namespace: ns }, (args) => ({
        contents: `module.exports = ${REQUIRE}(${JSON.stringify(args.path)});`, loader: 'js', resolveDir: root,
      }));
    },
  };
}

/** Node's rule: .cjs, or .js under a package.json without "type": "module". */
function isCommonJs(file) {
  if (file.endsWith('.cjs') || file.endsWith('.json') || file.endsWith('.node')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type !== 'module';
    } catch (e) {
      if (e.code !== 'ENOENT') return false;
    }
    if (dirname(dir) === dir) return true;
  }
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

// bin/cli-bundle.js: `tthc` runs a bundle of the CLI's sources, made again whenever a source it
// holds changes; a stale bundle would run yesterday's code. On a small project of its own
// (cli/main.ts and what it imports), each bundle run in a fresh node process.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript (bin/), no types
import { cliBundle } from '../../bin/cli-bundle.js';

const bundleOf = cliBundle as (root: string) => Promise<string>;
let root: string;

const write = async (file: string, text: string) => {
  await mkdir(join(root, file, '..'), { recursive: true });
  await writeFile(join(root, file), text);
};

/** What the bundle's `main` returns, and the import.meta.url cli/main.ts sees, run by node. */
async function run(bundle: string): Promise<{ value: unknown; url: string }> {
  const code = `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)}); console.log(JSON.stringify({ value: await m.main([]), url: m.url }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', code]);
  return JSON.parse(stdout) as { value: unknown; url: string };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tthc-bundle-'));
  await write('package.json', '{ "type": "module" }\n');
  await write('tsconfig.json', '{ "compilerOptions": { "strict": true } }\n');
  await write('cli/main.ts', "import { n } from '../shared/n.ts';\nexport const url = import.meta.url;\nexport async function main(_args: string[]): Promise<number> { return n; }\n");
  await write('shared/n.ts', 'export const n: number = 1;\n');
  // A CommonJS package (required by the bundle) and an ESM one (imported), as npm has both.
  await write('node_modules/cjs-pkg/package.json', '{ "name": "cjs-pkg", "main": "index.js" }\n');
  await write('node_modules/cjs-pkg/index.js', 'module.exports = { a: 5 };\n');
  await write('node_modules/esm-pkg/package.json', '{ "name": "esm-pkg", "type": "module", "exports": "./index.js" }\n');
  await write('node_modules/esm-pkg/index.js', 'export const b = 6;\nexport default 7;\n');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the CLI bundle', () => {
  let first: string;

  it('is made from the sources, each module keeping its own import.meta.url', async () => {
    first = await bundleOf(root);
    expect(first.startsWith(join(root, 'node_modules', '.cache', 'tthc'))).toBe(true);
    expect(await run(first)).toEqual({ value: 1, url: pathToFileURL(join(root, 'cli/main.ts')).href });
  });

  it('is used again while no source changes', async () => {
    expect(await bundleOf(root)).toBe(first);
  });

  it('is made again when a module the entry imports changes', async () => {
    await write('shared/n.ts', 'export const n: number = 22;\n');
    const second = await bundleOf(root);
    expect(second).not.toBe(first);
    expect((await run(second)).value).toBe(22);
    expect(await bundleOf(root)).toBe(second);
  });

  it('is made again when the compiler settings change', async () => {
    const before = await bundleOf(root);
    await write('tsconfig.json', '{ "compilerOptions": { "strict": false } }\n');
    expect(await bundleOf(root)).not.toBe(before);
  });

  it('loads npm packages from node_modules: CommonJS ones required, ESM ones imported, with the same values', async () => {
    await write('shared/n.ts', "import cjs, { a } from 'cjs-pkg';\nimport esm, { b } from 'esm-pkg';\nexport const n: number = cjs.a * 1000 + a * 100 + b * 10 + esm;\n");
    const bundle = await bundleOf(root);
    expect((await run(bundle)).value).toBe(5567);
    const chunks = await Promise.all((await readdir(join(bundle, '..'))).map((f) => readFile(join(bundle, '..', f), 'utf8')));
    expect(chunks.join('\n')).toMatch(/tthcRequire\("cjs-pkg"\)/);
    expect(chunks.join('\n')).toMatch(/from "esm-pkg"/);
  });

  it('is refused for a source that does not compile (tthc then runs the sources through tsx)', async () => {
    await write('shared/n.ts', 'export const n: number = ;\n');
    await expect(bundleOf(root)).rejects.toThrow();
  });
});

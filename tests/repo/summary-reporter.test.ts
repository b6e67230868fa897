// The closing line CI reads must say a file failed when a suite's setup failed: its tests
// never ran, and they count as failed, not skipped.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/reporter/', import.meta.url));

it('a failing beforeAll makes its tests failed, names the file, and the run exits non-zero', async () => {
  const run = await promisify(execFile)(process.execPath, [`${ROOT}node_modules/vitest/vitest.mjs`, 'run', '--root', FIXTURE], { cwd: FIXTURE })
    .then((r) => ({ ...r, code: 0 }), (e) => ({ stdout: String(e.stdout), stderr: String(e.stderr), code: e.code as number }));
  expect(run.code).not.toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines.at(-1)).toBe('1 passed, 2 failed, 1 skipped');
  expect(run.stdout).toMatch(/failed file: .*hook-fails\.fixture\.ts/);
});

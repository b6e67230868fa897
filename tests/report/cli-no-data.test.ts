// Through the real `tthc` command on the local stack: a ranking or a report for a period
// nobody has reported says so in Vietnamese and exits 1, and writes no workbook.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
let home: string;

function tthc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('node', ['bin/tthc.js', ...args], { cwd: REPO, env: { ...process.env, TTHC_HOME: home } }, (e, stdout, stderr) =>
      done({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, stdout, stderr }));
  });
}

beforeAll(async () => { home = await mkdtemp(join(tmpdir(), 'tthc-cli-nodata-')); });
afterAll(async () => { await rm(home, { recursive: true, force: true }); });

describe('a period with no report at all', () => {
  it('tthc ranking (and --json): a Vietnamese message on stderr, nothing on stdout, exit 1', async () => {
    for (const args of [['ranking', '--period', '2030-01'], ['ranking', '--period', '2030-01', '--json']]) {
      const out = await tthc(...args);
      expect(out.code, args.join(' ')).toBe(1);
      expect(out.stderr).toContain('Kỳ 01/2030 chưa có báo cáo hợp lệ nào của đơn vị');
      expect(out.stdout).toBe('');
    }
  }, 60_000);

  it('tthc report: exit 1, no workbook written', async () => {
    const out = await tthc('report', '--period', '2030-01', '--out', join(home, 'out', 'bao-cao.xlsx'));
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('Kỳ 01/2030 chưa có báo cáo hợp lệ nào của đơn vị');
    await expect(readdir(join(home, 'out'))).rejects.toThrow();
  }, 60_000);
});

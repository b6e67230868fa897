// Each `tthc` command loads what it uses and not what other commands use (issue #10: every
// end-to-end run pays its command's start). The emulators of S3 and SES start on their first
// request, so a command that reads no object and sends no mail never loads s3rver or
// aws-ses-v2-local. Seen from outside: the packages a real `tthc` process has loaded when it exits.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tthc, type TthcRun } from '../fixtures/tthc.ts';

const RECORDER = fileURLToPath(new URL('./record-packages.cjs', import.meta.url));
const XLSX = fileURLToPath(new URL('../fixtures/samples/06a-S01-2022-06.xlsx', import.meta.url));
const CSV = fileURLToPath(new URL('../fixtures/samples/template-H03-2022-06.csv', import.meta.url));

let dir: string;
let runs = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tthc-loaded-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `tthc …args` on `home` and returns its exit and the packages it loaded. */
async function packagesOf(home: string, ...args: string[]): Promise<TthcRun & { packages: string[] }> {
  const out = join(dir, `packages-${++runs}.json`);
  const run = await tthc(args, {
    home,
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${RECORDER}"`.trim(), RECORD_PACKAGES_TO: out },
  });
  return { ...run, packages: JSON.parse(await readFile(out, 'utf8')) as string[] };
}

const EMULATORS = ['s3rver', 'dynalite', 'aws-ses-v2-local', 'cognito-local'];
const HEAVY = ['exceljs', 'nodemailer', '@aws-sdk/client-sesv2'];

describe('the packages each tthc command loads', () => {
  it('check of a workbook loads exceljs, which reads it (the recorder sees what a process loads)', async () => {
    const { code, packages } = await packagesOf(join(dir, 'unused'), 'check', '--at', '2022-06-20T10:00:00+07:00', XLSX);
    expect(code).toBe(0);
    expect(packages).toContain('exceljs');
  });

  it('check of a CSV file loads no emulator, no AWS SDK and no exceljs', async () => {
    const { code, packages } = await packagesOf(join(dir, 'unused'), 'check', '--at', '2022-06-20T10:00:00+07:00', CSV);
    expect(code).toBe(0);
    expect(packages.filter((p) => EMULATORS.includes(p) || p.startsWith('@aws-sdk/') || p === 'exceljs')).toEqual([]);
  });

  it('status starts DynamoDB only: no S3 or SES emulator', async () => {
    const home = join(dir, 'status');
    const { code, stdout, packages } = await packagesOf(home, 'status', '--period', '2022-06', '--json');
    expect(code).toBe(0);
    expect(stdout).toContain('"status":"missing"');
    expect(packages).toContain('dynalite');
    expect(packages.filter((p) => EMULATORS.includes(p))).toEqual(['dynalite']);
    // Nor what only other commands use: a workbook, mail.
    expect(packages.filter((p) => HEAVY.includes(p))).toEqual([]);
  });

  it('ingest starts S3 (the upload) and DynamoDB, and no SES: ingest sends no mail', async () => {
    const home = join(dir, 'ingest');
    const file = join(dir, 'bao-cao-H03.csv');
    await copyFile(CSV, file);
    const { code, stdout, packages } = await packagesOf(home, 'ingest', '--at', '2022-06-18T10:00:00+07:00', '--json', file);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'accepted', unit: 'H03' });
    expect(packages.filter((p) => EMULATORS.includes(p)).sort()).toEqual(['dynalite', 's3rver']);
    // A CSV file: no workbook reader; and no mail.
    expect(packages.filter((p) => HEAVY.includes(p))).toEqual([]);
  });
});

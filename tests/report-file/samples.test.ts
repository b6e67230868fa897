// The reference samples (tests/fixtures/samples) read exactly as expected.json says,
// through the library and through the `tthc check --json` command.
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Counts } from '../../shared/report-file/counts.ts';
import { read } from './helpers.ts';

import { SAMPLES } from '../fixtures/samples.ts';
import { tthc as tthcRun, tthcJson, UNUSED_HOME } from '../fixtures/tthc.ts';

interface Expected {
  file: string;
  unit: string;
  period: string;
  kind: 'accepted' | 'rejected';
  expected: Counts | null;
  note: string;
}

const expected: Expected[] = JSON.parse(await readFile(new URL('expected.json', SAMPLES), 'utf8'));
const samplePath = (file: string) => fileURLToPath(new URL(file, SAMPLES));

const tthc = (...args: string[]) => tthcJson<Record<string, unknown>>(args, { home: UNUSED_HOME });

describe('shared samples', () => {
  it('expected.json lists every sample file, and there is at least one of each outcome', async () => {
    const files = (await readdir(SAMPLES)).filter((f) => f !== 'expected.json');
    expect(expected.map((e) => e.file).sort()).toEqual(files.sort());
    expect(expected.some((e) => e.kind === 'accepted')).toBe(true);
    expect(expected.some((e) => e.kind === 'rejected')).toBe(true);
  });

  describe.each(expected)('$file ($kind)', (sample) => {
    it('readSubmission gives the expected status, unit, period and counts', async () => {
      const bytes = await readFile(samplePath(sample.file));
      for (const uploader of [undefined, sample.unit]) {
        const r = await read(bytes, { uploader });
        expect(r.status).toBe(sample.kind);
        expect(r.unit).toBe(sample.unit);
        expect(r.period).toBe(sample.period);
        expect(r.counts).toEqual(sample.expected);
        if (sample.kind === 'accepted') expect(r.errors).toEqual([]);
        else expect(r.errors.length).toBeGreaterThan(0);
        expect(r.layout).toBe(sample.file.endsWith('.csv') ? 'csv' : '06a');
      }
    });
  });

  it('the rejected sample says where the total row is wrong', async () => {
    const r = await read(await readFile(samplePath('bad-S05-2022-06-total-mismatch.xlsx')));
    expect(r.errors).toContainEqual(expect.objectContaining({ code: 'total_row_mismatch', sheet: 'Biểu 06a', row: 13, column: 'D' }));
  });

  it('X007: a SUM whose cached result is 0 is read as 0, not as a formula without a value', async () => {
    // M14 is <f>SUM(M11:M13)</f><v>0</v>; exceljs's cell.value drops a cached 0.
    const r = await read(await readFile(samplePath('06a-X007-2022-06-combined.xlsx')));
    expect(r.warnings).toEqual([]);
    expect(r.counts?.pending_overdue).toBe(0);
  });

  // The command starts a TypeScript runtime, so two runs cover every sample: the accepted
  // ones alone (exit 0), then every sample (exit 1: any rejected file fails the run).
  const accepted = expected.filter((e) => e.kind === 'accepted');
  const cliExpectation = (e: Expected) => ({
    file: samplePath(e.file), status: e.kind, unit: e.unit, period: e.period, counts: e.expected,
    layout: e.file.endsWith('.csv') ? 'csv' : '06a',
  });

  it('tthc check --json over the accepted samples: one line each, as expected.json says, exit 0', async () => {
    const { code, lines } = await tthc('check', '--json', ...accepted.map((e) => samplePath(e.file)));
    expect(lines).toHaveLength(accepted.length);
    accepted.forEach((e, i) => expect(lines[i]).toMatchObject({ ...cliExpectation(e), errors: [] }));
    expect(code).toBe(0);
  });

  it('tthc check --json over every sample: one line each; the rejected one fails the run, exit 1', async () => {
    const { code, lines } = await tthc('check', '--json', ...expected.map((e) => samplePath(e.file)));
    expect(lines).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(lines[i]).toMatchObject(cliExpectation(e)));
    const rejected = lines.filter((l) => l.status === 'rejected');
    expect(rejected.map((l) => l.counts)).toEqual(rejected.map(() => null));
    expect(code).toBe(1);
  });

  it('tthc check --unit: a sample uploaded under another unit\'s prefix is rejected, exit 1', async () => {
    const { code, lines } = await tthc('check', '--json', '--unit', 'S02', samplePath(accepted[0].file));
    expect(lines[0]).toMatchObject({ status: 'rejected', counts: null });
    expect((lines[0].errors as Array<{ code: string }>).map((e) => e.code)).toContain('wrong_unit');
    expect(code).toBe(1);
  });
});

describe('tthc check --registry: the units of today\'s city, not the 2022 built-in ones', () => {
  const REGISTRY_2025 = fileURLToPath(new URL('../../shared/data/haiphong-2025/registry-2025-07.csv', import.meta.url));
  const HEADER = 'unit_code,period,field,received_online,received_direct,received_postal,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue,returned_postal';
  const at = ['--at', '2026-05-18T09:00:00+07:00'];

  it('N001\'s report is accepted with the 2025 registry; without it, refused with a hint to give one', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'tthc-check-')), 'n001.csv');
    await writeFile(file, `${HEADER}\nN001,2026-05,Chung,10,5,0,0,10,5,0,0,0,0\n`);
    const withRegistry = await tthc('check', '--json', ...at, '--registry', REGISTRY_2025, file);
    expect(withRegistry).toMatchObject({ code: 0, lines: [expect.objectContaining({ status: 'accepted', unit: 'N001' })] });
    const builtin = await tthcRun(['check', ...at, file], { home: UNUSED_HOME });
    expect(builtin.code).toBe(1);
    expect(builtin.stdout).toContain('unknown_unit_code');
    expect(builtin.stdout).toContain('--registry TỆP');
  });

  it('a registry file that is not there is an argument mistake (exit 2)', async () => {
    const r = await tthc('check', '--registry', '/khong-co/danh-muc.csv', samplePath(expected[0].file));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--registry: không tìm thấy tệp');
  });
});

// Rules from the data-quality review: received = resolved + pending off by more than a
// rounding slip is an error, and one typo that breaks both a row sum and a column total is
// named as the likely culprit.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SAMPLES } from '../fixtures/samples.ts';
import { csv, expectRejected, makeSpec, read, ROWS, where } from './helpers.ts';
import { writeReport, type Typo } from '../../scripts/generate/report-files.ts';

const TEMPLATE = new URL('template-H03-2022-06.csv', SAMPLES);

/** The template with one cell of one data line replaced (line 1 is the header). */
async function template(line: number, column: string, edit: (v: number) => number): Promise<Buffer> {
  const lines = (await readFile(TEMPLATE, 'utf8')).split('\n');
  const header = lines[0].replace(/^\uFEFF/, '').split(',');
  const cells = lines[line - 1].split(',');
  const i = header.indexOf(column);
  cells[i] = String(edit(Number(cells[i])));
  lines[line - 1] = cells.join(',');
  return Buffer.from(lines.join('\n'), 'utf8');
}

describe('received = resolved + pending (received_not_balanced)', () => {
  it('the CSV template with one received_online multiplied by ten is rejected', async () => {
    const r = await read(await template(2, 'received_online', (v) => v * 10));
    expectRejected(r, { code: 'received_not_balanced', sheet: null, row: 2, column: null });
    expect(r.errors.map((e) => e.code)).toEqual(['received_not_balanced']);
    // In a CSV, received is online + direct + postal + carried over: 600 + 96 + 0 + 23.
    expect(r.errors[0].message).toContain('719');
    expect(r.errors[0].message).toContain('179');
  });

  it('a difference over both 5 dossiers and 2% of received is an error', async () => {
    // Line 2: received 60 + 96 + 0 + 23 = 179; 2% is 3.58, so the bound is 5: 6 is over.
    const r = await read(await template(2, 'received_online', (v) => v + 6));
    expectRejected(r, { code: 'received_not_balanced', sheet: null, row: 2, column: null });
  });

  it('within 5 dossiers it stays the warning', async () => {
    const r = await read(await template(2, 'received_online', (v) => v + 5));
    expect(r.status).toBe('accepted');
    expect(where(r.warnings)).toEqual([{ code: 'received_not_balanced', sheet: null, row: 2, column: null }]);
  });

  it('within 2% of a large received it stays the warning; past it, an error', async () => {
    // ROWS[0] receives 1234 + 2345 + 12 + 300 = 3891: 2% is 77.82.
    const text = (pending: number) => [
      'unit_code,period,field,received_online,received_direct,received_postal,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue',
      `S01,2022-06,Hộ tịch,1234,2345,12,300,1500,1800,91,${pending},50`,
    ].join('\n');
    const near = await read(csv(text(450 - 77)));
    expect(near.status).toBe('accepted');
    expect(where(near.warnings)).toEqual([{ code: 'received_not_balanced', sheet: null, row: 2, column: null }]);
    const far = await read(csv(text(450 - 78)));
    expectRejected(far, { code: 'received_not_balanced', sheet: null, row: 2, column: null });
  });

  it('Biểu 06a with total columns: received_total against resolved_total + pending_total', async () => {
    const rows = [{ ...ROWS[0], counts: { ...ROWS[0].counts, pending_within: 300 } }, ROWS[1], ROWS[2]];
    const r = await read(await writeReport(makeSpec({}, { rows })));
    expectRejected(r, { code: 'received_not_balanced', sheet: 'Biểu 06a', row: 12, column: null });
  });

  it('the total row is held to the same rule', async () => {
    const typos: Typo[] = [{ row: 'total', column: 'pending_within', value: 840 + 200 }, { row: 'total', column: 'pending_total', value: 910 + 200 }];
    const r = await read(await writeReport(makeSpec({}, { typos })));
    expectRejected(r, { code: 'received_not_balanced', sheet: 'Biểu 06a', row: 15, column: null });
  });
});

describe('one typo, one culprit (likely_typo)', () => {
  /** The official form: total columns and a total row (row 15). */
  const official = (typos: Typo[]) => writeReport(makeSpec({}, { typos }));

  it('a data cell that breaks its row sum and its column total is named, with the value that fits both', async () => {
    const r = await read(await official([{ row: 0, column: 'received_online', value: 1243 }]));
    expectRejected(r);
    const column = r.errors.find((e) => e.code === 'total_row_mismatch')!.column;
    const rowSum = r.errors.find((e) => e.code === 'received_total_mismatch')!;
    expect(rowSum.row).toBe(12);
    // The intersection is named first, as the likely culprit; the two sums are still reported.
    expect(where(r.errors)).toEqual([
      { code: 'likely_typo', sheet: 'Biểu 06a', row: 12, column },
      { code: 'received_total_mismatch', sheet: 'Biểu 06a', row: 12, column: rowSum.column },
      { code: 'total_row_mismatch', sheet: 'Biểu 06a', row: 15, column },
    ]);
    const culprit = r.errors[0].message;
    expect(culprit).toContain(`Ô ${column}12`);
    expect(culprit).toContain('Hộ tịch');
    expect(culprit).toContain('1.243');
    expect(culprit).toContain('nếu là 1.234');
  });

  it('a typo in a total column of a data row is named too', async () => {
    const r = await read(await official([{ row: 2, column: 'pending_total', value: 500 }]));
    const culprit = r.errors.filter((e) => e.code === 'likely_typo');
    expect(culprit).toHaveLength(1);
    expect(culprit[0].row).toBe(14);
    expect(culprit[0].column).toBe(r.errors.find((e) => e.code === 'pending_total_mismatch')!.column);
    expect(culprit[0].message).toContain('nếu là 400');
  });

  it('a typo in the total row itself: the total row\'s cell, which should be the sum', async () => {
    const r = await read(await official([{ row: 'total', column: 'resolved_early', value: 2502 }]));
    const culprit = r.errors.filter((e) => e.code === 'likely_typo');
    expect(culprit.map(({ row, column }) => ({ row, column }))).toEqual([{ row: 15, column: r.errors.find((e) => e.code === 'total_row_mismatch')!.column }]);
    expect(culprit[0].message).toContain('nếu là 2.520');
  });

  it('without total columns: the row breaks received = resolved + pending (an error) and the column its total', async () => {
    const r = await read(await writeReport(makeSpec({ totalColumns: false }, { typos: [{ row: 0, column: 'resolved_on_time', value: 18000 }] })));
    expect(r.errors.map((e) => e.code)).toEqual(['likely_typo', 'received_not_balanced', 'total_row_mismatch']);
    expect(r.errors[0].row).toBe(12);
    expect(r.errors[0].message).toContain('nếu là 1.800');
  });

  it('two typos in different rows and columns: no single culprit is guessed', async () => {
    const r = await read(await official([
      { row: 0, column: 'received_online', value: 1243 },
      { row: 2, column: 'resolved_early', value: 1010 },
    ]));
    expect(r.errors.map((e) => e.code)).not.toContain('likely_typo');
    expect(r.errors.filter((e) => e.code === 'total_row_mismatch')).toHaveLength(2);
  });

  it('a row sum alone (no total row) names no culprit', async () => {
    const r = await read(await writeReport(makeSpec({ totalRow: 'none' }, { typos: [{ row: 0, column: 'received_online', value: 1243 }] })));
    expect(r.errors.map((e) => e.code)).toEqual(['received_total_mismatch']);
  });
});

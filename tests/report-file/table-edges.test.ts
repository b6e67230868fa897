// Edges of the table a clerk's file can have: a "không phát sinh" row, text below the table,
// a total row labelled another way or not at all, the signing date line.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { csv, editWorkbook, read } from './helpers.ts';

import { SAMPLES } from '../fixtures/samples.ts';
const s01 = () => readFile(new URL('06a-S01-2022-06.xlsx', SAMPLES));
const S01_ONLINE = 6064; // the sample's total received online
const COUNT_COLS = ['C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O'];

describe('rows inside the table', () => {
  it('"Không phát sinh" written in a field row means zeros, and the rows after it still count', async () => {
    const bytes = await editWorkbook(await s01(), (ws) => {
      // Row 13 (Chứng thực) had nothing this period: the clerk writes it in words.
      for (const c of COUNT_COLS) ws.getCell(`${c}13`).value = 'Không phát sinh';
      // …and the total row is corrected to match.
      const before: Record<string, number> = { C: 2485, D: 944, E: 848, F: 48, G: 645, H: 1838, I: 724, J: 1086, K: 28, L: 647, M: 599, N: 48, O: 3 };
      for (const c of COUNT_COLS) ws.getCell(`${c}17`).value = (ws.getCell(`${c}17`).value as number) - before[c];
    });
    const r = await read(bytes, { uploader: 'S01' });
    expect(r.errors).toEqual([]);
    expect(r.counts?.received_online).toBe(S01_ONLINE - 944);
    expect(r.fields.map((f) => f.field)).toEqual(['Hộ tịch', 'Chứng thực', 'Đất đai', 'Xây dựng', 'Kinh doanh']);
  });

  it('a field row with words where counts go is an error on those cells, not the end of the table', async () => {
    const bytes = await editWorkbook(await s01(), (ws) => { ws.getCell('D13').value = 'chưa tổng hợp'; });
    const r = await read(bytes, { uploader: 'S01' });
    expect(r.status).toBe('rejected');
    expect(r.errors[0]).toMatchObject({ code: 'invalid_number', row: 13, column: 'D' });
  });

  it('a note merged across the table ends it; numbers below the note are refused, not dropped', async () => {
    const bytes = await editWorkbook(await s01(), (ws) => {
      ws.spliceRows(14, 0, ['', 'Ghi chú: số liệu tạm tính'], ['', 'Đất đai', 4172, 1280, 1856, 40, 996, 2836, 1003, 1785, 48, 1336, 1272, 64, 3]);
      ws.mergeCells('B14:O14');
    });
    const r = await read(bytes, { uploader: 'S01' });
    expect(r.status).toBe('rejected');
    expect(r.errors.map((e) => e.code)).toContain('data_after_table_end');
  });

  it('a field forgotten and added under the total row is refused, not dropped', async () => {
    const bytes = await editWorkbook(await s01(), (ws) => {
      ws.spliceRows(18, 0, ['', 'Thương mại', 1100, 1000, 100, 0, 0, 1000, 100, 0, 0, 1000, 0, 0, 0]);
    });
    const r = await read(bytes, { uploader: 'S01' });
    expect(r.status).toBe('rejected');
    expect(r.counts).toBeNull();
    expect(r.errors).toEqual([expect.objectContaining({ code: 'data_after_total', row: 18, column: 'B' })]);
    expect(r.errors[0].message).toContain('nằm dưới dòng tổng cộng (dòng 17)');
  });

  it('notes under the total row stay notes: a breakdown, a rate, a year-to-date line, a contact\'s phone numbers', async () => {
    const bytes = await editWorkbook(await s01(), (ws) => {
      ws.spliceRows(18, 0,
        ['', 'Trong đó: hồ sơ trực tuyến toàn trình', null, 800, null, null, null, 500, 200, 0, 80, 20],
        ['', 'Tỷ lệ (%)', null, 26.6, 73.1, 0.3, null, null, 49.8, 46.8, 3.8],
        ['', 'Lũy kế từ đầu năm', 52000, 30000, 21000, 1000, 0, 20000, 25000, 400, 3000, 200, 0, 60],
        [], ['', 'Liên hệ', '0912345678', null, '0225384212']);
    });
    const r = await read(bytes, { uploader: 'S01' });
    expect(r.errors).toEqual([]);
    expect(r.counts?.received_online).toBe(S01_ONLINE);
  });

  it('a subtotal ("Cộng") after each group is refused: the groups after the first would go uncounted', async () => {
    const header = 'unit_code,period,field,received_online,received_direct,received_postal,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue,returned_postal';
    const r = await read(csv([
      header,
      'H03,2022-06,Hộ tịch,60,96,0,23,58,89,3,29,0,4', 'H03,2022-06,Cộng,60,96,0,23,58,89,3,29,0,4',
      'H03,2022-06,Đất đai,44,36,4,16,29,28,3,40,0,0', 'H03,2022-06,Cộng,44,36,4,16,29,28,3,40,0,0',
    ].join('\n')), { uploader: 'H03' });
    expect(r.status).toBe('rejected');
    expect(r.errors).toEqual([expect.objectContaining({ code: 'data_after_total', row: 4 })]);
  });

  it('the signature block below the total row is not data', async () => {
    const r = await read(await s01(), { uploader: 'S01' });
    expect(r.status).toBe('accepted');
    expect(r.fields).toHaveLength(5);
  });
});

describe('total rows', () => {
  for (const label of ['Toàn đơn vị', 'Cộng toàn Sở', 'TỔNG SỐ']) {
    it(`a total row labelled "${label}" is checked, never added in`, async () => {
      const bytes = await editWorkbook(await s01(), (ws) => { ws.getCell('B17').value = label; });
      const r = await read(bytes, { uploader: 'S01' });
      expect(r.status).toBe('accepted');
      expect(r.counts?.received_online).toBe(S01_ONLINE);
    });
  }

  it('an unlabelled total row (the sum of the rows above) is recognised, with a warning', async () => {
    const bytes = await editWorkbook(await s01(), (ws) => { ws.getCell('B17').value = null; });
    const r = await read(bytes, { uploader: 'S01' });
    expect(r.status).toBe('accepted');
    expect(r.counts?.received_online).toBe(S01_ONLINE);
    expect(r.warnings.map((w) => w.code)).toContain('total_row_unlabelled');
  });

  it('a named field whose counts happen to add up to the rows above is data, not a total (a commune\'s 1, 0, 1)', async () => {
    const head = 'period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue';
    const r = await read(csv(`${head}\n2022-06,Đất đai,,1,,,,,1,\n2022-06,Công chứng,0,0,0,0,0,0,0,0\n2022-06,Hộ tịch,,1,,,,,1,\n`), { uploader: 'S01' });
    expect(r.status).toBe('accepted');
    expect(r.fields.map((f) => f.field)).toEqual(['Đất đai', 'Công chứng', 'Hộ tịch']);
    expect(r.counts?.received_direct).toBe(2);
    expect(r.warnings).toEqual([]);
  });

  it('a CSV whose first field is "Bưu chính" with its counts left empty: a data row, not a second header row', async () => {
    const r = await read(csv('period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue\n2022-06,Bưu chính,,,,,,,,\n2022-06,Công chứng,,1,,,,,,1\n'), { uploader: 'S01' });
    expect(r.errors).toEqual([]);
    expect(r.fields.map((f) => f.field)).toEqual(['Bưu chính', 'Công chứng']);
    expect(r.counts?.received_direct).toBe(1);
  });

  it('a CSV with one whole-unit row labelled "Tổng cộng" is that unit\'s row', async () => {
    const r = await read(csv('unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue\nH03,2022-06,Tổng cộng,60,96,23,58,89,3,29,0\n'));
    expect(r.status).toBe('accepted');
    expect(r.counts?.received_online).toBe(60);
  });
});

describe('title lines', () => {
  it('the signing date line ("Hải Phòng, ngày 05 tháng 7 năm 2022") is not the period', async () => {
    const bytes = await editWorkbook(await s01(), (ws) => { ws.getCell('A7').value = 'Hải Phòng, ngày 05 tháng 7 năm 2022'; });
    const r = await read(bytes, { uploader: 'S01' });
    expect(r.status).toBe('accepted');
    expect(r.period).toBe('2022-06');
  });

  it('a column-numbering row that spells the sums, "(3)=(4)+(5)+(6)+(7)", is not data', async () => {
    const bytes = await editWorkbook(await s01(), (ws) => { ws.getCell('C11').value = '(3)=(4)+(5)+(6)+(7)'; ws.getCell('H11').value = '(8)=(9)+(10)+(11)'; });
    const r = await read(bytes, { uploader: 'S01' });
    expect(r.errors).toEqual([]);
    expect(r.counts?.received_online).toBe(S01_ONLINE);
  });
});

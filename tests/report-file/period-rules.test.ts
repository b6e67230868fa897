// The period against the upload time: a period that has not ended is refused, a period
// older than the one being collected is a warning (a late supplement is fine), and a year
// outside 2000–2100 is refused; no period text makes the reader throw.
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLES } from '../fixtures/samples.ts';
import { tthc, UNUSED_HOME } from '../fixtures/tthc.ts';
import { writeReport, type Variant } from '../../scripts/generate/report-files.ts';
import { csv, editWorkbook, expectAccepted, expectRejected, makeSpec, read, TOTALS, where } from './helpers.ts';

/** An instant given as a local time in Hải Phòng (UTC+7). */
const at = (local: string) => new Date(`${local}+07:00`);
const file = (period: string, variant: Partial<Variant> = {}) => writeReport(makeSpec(variant, { period }));

describe('a period that has not ended yet (period_not_ended)', () => {
  it('2022-06 uploaded on 10/06/2022 is refused, saying when the period ends', async () => {
    const r = await read(await file('2022-06'), { now: at('2022-06-10T09:00:00') });
    expectRejected(r);
    expect(where(r.errors)).toEqual([{ code: 'period_not_ended', sheet: 'Biểu 06a', row: 6, column: 'A' }]);
    expect(r.errors[0].message).toBe('Kỳ 06/2022 kết thúc ngày 15/06/2022; gửi báo cáo từ ngày 15/06/2022. '
      + 'Kỳ đang thu là 05/2022 (từ ngày 16/04/2022 đến ngày 15/05/2022, hạn nộp trước ngày 20/05/2022): nếu đây là báo cáo kỳ 05/2022, sửa dòng kỳ báo cáo rồi gửi lại.');
  });

  it('the day is counted in Hải Phòng: 23:59 on 14/06 is premature, 00:00 on 15/06 is not', async () => {
    const bytes = await file('2022-06');
    expect((await read(bytes, { now: at('2022-06-14T23:59:00') })).errors.map((e) => e.code)).toEqual(['period_not_ended']);
    expectAccepted(await read(bytes, { now: at('2022-06-15T00:00:00') }), { unit: 'S01', period: '2022-06', layout: '06a', counts: TOTALS });
  });

  it('on 15/06 or later it is fine, in both layouts', async () => {
    for (const layout of ['06a', 'csv'] as const) {
      for (const now of ['2022-06-15T08:00:00', '2022-06-16T08:00:00', '2022-06-20T08:00:00']) {
        expectAccepted(await read(await file('2022-06', { layout }), { now: at(now) }), { unit: 'S01', period: '2022-06', layout, counts: TOTALS });
      }
    }
  });

  it('the next period, on the due day of this one, has not ended either', async () => {
    const r = await read(await file('2022-07'), { now: at('2022-06-20T10:00:00') });
    expect(r.errors.map((e) => e.code)).toEqual(['period_not_ended']);
    expect(r.errors[0].message).toBe('Kỳ 07/2022 kết thúc ngày 15/07/2022; gửi báo cáo từ ngày 15/07/2022. '
      + 'Kỳ đang thu là 06/2022 (từ ngày 16/05/2022 đến ngày 15/06/2022, hạn nộp trước ngày 20/06/2022): nếu đây là báo cáo kỳ 06/2022, sửa dòng kỳ báo cáo rồi gửi lại.');
  });

  it('the window is configuration: with calendar-month periods, 2022-06 ends on 30/06', async () => {
    const periods = { startDay: 1, dueDay: 5, timeZone: 'Asia/Ho_Chi_Minh' };
    const bytes = await file('2022-06', { title: 'month' });
    const r = await read(bytes, { periods, now: at('2022-06-20T10:00:00') });
    expect(r.errors[0]?.message).toBe('Kỳ 06/2022 kết thúc ngày 30/06/2022; gửi báo cáo từ ngày 30/06/2022. '
      + 'Kỳ đang thu là 05/2022 (từ ngày 01/05/2022 đến ngày 31/05/2022, hạn nộp trước ngày 05/06/2022): nếu đây là báo cáo kỳ 05/2022, sửa dòng kỳ báo cáo rồi gửi lại.');
    expect((await read(bytes, { periods, now: at('2022-06-30T10:00:00') })).status).toBe('accepted');
  });

  it('tthc check judges against --at, and against the current time without it (the 2022 samples pass)', async () => {
    const sample = fileURLToPath(new URL('template-H03-2022-06.csv', SAMPLES));
    const run = async (...args: string[]) => {
      const { stdout } = await tthc(['check', '--json', ...args, sample], { home: UNUSED_HOME });
      return JSON.parse(stdout) as { status: string; errors: Array<{ code: string }> };
    };
    const early = await run('--at', '2022-06-10T09:00:00+07:00');
    expect({ status: early.status, codes: early.errors.map((e) => e.code) }).toEqual({ status: 'rejected', codes: ['period_not_ended'] });
    expect((await run('--at', '2022-06-15T09:00:00+07:00')).status).toBe('accepted');
    expect((await run()).status).toBe('accepted');
  });
});

describe('a period older than the one being collected (period_not_current, a warning)', () => {
  const STALE = 'Tệp ghi kỳ 05/2022; kỳ đang thu là 06/2022. Nếu đây là báo cáo bổ sung cho kỳ 05/2022 thì không cần làm gì; nếu không, hãy sửa dòng kỳ báo cáo và gửi lại.';

  it('2022-05 uploaded on 20/06/2022 (collecting 2022-06) is accepted with a plain-words warning at the period line', async () => {
    const r = await read(await file('2022-05'), { now: at('2022-06-20T10:00:00') });
    expect(r.status).toBe('accepted');
    expect(r.period).toBe('2022-05');
    expect(where(r.warnings)).toEqual([{ code: 'period_not_current', sheet: 'Biểu 06a', row: 6, column: 'A' }]);
    expect(r.warnings[0].message).toBe(STALE);
  });

  it('the period being collected is the last one closed: on 18/07/2022 it is 2022-07', async () => {
    expect((await read(await file('2022-07'), { now: at('2022-07-18T10:00:00') })).warnings).toEqual([]);
    const r = await read(await file('2022-06'), { now: at('2022-07-18T10:00:00') });
    expect(r.warnings.map((w) => w.message)).toEqual(['Tệp ghi kỳ 06/2022; kỳ đang thu là 07/2022. Nếu đây là báo cáo bổ sung cho kỳ 06/2022 thì không cần làm gì; nếu không, hãy sửa dòng kỳ báo cáo và gửi lại.']);
  });

  it('the current period gets no such warning, and neither does one sent on its last day', async () => {
    expect((await read(await file('2022-06'), { now: at('2022-06-20T10:00:00') })).warnings).toEqual([]);
    expect((await read(await file('2022-06'), { now: at('2022-06-15T10:00:00') })).warnings).toEqual([]);
  });

  it('CSV: the warning points at the period column', async () => {
    const text = 'unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue\nS01,2022-05,Thương mại,1,2,0,1,1,0,1,0\n';
    const r = await read(csv(text), { now: at('2022-06-20T10:00:00') });
    expect(r.status).toBe('accepted');
    expect(where(r.warnings)).toEqual([{ code: 'period_not_current', sheet: null, row: 2, column: 'B' }]);
  });
});

describe('years outside 2000–2100 (period_year_out_of_range)', () => {
  // The official form with its period line (row 6) rewritten, as a clerk would.
  let base: Promise<Buffer> | undefined;
  const titled = async (text: string) => editWorkbook(await (base ??= file('2022-06', { merged: false })), (ws) => { ws.getCell(6, 1).value = text; });

  it.each([
    ['Tháng 1/0000', 6],
    ['Tháng 12/1999', 6],
    ['Tháng 1/2101', 6],
    ['Kỳ báo cáo: 06/9999', 6],
    ['Kỳ báo cáo: Từ ngày 16/05/1022 đến ngày 15/06/1022', 6],
    ['Kỳ báo cáo: Từ ngày 16/05/2022 đến ngày 15/06/3022', 6],
  ])('"%s" is refused with a clear message', async (title, row) => {
    const r = await read(await titled(title));
    expectRejected(r);
    expect(where(r.errors)).toEqual([{ code: 'period_year_out_of_range', sheet: 'Biểu 06a', row, column: 'A' }]);
    expect(r.errors[0].message).toMatch(/năm \d+ .*2000.*2100/);
    expect(r.period).toBeNull();
  });

  it('in the CSV period column too', async () => {
    for (const period of ['0000-01', '1999-12', '2101-01', '01/0000']) {
      const r = await read(csv(`unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue\nS01,${period},Thương mại,1,2,0,1,1,0,1,0\n`));
      expect(where(r.errors), period).toEqual([{ code: 'period_year_out_of_range', sheet: null, row: 2, column: 'B' }]);
    }
  });

  it('2000 and 2100 themselves are years (not refused for the year)', async () => {
    for (const title of ['Tháng 1/2000', 'Tháng 12/2100']) {
      const r = await read(await titled(title), { now: at('2101-01-20T10:00:00') });
      expect(r.errors.map((e) => e.code), title).not.toContain('period_year_out_of_range');
    }
  });

  it('a window with a month or day that does not exist is an invalid period, not a crash', async () => {
    for (const title of ['Kỳ báo cáo: Từ ngày 16/00/2022 đến ngày 15/13/2022', 'Kỳ báo cáo: Từ ngày 99/05/2022 đến ngày 15/06/2022', 'Tháng 0/2022']) {
      const r = await read(await titled(title));
      expect(r.errors.map((e) => e.code), title).toEqual(['invalid_period']);
    }
  });

  it('no period text makes the reader throw (title line or period column)', async () => {
    const num = fc.oneof(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99999 })).map(String);
    const periodText = fc.oneof(
      fc.tuple(num, num).map(([m, y]) => `Tháng ${m}/${y}`),
      fc.tuple(num, num).map(([m, y]) => `Kỳ báo cáo: ${m}/${y}`),
      fc.tuple(num, num, num, num, num, num).map(([a, b, c, d, e, f]) => `Kỳ báo cáo: Từ ngày ${a}/${b}/${c} đến ngày ${d}/${e}/${f}`),
      fc.string(),
    );
    await fc.assert(fc.asyncProperty(periodText, fc.boolean(), async (text, inColumn) => {
      const bytes = inColumn
        ? csv(`unit_code,period,field,received_online,received_direct,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue\nS01,"${text.replaceAll('"', '""').replace(/^Tháng |^Kỳ báo cáo: /, '')}",Thương mại,1,2,0,1,1,0,1,0\n`)
        : await titled(text);
      const r = await read(bytes);
      expect(['accepted', 'rejected']).toContain(r.status);
    }), { numRuns: 150 });
  }, 300_000); // a workbook written per case: minutes on a loaded machine (nothing here is timed)
});

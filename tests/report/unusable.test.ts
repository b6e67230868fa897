// Stored counts that are not counts (Infinity, 1e308, null where a figure is required; written
// before the reader was hardened): the report neither crashes nor writes them into a cell; the
// unit's report is left out of every sum and rate and listed on "Kiểm tra số liệu".
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { COUNT_KEYS, type Counts } from '../../shared/report-file/counts.ts';
import { loadLeadershipReport } from '../../shared/report/load-report.ts';
import type { LeadershipReport } from '../../shared/report/period-report.ts';
import { isUsable, unusableFields } from '../../shared/report/usable.ts';
import { buildWorkbook } from '../../shared/report/workbook.ts';
import { MemoryReportStore } from '../../shared/store/memory-report-store.ts';
import { counts } from './helpers.ts';
import { planContext, putReport } from './store-records.ts';
import { unzip } from './zip.ts';

const NOW = new Date('2022-06-20T01:00:00Z');
const bad = (over: Partial<Record<keyof Counts, unknown>>) => ({ ...counts({ online: 10, direct: 10 }), ...over }) as unknown as Counts;

let r: LeadershipReport;
let bytes: Buffer;
let wb: ExcelJS.Workbook;

beforeAll(async () => {
  const store = new MemoryReportStore();
  await putReport(store, 'S01', '2022-06', counts({ online: 300, direct: 100, onTime: 50 }));
  await putReport(store, 'S02', '2022-06', counts({ online: 100, direct: 100, onTime: 10 }));
  await putReport(store, 'S02', '2022-05', bad({ received_online: Infinity })); // poisons S02's year to date
  await putReport(store, 'X001', '2022-06', bad({ received_online: Infinity }));
  await putReport(store, 'X002', '2022-06', bad({ received_direct: 1e308, resolved_overdue: 1e308 }));
  await putReport(store, 'X003', '2022-06', bad({ received_online: null })); // Infinity after a JSON round trip
  await putReport(store, 'X004', '2022-06', bad({ carried_over: -5, pending_within: 2.5 }));
  await putReport(store, 'H01', '2022-06', counts({ online: 5, direct: 5 }), {
    procedures: [{ code: null, name: 'Thủ tục A', online_level: 'full', received_online: 1, received_direct: Infinity, received_postal: 0 }],
  });
  r = await loadLeadershipReport(planContext(store, NOW), '2022-06');
  bytes = await buildWorkbook(r);
  wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
});

describe('stored counts that are not safe non-negative integers', () => {
  it('unusableFields names each bad field; nulls only where a file may leave a figure unknown', () => {
    expect(unusableFields({ counts: counts({ online: 1, direct: 1, postal: null }), procedures: [] })).toEqual([]);
    expect(unusableFields({ counts: bad({ received_online: Infinity, resolved_overdue: 1e308 }), procedures: [] })).toEqual(['received_online', 'resolved_overdue']);
    expect(unusableFields({ counts: bad({ received_direct: null, carried_over: '3' }), procedures: [] })).toEqual(['received_direct', 'carried_over']);
    expect(unusableFields({ counts: bad({ pending_overdue: -1, pending_within: 0.5 }), procedures: [] })).toEqual(['pending_within', 'pending_overdue']);
  });

  it('isUsable (the fast screen, fields by name) agrees with unusableFields on random reports', () => {
    const value = fc.oneof(fc.nat(1_000_000), fc.constantFrom(null, -1, 0.5, Infinity, NaN, 1e308, '3', undefined));
    const procedure = fc.record({ received_online: value, received_direct: value, received_postal: value });
    fc.assert(fc.property(
      fc.dictionary(fc.constantFrom(...COUNT_KEYS), value), fc.array(procedure, { maxLength: 3 }),
      (over, procedures) => {
        const report = { counts: bad(over), procedures } as unknown as Parameters<typeof isUsable>[0];
        expect(isUsable(report)).toBe(unusableFields(report).length === 0);
      },
    ), { numRuns: 2000 });
    // Every key on its own, so a key left out of isUsable cannot hide behind the random draw.
    for (const k of COUNT_KEYS) expect(isUsable({ counts: bad({ [k]: -1 }), procedures: [] }), k).toBe(false);
  });

  it('the report is built; the sums hold only the usable reports', () => {
    const city = r.totals.city;
    // S01 and S02 (June) only: 400 + 200 new dossiers, 300 + 100 online.
    expect(city.period!.received_online).toBe(400);
    expect(city.periodRates.newDossiers).toBe(600);
    expect(city.periodRates.onlineRate).toBeCloseTo(400 / 600, 12);
    expect(city.ytd!.received_online).toBe(400); // S02's May left out
    expect(city.ytd!.resolved_overdue).toBe(0);
    expect(r.trend.find((t) => t.period === '2022-05')!.city).toBeNull();
    const s02 = r.rows.find((x) => x.unit.code === 'S02')!;
    expect(s02.ytd!.received_online).toBe(100);
    for (const code of ['X001', 'X002', 'X003', 'X004', 'H01']) {
      const row = r.rows.find((x) => x.unit.code === code)!;
      expect(row.period, code).toBeNull();
      expect(row.ytd, code).toBeNull();
      expect(row.status, code).toBe('on_time'); // the unit did report, on time
      expect(r.missing, code).not.toContain(code);
    }
    expect(r.pilotBreaches.map((b) => b.unit)).not.toContain('H01');
  });

  it('lists each unusable report with its period and fields', () => {
    expect(r.unusable.map((u) => `${u.period} ${u.unit} ${u.fields.join('+')}`)).toEqual([
      '2022-06 H01 Chi tiết TTHC',
      '2022-06 X001 received_online',
      '2022-06 X002 received_direct+resolved_overdue',
      '2022-06 X003 received_online',
      '2022-06 X004 carried_over+pending_within',
      '2022-05 S02 received_online',
    ]);
  });

  it('no cell holds Infinity, NaN or an absurd number; "Kiểm tra số liệu" lists the units', () => {
    const parts = unzip(bytes);
    for (const [name, part] of parts) {
      if (!name.startsWith('xl/worksheets/')) continue;
      const xml = part.toString('utf8');
      expect(xml, name).not.toMatch(/<v>[^<]*(Infinity|NaN|e\+)/i);
      for (const v of xml.matchAll(/<v>([^<]*)<\/v>/g)) {
        const n = Number(v[1]);
        if (!Number.isNaN(n)) expect(Math.abs(n), name).toBeLessThan(1e12);
      }
    }
    const ws = wb.getWorksheet('Kiểm tra số liệu')!;
    const listed = new Map<string, string>();
    ws.eachRow((row) => { if (typeof row.getCell(2).value === 'string' && /^[SHX]\d/.test(row.getCell(2).value as string)) listed.set(`${row.getCell(2).value} ${row.getCell(4).value}`, String(row.getCell(5).value)); });
    expect([...listed.keys()].sort()).toEqual(['H01 06/2022', 'S02 05/2022', 'X001 06/2022', 'X002 06/2022', 'X003 06/2022', 'X004 06/2022']);
    expect(listed.get('X001 06/2022')).toContain('không được tính vào số liệu tổng hợp');
    expect(listed.get('X002 06/2022')).toContain('ở "Số hồ sơ nhận giải quyết / Trực tiếp", "Số hồ sơ đã giải quyết / Quá hạn"');
    expect(listed.get('H01 06/2022')).toContain('ở "Chi tiết TTHC"');
  });
});

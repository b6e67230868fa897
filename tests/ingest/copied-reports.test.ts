// The ingest use case on the memory stores, with what a tester reproduced: last month's file
// sent again with only the period line changed, a neighbour's file with only the code changed,
// and a "Từ kỳ trước" that is not what the period before left pending. Each is accepted with a
// warning, in the record, the feedback and the CLI's JSON shape.
import { describe, expect, it, vi } from 'vitest';
import { PlanConfig, type RegistryRow } from '../../shared/config/plan-config.ts';
import { zeroCounts, type Counts } from '../../shared/report-file/counts.ts';
import { coincidenceChance, REPEAT_CHANCE } from '../../shared/ingest/cross-checks.ts';
import { csvReport, SAMPLE_COUNTS } from './helpers.ts';
import { MemoryIngest } from './memory-harness.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
});

const CROSS = ['same_as_previous_period', 'same_as_other_unit', 'carried_over_mismatch'];
/** The cross-check warnings of a verdict (a late period also carries period_not_current). */
const crossCodes = (v: { warnings: Array<{ code: string }> }) => v.warnings.map((w) => w.code).filter((c) => CROSS.includes(c));

/** Balanced figures: what was received and carried over is resolved on time or still pending. */
function figures(online: number, direct: number, carried: number, pendingWithin: number, pendingOverdue = 0): Counts {
  return {
    received_online: online, received_direct: direct, received_postal: 0, carried_over: carried, resolved_early: 0,
    resolved_on_time: online + direct + carried - pendingWithin - pendingOverdue, resolved_overdue: 0,
    pending_within: pendingWithin, pending_overdue: pendingOverdue, returned_postal: 0,
  };
}

async function send(h: MemoryIngest, unit: string, period: string, counts: Counts, at = `${period}-17T09:00:00+07:00`, field = 'Hộ tịch') {
  const file = csvReport(unit, period, [{ field, counts }]);
  return h.upload(`incoming/${unit}/bao-cao-${period}.csv`, file.bytes, at);
}

describe('last month\'s file sent again with only the period line changed', () => {
  it('is accepted with same_as_previous_period naming the period before, in the record and the feedback', async () => {
    const h = new MemoryIngest();
    const may = figures(300, 200, 40, 35, 5);
    expect(crossCodes(await send(h, 'X101', '2022-05', may))).toEqual([]);
    const june = await send(h, 'X101', '2022-06', may);
    expect(june.outcome).toBe('accepted');
    expect(crossCodes(june)).toEqual(['same_as_previous_period']);
    expect(await h.store.getCurrent('2022-06', 'X101')).toMatchObject({ counts: may }); // still the report
    const text = (await h.text(june.feedback.text))!;
    expect(text).toContain('Mọi số liệu của báo cáo kỳ 06/2022 trùng khớp với báo cáo kỳ 05/2022 của đơn vị');
    expect(text).toContain('(mã lưu ý: same_as_previous_period)');
    const json = JSON.parse((await h.text(june.feedback.json))!);
    expect(json.warnings.map((w: { code: string }) => w.code)).toContain('same_as_previous_period');
    expect((await h.store.getUpload('2022-06', 'X101', june.uploadId))!.warnings.map((w) => w.code)).toContain('same_as_previous_period');
  });

  it('not small figures (a quiet commune repeats them by chance: REPEAT_CHANCE), nor a report of zeros, nor figures equal to a period further back, nor the first period the unit sends', async () => {
    const h = new MemoryIngest();
    const tiny = figures(1, 2, 0, 0);
    expect(coincidenceChance(tiny)).toBeGreaterThan(REPEAT_CHANCE);
    expect(crossCodes(await send(h, 'X102', '2022-05', tiny))).toEqual([]); // no period before
    expect(crossCodes(await send(h, 'X102', '2022-06', tiny))).toEqual([]);
    await send(h, 'X103', '2022-05', zeroCounts());
    expect(crossCodes(await send(h, 'X103', '2022-06', zeroCounts()))).toEqual([]);
    const april = figures(300, 200, 0, 0);
    await send(h, 'X104', '2022-04', april);
    expect(crossCodes(await send(h, 'X104', '2022-06', april))).toEqual([]); // 05/2022 not sent: no period just before
  });

  it('the period before as it stands: its newest report, not a replaced one', async () => {
    const h = new MemoryIngest();
    const first = figures(300, 200, 0, 0);
    await send(h, 'X105', '2022-05', first, '2022-05-17T09:00:00+07:00');
    await send(h, 'X105', '2022-05', figures(310, 200, 0, 0), '2022-05-18T09:00:00+07:00'); // corrected
    expect(crossCodes(await send(h, 'X105', '2022-06', first))).toEqual([]);
  });
});

describe('a neighbour\'s file with only the code changed', () => {
  const neighbour = figures(6064, 5584, 3326, 3373, 208);

  it('is accepted with same_as_other_unit naming the unit whose report it equals; that unit is not warned', async () => {
    const h = new MemoryIngest();
    const own = await send(h, 'H02', '2022-06', neighbour);
    expect(crossCodes(own)).toEqual([]);
    const copy = await send(h, 'H03', '2022-06', neighbour);
    expect(copy.outcome).toBe('accepted');
    expect(crossCodes(copy)).toEqual(['same_as_other_unit']);
    const text = (await h.text(copy.feedback.text))!;
    expect(text).toMatch(/trùng khớp với báo cáo kỳ 06\/2022 của [^(]+ \(H02\); hai đơn vị khó có số liệu giống hệt nhau/);
    expect(await h.store.getCurrent('2022-06', 'H03')).toMatchObject({ counts: neighbour });
    // The same figures in another period are no twin, and the unit's own new upload neither.
    expect(crossCodes(await send(h, 'H04', '2022-05', neighbour))).toEqual([]);
    const again = await send(h, 'H02', '2022-06', neighbour, '2022-06-18T09:00:00+07:00', 'Chung'); // other bytes, same figures
    expect(again.outcome).toBe('accepted');
    expect(crossCodes(again)).toEqual(['same_as_other_unit']); // H03 has them now
  });

  it('not once the other unit has replaced its report, nor for figures two units may share by chance', async () => {
    const h = new MemoryIngest();
    await send(h, 'H05', '2022-06', neighbour, '2022-06-17T09:00:00+07:00');
    await send(h, 'H05', '2022-06', figures(6064, 5584, 3326, 3372, 208), '2022-06-17T10:00:00+07:00'); // corrected
    expect(crossCodes(await send(h, 'H06', '2022-06', neighbour))).toEqual([]);
    const quiet = figures(10, 10, 0, 0);
    await send(h, 'X106', '2022-06', quiet);
    expect(crossCodes(await send(h, 'X107', '2022-06', quiet))).toEqual([]);
  });
});

describe('"Từ kỳ trước" against what the period before left pending', () => {
  it('a year-to-date figure is warned with both numbers and periods; a few dossiers apart is not', async () => {
    const h = new MemoryIngest();
    await send(h, 'X108', '2022-05', figures(300, 200, 80, 90, 10)); // 100 pending at the end of 05/2022
    const ytd = await send(h, 'X108', '2022-06', figures(1800, 1200, 480, 95, 5));
    expect(ytd.outcome).toBe('accepted');
    expect(crossCodes(ytd)).toEqual(['carried_over_mismatch']);
    expect(ytd.warnings.find((w) => w.code === 'carried_over_mismatch')!.message)
      .toContain('Số hồ sơ "Từ kỳ trước" của kỳ 06/2022 là 480, nhưng cuối kỳ 05/2022 còn 100 hồ sơ đang giải quyết (trong hạn 90 + quá hạn 10)');
    expect(crossCodes(await send(h, 'X108', '2022-06', figures(310, 190, 104, 95, 5), '2022-06-18T09:00:00+07:00'))).toEqual([]);
    // No report of the period before: nothing to compare.
    expect(crossCodes(await send(h, 'X109', '2022-06', figures(310, 190, 480, 95, 5)))).toEqual([]);
  });
});

describe('after a merger the period before is under the merged units\' codes', () => {
  const row = (code: string, over: Partial<RegistryRow> = {}): RegistryRow => ({
    code, level: 'commune', name: `Xã ${code}`, parentCode: 'H01', contactEmail: null, validFrom: '2025-01', validTo: null, mergedInto: null, ...over,
  });
  const units = PlanConfig.withLoaded([row('Q01', { validTo: '2025-06', mergedInto: 'Q02' }), row('Q02'), row('Q03', { validTo: '2025-06', mergedInto: 'Q04' }), row('Q04', { validFrom: '2025-07' })], []);

  async function merged() {
    const h = new MemoryIngest({ start: '2025-06-17T09:00:00+07:00' });
    const deps = { ...h.deps, units };
    const at = async (unit: string, period: string, counts: Counts, time: string) => {
      const [v] = await h.deliver(await h.put({ key: `incoming/${unit}/bao-cao-${period}.csv`, bytes: csvReport(unit, period, [{ field: 'Chung', counts }]).bytes, eventTime: time }), deps);
      return v;
    };
    await at('Q01', '2025-06', figures(300, 200, 0, 30, 10), '2025-06-17T02:00:00Z'); // 40 pending
    await at('Q02', '2025-06', figures(400, 100, 0, 60), '2025-06-17T02:00:00Z'); // 60 pending
    await at('Q03', '2025-06', figures(500, 300, 0, 70), '2025-06-17T02:00:00Z'); // 70 pending
    return at;
  }

  it('the carried-over count of a unit that took another in is checked against both units\' pending', async () => {
    const at = await merged();
    expect(crossCodes(await at('Q02', '2025-07', figures(700, 300, 100, 80), '2025-07-17T02:00:00Z'))).toEqual([]);
    const own = await at('Q02', '2025-07', figures(700, 300, 60, 80), '2025-07-18T02:00:00Z');
    expect(crossCodes(own)).toEqual(['carried_over_mismatch']);
    expect(own.warnings.find((w) => w.code === 'carried_over_mismatch')!.message).toContain('còn 100 hồ sơ đang giải quyết (trong hạn 90 + quá hạn 10) theo báo cáo kỳ đó của các mã Q02, Q01 (nay hợp thành đơn vị)');
  });

  it('a renamed unit: its old code\'s report, for the carried-over count and a copy', async () => {
    const at = await merged();
    expect(crossCodes(await at('Q04', '2025-07', figures(500, 300, 70, 70), '2025-07-17T02:00:00Z'))).toEqual([]);
    const copy = await at('Q04', '2025-07', figures(500, 300, 0, 70), '2025-07-18T02:00:00Z');
    expect(crossCodes(copy)).toEqual(['same_as_previous_period', 'carried_over_mismatch']);
    expect(copy.warnings[0].message).toContain('trùng khớp với báo cáo kỳ 06/2025 của mã Q03 (nay thuộc đơn vị)');
  });
});

describe('the cross-checks never cost a report', () => {
  it('they come first in the stored record, which keeps 100 warnings: a file with 120 of its own (duplicate_field) keeps them', async () => {
    const h = new MemoryIngest();
    // The same field 121 times, other counts each time: 120 duplicate_field warnings; the same file for May and June.
    const rows = Array.from({ length: 121 }, (_, i) => ({ field: 'Hộ tịch', counts: figures(i + 1, 1, 0, 0) }));
    const file = (period: string) => csvReport('X120', period, rows).bytes;
    await h.upload('incoming/X120/thang-05.csv', file('2022-05'), '2022-05-17T09:00:00+07:00');
    const june = await h.upload('incoming/X120/thang-06.csv', file('2022-06'), '2022-06-17T09:00:00+07:00');
    expect(june.outcome).toBe('accepted');
    // The feedback lists all of them.
    const json = JSON.parse((await h.text(june.feedback.json))!);
    expect(json.warnings.filter((w: { code: string }) => w.code === 'duplicate_field')).toHaveLength(120);
    const stored = (await h.store.getUpload('2022-06', 'X120', june.uploadId))!.warnings;
    expect(stored).toHaveLength(100);
    expect(stored[0].code).toBe('same_as_previous_period');
  });

  it('a store that fails the twin read or the counts note: the report is accepted and stored all the same', async () => {
    const h = new MemoryIngest();
    const neighbour = figures(6064, 5584, 3326, 3373, 208);
    await send(h, 'X130', '2022-06', neighbour);
    vi.spyOn(h.store, 'currentCounts').mockRejectedValue(new Error('ProvisionedThroughputExceededException'));
    vi.spyOn(h.store, 'noteCounts').mockRejectedValue(new Error('ProvisionedThroughputExceededException'));
    const copy = await send(h, 'X131', '2022-06', neighbour);
    expect(copy.outcome).toBe('accepted');
    expect(crossCodes(copy)).toEqual([]); // not worked out: no warning, no loss
    expect(await h.store.getCurrent('2022-06', 'X131')).toMatchObject({ counts: neighbour });
  });
});

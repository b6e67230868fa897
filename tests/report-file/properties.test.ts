// Properties, checked by fast-check: random valid reports in random shapes read back to
// exactly their counts; any single corrupted count is caught; a realistic month of all 252
// units reads back whole. A failure is shrunk to a small case (fewest fields, plainest shape)
// and printed with the seed that repeats it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { dueInstant, formatPeriod } from '../../shared/period.ts';
import type { Counts } from '../../shared/report-file/counts.ts';
import {
  carryingOver, DEFAULT_VARIANT, expectedCounts, pendingOf, realisticMonth, writeReport,
  type Key, type ReportSpec, type Typo, type Variant,
} from '../../scripts/generate/report-files.ts';
import { read } from './helpers.ts';

// Tricky names included: "Công …" and "Tổng hợp" fold to words that begin total labels.
const FIELDS = [
  'Hộ tịch', 'Chứng thực', 'Đất đai', 'Xây dựng', 'Công chứng', 'Công nghiệp', 'Tổng hợp', 'Cộng đồng dân cư',
  'Bưu chính', 'Thi đua, khen thưởng', 'Người có công', 'Đường thủy nội địa', 'Giáo dục và Đào tạo', 'Y tế',
  'Lao động - tiền lương', 'Quá hạn xử lý', 'An toàn thực phẩm', 'Hòa giải cơ sở', 'Trồng trọt', 'Thuế "phí, lệ phí"',
];

/** One field's counts, consistent (received = resolved + pending): received in four channels,
 * then split among the five outcomes by cut points. Shrinks towards zeros. */
const countsArb: fc.Arbitrary<Counts> = fc.constantFrom(3, 40, 600, 9000, 40000, 0).chain((scale) => fc.record({
  online: fc.nat(scale), direct: fc.nat(scale), postal: fc.nat(Math.ceil(scale / 10)), carried: fc.nat(Math.ceil(scale / 3)),
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), returned: fc.double({ min: 0, max: 1, noNaN: true }),
})).map(({ online, direct, postal, carried, cuts, returned }) => {
  const received = online + direct + postal + carried;
  const [a, b, c, d] = cuts.map((x) => Math.round(x * received)).sort((x, y) => x - y);
  return {
    received_online: online, received_direct: direct, received_postal: postal, carried_over: carried,
    resolved_early: a, resolved_on_time: b - a, resolved_overdue: c - b, pending_within: d - c, pending_overdue: received - d,
    returned_postal: Math.round(Math.min(postal * 2 + 1, c) * returned),
  };
});

/** True with probability p; shrinks to false (the plainer file). */
const chance = (p: number) => fc.integer({ min: 0, max: 99 }).map((x) => x >= 100 - p * 100);

/** A file's shape, as often as the generator's randomVariant makes each; each knob shrinks
 * towards its first (plainest) value. */
const variantArb = (overrides: Partial<Variant>): fc.Arbitrary<Variant> => fc.record({
  layout: fc.oneof({ weight: 4, arbitrary: fc.constant('06a' as const) }, { weight: 1, arbitrary: fc.constant('csv' as const) }),
  headerRows: fc.constantFrom(1, 2, 3),
  desk: fc.constantFrom('separate', 'combined'),
  postalColumn: chance(0.85), totalColumns: chance(0.75), rowTotalFormulas: chance(0.15), returnedPostal: chance(0.3),
  merged: chance(0.75), shuffle: chance(0.1),
  origin: fc.oneof({ weight: 4, arbitrary: fc.constant({ row: 1, col: 1 }) }, { weight: 1, arbitrary: fc.record({ row: fc.integer({ min: 1, max: 4 }), col: fc.integer({ min: 1, max: 4 }) }) }),
  columnNumbers: fc.boolean(),
  totalRow: fc.constantFrom('values', 'formulas', 'none'),
  totalFirst: chance(0.05),
  totalLabel: fc.constantFrom('Tổng cộng', 'Tổng số', 'Cộng', 'TỔNG CỘNG'),
  numbers: fc.oneof({ weight: 7, arbitrary: fc.constant('number' as const) }, { weight: 3, arbitrary: fc.constantFrom('text', 'dots', 'commas', 'spaces', 'padded', 'mixed') }),
  zero: fc.constantFrom('number', 'dash', 'empty'),
  title: fc.constantFrom('range', 'month', 'period', 'dates'),
  unitPrefix: fc.boolean(), unitUpper: chance(0.1), unitAscii: chance(0.1), unitNfd: chance(0.05), codeLine: fc.boolean(),
  headerText: fc.constantFrom('normal', 'upper', 'ascii'),
  fieldHeader: fc.constantFrom('Lĩnh vực giải quyết', 'Lĩnh vực', 'Tên lĩnh vực'),
  postalHeader: fc.constantFrom('Dịch vụ bưu chính công ích', 'Bưu chính', 'BCCI'),
  carriedHeader: fc.constantFrom('Từ kỳ trước', 'Kỳ trước chuyển qua'),
  instructionSheet: chance(0.15), blankRows: chance(0.1), signature: chance(0.8), detailSheet: chance(0.25),
  csvSeparator: fc.constantFrom(',', ';'), csvBom: fc.boolean(), csvQuoteAll: chance(0.3), csvExtraColumns: chance(0.3),
  csvUnitColumn: chance(0.9), csvCrlf: fc.boolean(),
  seed: fc.integer({ min: 1, max: 2 ** 31 }),
}).map((v) => ({ ...DEFAULT_VARIANT, ...v, ...overrides } as Variant));

const specArb = (overrides: Partial<Variant> = {}): fc.Arbitrary<ReportSpec> => fc.record({
  unit: fc.constantFrom(...PLAN_128_UNITS),
  month: fc.integer({ min: 1, max: 12 }),
  fields: fc.shuffledSubarray(FIELDS, { minLength: 1, maxLength: 12 }),
  counts: fc.array(countsArb, { minLength: 12, maxLength: 12 }),
  variant: variantArb(overrides),
}).map(({ unit, month, fields, counts, variant }) => {
  const rows = fields.map((field, i) => ({ field, counts: counts[i] }));
  // A report receives something: an all-zero file is a different case.
  if (!rows.some((r) => r.counts.received_online + r.counts.received_direct > 0)) rows[0].counts = { ...rows[0].counts, received_direct: 1, pending_within: rows[0].counts.pending_within + 1 };
  return {
    unit: { code: unit.code, name: unit.name }, period: formatPeriod(2022, month), rows,
    variant: { ...variant, unitPrefix: unit.level !== 'department' && variant.unitPrefix },
  };
});

/** A reading "now" inside the reporting window of the spec's period. */
const nowFor = (spec: ReportSpec) => dueInstant(spec.period);

// Hundreds of files written and read: minutes on a loaded two-core machine (nothing here is timed).
describe('round trip', { timeout: 300_000 }, () => {
  it('150 random valid reports in random shapes (either layout) read back to exactly their counts', async () => {
    const layouts = { '06a': 0, csv: 0 };
    await fc.assert(fc.asyncProperty(specArb(), async (spec) => {
      const v = spec.variant as Variant;
      const r = await read(await writeReport(spec), { uploader: spec.unit.code, now: nowFor(spec) });
      const got = { status: r.status, unit: r.unit, period: r.period, layout: r.layout, counts: r.counts, errors: r.errors, warnings: r.warnings };
      expect(got).toEqual({
        status: 'accepted', unit: spec.unit.code, period: spec.period, layout: v.layout, counts: expectedCounts(spec), errors: [], warnings: [],
      });
      layouts[v.layout]++;
    }), { numRuns: 150 });
    expect(layouts.csv).toBeGreaterThan(15);
    expect(layouts['06a']).toBeGreaterThan(80);
  });

  it('the same spec gives the same reading', async () => {
    await fc.assert(fc.asyncProperty(specArb(), async (spec) => {
      const [ra, rb] = await Promise.all([spec, structuredClone(spec)].map(async (s) => read(await writeReport(s), { uploader: s.unit.code, now: nowFor(s) })));
      expect(ra).toEqual(rb);
    }), { numRuns: 10 });
  });
});

/** The count columns the variant writes. */
function columnsOf(v: Variant): Key[] {
  return [
    ...(v.totalColumns ? ['received_total', 'resolved_total', 'pending_total'] as Key[] : []),
    'received_online',
    ...(v.desk === 'combined' ? ['received_direct_or_postal'] as Key[] : ['received_direct', ...(v.postalColumn ? ['received_postal'] : [])] as Key[]),
    'carried_over', 'resolved_early', 'resolved_on_time', 'resolved_overdue', 'pending_within', 'pending_overdue',
    ...(v.returnedPostal ? ['returned_postal'] as Key[] : []),
  ];
}

/** What the cell holds now, from the spec (totals are sums of their parts). */
function cellValue(spec: ReportSpec, row: number | 'total', key: Key): number {
  const rows = row === 'total' ? spec.rows : [spec.rows[row]];
  const v = spec.variant as Variant;
  const desk = (c: typeof rows[number]['counts']) => c.received_direct + (v.desk === 'separate' && v.postalColumn ? 0 : c.received_postal ?? 0);
  let sum = 0;
  for (const { counts: c } of rows) {
    switch (key) {
      case 'received_total': sum += c.received_online + c.received_direct + (c.received_postal ?? 0) + c.carried_over; break;
      case 'resolved_total': sum += c.resolved_early + c.resolved_on_time + c.resolved_overdue; break;
      case 'pending_total': sum += c.pending_within + c.pending_overdue; break;
      case 'received_direct': case 'received_direct_or_postal': sum += desk(c); break;
      default: sum += c[key] ?? 0;
    }
  }
  return sum;
}

describe('corruption', { timeout: 300_000 }, () => {
  const deltas = fc.constantFrom(1, -1, 2, 10, 100, 1000, 999999);

  it('any single changed count in a file with a total row (data row or total row) is rejected', async () => {
    const arb = fc.constantFrom('values', 'formulas').chain((totalRow) => specArb({ layout: '06a', totalRow: totalRow as Variant['totalRow'] }))
      .chain((spec) => fc.record({
        spec: fc.constant(spec),
        row: fc.oneof({ weight: 7, arbitrary: fc.integer({ min: 0, max: spec.rows.length - 1 }) }, { weight: 3, arbitrary: fc.constant('total' as const) }),
        column: fc.constantFrom(...columnsOf(spec.variant as Variant)),
        delta: deltas,
      }));
    await fc.assert(fc.asyncProperty(arb, async ({ spec, row, column, delta }) => {
      const typo: Typo = { row, column, value: cellValue(spec, row, column) + delta };
      const r = await read(await writeReport({ ...spec, typos: [typo] }), { uploader: spec.unit.code, now: nowFor(spec) });
      expect({ status: r.status, counts: r.counts }).toEqual({ status: 'rejected', counts: null });
      expect(r.errors.map((e) => e.code).filter((c) => /mismatch|negative_count/.test(c)).length).toBeGreaterThan(0);
    }), { numRuns: 100 });
  });

  it('any single changed count in a file with total columns and no total row is rejected (returned_postal aside: no identity has it)', async () => {
    const arb = specArb({ totalColumns: true, totalRow: 'none' }).chain((spec) => fc.record({
      spec: fc.constant(spec),
      row: fc.integer({ min: 0, max: spec.rows.length - 1 }),
      column: fc.constantFrom(...columnsOf(spec.variant as Variant).filter((k) => k !== 'returned_postal')),
      delta: fc.constantFrom(1, -1, 7, 1000),
    }));
    await fc.assert(fc.asyncProperty(arb, async ({ spec, row, column, delta }) => {
      const typo: Typo = { row, column, value: cellValue(spec, row, column) + delta };
      const r = await read(await writeReport({ ...spec, typos: [typo] }), { uploader: spec.unit.code, now: nowFor(spec) });
      expect({ status: r.status, counts: r.counts }).toEqual({ status: 'rejected', counts: null });
    }), { numRuns: 60 });
  });
});

describe('a realistic month', () => {
  const specs = realisticMonth(2022, PLAN_128_UNITS, '2022-06');

  it('has one file per unit, realistic sizes and a mix of shapes', () => {
    expect(specs).toHaveLength(252);
    const received = (s: ReportSpec) => expectedCounts(s).received_online + expectedCounts(s).received_direct + (expectedCounts(s).received_postal ?? 0);
    const byLevel = (level: string) => specs.filter((s) => PLAN_128_UNITS.find((u) => u.code === s.unit.code)!.level === level);
    expect(Math.max(...byLevel('department').map(received))).toBeGreaterThan(10_000);
    expect(Math.max(...byLevel('commune').map(received))).toBeLessThan(2_000);
    expect(Math.min(...byLevel('commune').map(received))).toBeGreaterThan(5);
    for (const s of specs) expect(s.rows.length).toBeLessThanOrEqual(30);
    expect(Math.max(...specs.map((s) => s.rows.length))).toBeGreaterThanOrEqual(20);
    const variants = specs.map((s) => s.variant as Variant);
    for (const [key, values] of Object.entries({
      layout: ['06a', 'csv'], headerRows: [1, 2, 3], desk: ['separate', 'combined'], totalRow: ['none', 'values', 'formulas'],
      title: ['range', 'month', 'period', 'dates'], numbers: ['number', 'dots'], zero: ['number', 'dash', 'empty'], merged: [true, false],
    })) {
      const seen = new Set(variants.map((v) => v[key as keyof Variant]));
      for (const value of values) expect(seen.has(value as never), `${key} = ${value}`).toBe(true);
    }
    expect(realisticMonth(2022, PLAN_128_UNITS, '2022-06')).toEqual(specs);
  });

  it('every file of the month is accepted under its upload prefix, with its counts', async () => {
    const now = new Date('2022-06-20T03:00:00Z');
    for (const spec of specs) {
      const r = await read(await writeReport(spec), { uploader: spec.unit.code, now });
      expect({ status: r.status, unit: r.unit, counts: r.counts, errors: r.errors }, spec.unit.code)
        .toEqual({ status: 'accepted', unit: spec.unit.code, counts: expectedCounts(spec), errors: [] });
    }
  });

  it('the next month can carry over what this one left pending, every row still balanced (the demo\'s two months)', async () => {
    const next = realisticMonth(2022, PLAN_128_UNITS, '2022-07');
    const now = new Date('2022-07-20T03:00:00Z');
    for (const [i, spec] of next.entries()) {
      const carried = carryingOver(spec, pendingOf(specs[i]));
      const c = expectedCounts(carried);
      expect(c.carried_over, spec.unit.code).toBe(pendingOf(specs[i]));
      for (const row of carried.rows) {
        const r = row.counts;
        expect(Object.values(r).every((v) => v === null || v >= 0), spec.unit.code).toBe(true);
        expect(r.received_online + r.received_direct + (r.received_postal ?? 0) + r.carried_over)
          .toBe(r.resolved_early + r.resolved_on_time + r.resolved_overdue + r.pending_within + r.pending_overdue);
      }
      if (i % 25 === 0) expect((await read(await writeReport(carried), { uploader: spec.unit.code, now })).errors, spec.unit.code).toEqual([]);
    }
  });
});

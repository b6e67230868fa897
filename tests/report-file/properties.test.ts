// Property-style tests with the generator's seeded RNG: random valid reports in random shapes
// read back to exactly their counts; any single corrupted count is caught; a realistic month
// of all 252 units reads back whole. Seeds are fixed, so a failure names its case and repeats.
import { describe, expect, it } from 'vitest';
import { PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { dueInstant, formatPeriod } from '../../shared/period.ts';
import {
  expectedCounts, makeRng, randomCounts, randomVariant, realisticMonth, writeReport,
  type Key, type ReportSpec, type Rng, type Typo, type Variant,
} from '../../scripts/generate/report-files.ts';
import { read } from './helpers.ts';

// Tricky names included: "Công …" and "Tổng hợp" fold to words that begin total labels.
const FIELDS = [
  'Hộ tịch', 'Chứng thực', 'Đất đai', 'Xây dựng', 'Công chứng', 'Công nghiệp', 'Tổng hợp', 'Cộng đồng dân cư',
  'Bưu chính', 'Thi đua, khen thưởng', 'Người có công', 'Đường thủy nội địa', 'Giáo dục và Đào tạo', 'Y tế',
  'Lao động - tiền lương', 'Quá hạn xử lý', 'An toàn thực phẩm', 'Hòa giải cơ sở', 'Trồng trọt', 'Thuế "phí, lệ phí"',
];

function randomSpec(rng: Rng, overrides: Partial<Variant> = {}): ReportSpec {
  const unit = rng.pick(PLAN_128_UNITS);
  const period = formatPeriod(2022, rng.int(1, 12));
  const fields = rng.shuffle(FIELDS).slice(0, rng.int(1, 12));
  const scales = [0, 3, 40, 600, 9000, 40000];
  const rows = fields.map((field) => ({ field, counts: randomCounts(rng, rng.pick(scales)) }));
  if (!rows.some((r) => r.counts.received_online + r.counts.received_direct > 0)) rows[0].counts = randomCounts(rng, 25);
  return { unit, period, rows, variant: { ...randomVariant(rng, unit.level), ...overrides } };
}

/** A reading "now" inside the reporting window of the spec's period. */
const nowFor = (spec: ReportSpec) => dueInstant(spec.period);

describe('round trip', () => {
  it('150 random valid reports in random shapes (either layout) read back to exactly their counts', async () => {
    const layouts = { '06a': 0, csv: 0 };
    for (let i = 0; i < 150; i++) {
      const spec = randomSpec(makeRng(`round-trip/${i}`));
      const v = spec.variant as Variant;
      const r = await read(await writeReport(spec), { uploader: spec.unit.code, now: nowFor(spec) });
      const got = { status: r.status, unit: r.unit, period: r.period, layout: r.layout, counts: r.counts, errors: r.errors, warnings: r.warnings };
      expect(got, `case ${i}: ${JSON.stringify(v)}`).toEqual({
        status: 'accepted', unit: spec.unit.code, period: spec.period, layout: v.layout, counts: expectedCounts(spec), errors: [], warnings: [],
      });
      layouts[v.layout]++;
    }
    expect(layouts.csv).toBeGreaterThan(15);
    expect(layouts['06a']).toBeGreaterThan(80);
  });

  it('the same spec gives the same reading (the generator is deterministic)', async () => {
    for (let i = 0; i < 10; i++) {
      const [a, b] = [randomSpec(makeRng(`det/${i}`)), randomSpec(makeRng(`det/${i}`))];
      expect(a).toEqual(b);
      const [ra, rb] = await Promise.all([a, b].map(async (s) => read(await writeReport(s), { uploader: s.unit.code, now: nowFor(s) })));
      expect(ra).toEqual(rb);
    }
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

describe('corruption', () => {
  it('any single changed count in a file with a total row (data row or total row) is rejected', async () => {
    for (let i = 0; i < 100; i++) {
      const rng = makeRng(`corrupt-total-row/${i}`);
      const spec = randomSpec(rng, { layout: '06a', totalRow: rng.pick(['values', 'formulas'] as const) });
      const v = spec.variant as Variant;
      const row = rng.chance(0.3) ? 'total' as const : rng.int(0, spec.rows.length - 1);
      const column = rng.pick(columnsOf(v));
      const before = cellValue(spec, row, column);
      const delta = rng.pick([1, -1, 2, 10, 100, 1000, 999999]);
      const typo: Typo = { row, column, value: before + delta };
      const r = await read(await writeReport({ ...spec, typos: [typo] }), { uploader: spec.unit.code, now: nowFor(spec) });
      expect({ status: r.status, counts: r.counts }, `case ${i}: ${JSON.stringify({ typo, before, v })}`).toEqual({ status: 'rejected', counts: null });
      expect(r.errors.map((e) => e.code).filter((c) => /mismatch|negative_count/.test(c)).length, `case ${i}`).toBeGreaterThan(0);
    }
  });

  it('any single changed count in a file with total columns and no total row is rejected (returned_postal aside: no identity has it)', async () => {
    for (let i = 0; i < 60; i++) {
      const rng = makeRng(`corrupt-total-columns/${i}`);
      const spec = randomSpec(rng, { totalColumns: true, totalRow: 'none' });
      const v = spec.variant as Variant;
      const row = rng.int(0, spec.rows.length - 1);
      const column = rng.pick(columnsOf(v).filter((k) => k !== 'returned_postal'));
      const before = cellValue(spec, row, column);
      const typo: Typo = { row, column, value: before + rng.pick([1, -1, 7, 1000]) };
      const r = await read(await writeReport({ ...spec, typos: [typo] }), { uploader: spec.unit.code, now: nowFor(spec) });
      expect({ status: r.status, counts: r.counts }, `case ${i}: ${JSON.stringify({ typo, before, v })}`).toEqual({ status: 'rejected', counts: null });
    }
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
});

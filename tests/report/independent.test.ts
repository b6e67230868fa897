// The rankings recomputed from indicators.md by a deliberately plain implementation that
// shares nothing with shared/report/ (exact rational arithmetic, the plan's own CSV from
// the plan's CSV rather than the embedded module), on seeded random histories of all 252 units.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PeriodReports } from '../../shared/store/report-store.ts';
import { buildLeadershipReport, type RankEntry } from '../../shared/report/period-report.ts';
import { counts, input, planHistory, seeded } from './helpers.ts';

// ---- the plan, read from the team's reference CSV (not the product's embedded copy) ----
interface PlanUnit { code: string; level: 'department' | 'district' | 'commune'; target: number | null }
const CSV = readFileSync(new URL('../../shared/data/plan-128-2022/units.csv', import.meta.url), 'utf8').trim().split(/\r?\n/);
const header = CSV[0].split(',');
const PLAN: PlanUnit[] = CSV.slice(1).map((line) => {
  const cells = line.split(',');
  if (cells.length !== header.length) throw new Error(`unexpected CSV line: ${line}`);
  const get = (k: string) => cells[header.indexOf(k)];
  return { code: get('code'), level: get('level') as PlanUnit['level'], target: get('target_pct') === '' ? null : Number(get('target_pct')) };
});
const WINDOW_FROM = '2022-05'; // Phụ lục 2: the last 8 months of 2022
const WINDOW_TO = '2022-12';

// ---- exact fractions ----
interface Frac { n: bigint; d: bigint } // d > 0
const frac = (n: bigint, d: bigint): Frac => ({ n, d });
const cmp = (a: Frac, b: Frac): number => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};
const toNumber = (f: Frac) => Number(f.n) / Number(f.d);

interface Figures {
  code: string;
  level: PlanUnit['level'];
  online: bigint;
  fresh: bigint;
  reported: boolean;
  target: number | null;
}

function months(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number);
  for (;;) {
    const p = `${y}-${String(m).padStart(2, '0')}`;
    if (p > to) return out;
    out.push(p);
    if (++m === 13) { m = 1; y++; }
  }
}

/** indicators.md, read plainly: YTD sums from the window start (or January), gap, order, shared ranks. */
function expectedRanking(data: ReadonlyMap<string, PeriodReports>, period: string) {
  const from = period >= WINDOW_FROM && period <= WINDOW_TO ? WINDOW_FROM : `${period.slice(0, 4)}-01`;
  const figures: Figures[] = PLAN.map((u) => {
    let online = 0n;
    let fresh = 0n;
    let reported = false;
    for (const p of months(from, period)) {
      const c = data.get(p)?.current.find((x) => x.unit === u.code)?.counts;
      if (!c) continue;
      reported = true;
      online += BigInt(c.received_online);
      fresh += BigInt(c.received_online + c.received_direct + (c.received_postal ?? 0));
    }
    return { code: u.code, level: u.level, online, fresh, reported, target: u.target };
  });
  const excluded = new Map<string, string>();
  for (const f of figures) {
    if (f.target === null) excluded.set(f.code, 'no_target');
    else if (!f.reported) excluded.set(f.code, 'not_reported');
    else if (f.fresh === 0n) excluded.set(f.code, 'no_dossiers');
  }
  // gap (points) = 100·online/fresh − target = (10000·online − t100·fresh) / (100·fresh), t100 = target in hundredths.
  const gap = (f: Figures) => frac(10000n * f.online - BigInt(Math.round(f.target! * 100)) * f.fresh, 100n * f.fresh);
  const rate = (f: Figures) => frac(f.online, f.fresh);
  const order = (a: Figures, b: Figures) =>
    cmp(gap(b), gap(a)) || cmp(rate(b), rate(a)) || (a.fresh > b.fresh ? -1 : a.fresh < b.fresh ? 1 : 0) || (a.code < b.code ? -1 : 1);
  const same = (a: Figures, b: Figures) => cmp(gap(a), gap(b)) === 0 && cmp(rate(a), rate(b)) === 0 && a.fresh === b.fresh;

  const rankList = (list: Figures[]) => {
    const sorted = list.filter((f) => !excluded.has(f.code)).sort(order);
    const out: Array<{ rank: number; unit: string; gap: number; rate: number; fresh: number }> = [];
    sorted.forEach((f, i) => {
      const r = i > 0 && same(sorted[i - 1], f) ? out[i - 1].rank : i + 1;
      out.push({ rank: r, unit: f.code, gap: toNumber(gap(f)), rate: toNumber(rate(f)), fresh: Number(f.fresh) });
    });
    return out;
  };
  return {
    from,
    levels: {
      department: rankList(figures.filter((f) => f.level === 'department')),
      district: rankList(figures.filter((f) => f.level === 'district')),
      commune: rankList(figures.filter((f) => f.level === 'commune')),
    },
    city: rankList(figures),
    excluded,
    missing: PLAN.filter((u) => !data.get(period)?.current.some((x) => x.unit === u.code)).map((u) => u.code),
  };
}

type Expected = ReturnType<typeof expectedRanking>['city'];

function compare(actual: RankEntry[], expected: Expected, previous: Expected) {
  expect(actual.map((e) => e.unit)).toEqual(expected.map((e) => e.unit));
  expect(actual.map((e) => e.rank)).toEqual(expected.map((e) => e.rank));
  const before = new Map(previous.map((e) => [e.unit, e.rank]));
  actual.forEach((e, i) => {
    const x = expected[i];
    expect(e.gap_pp).toBeCloseTo(x.gap, 9);
    expect(e.ytd_online_rate).toBeCloseTo(x.rate, 12);
    expect(e.new_dossiers).toBe(x.fresh);
    expect(e.rank_change).toBe(before.has(e.unit) ? before.get(e.unit)! - e.rank : null);
  });
}

/** Twins make shared ranks: the same counts in every period as another unit with the same target. */
function addTwins(data: Map<string, PeriodReports>, seed: number): string[][] {
  const rng = seeded(seed * 7919);
  const byTarget = new Map<string, string[]>();
  for (const u of PLAN) if (u.target !== null) byTarget.set(`${u.level}:${u.target}`, [...(byTarget.get(`${u.level}:${u.target}`) ?? []), u.code]);
  const groups = [...byTarget.values()].filter((g) => g.length >= 3);
  const pairs: string[][] = [];
  for (let i = 0; i < 6 && groups.length; i++) {
    const g = groups.splice(rng.int(0, groups.length - 1), 1)[0];
    pairs.push(g.slice(0, 3));
  }
  for (const reports of data.values()) {
    for (const [a, b, c] of pairs) {
      const source = reports.current.find((x) => x.unit === a);
      reports.current = reports.current.filter((x) => x.unit !== b && x.unit !== c);
      reports.uploads = reports.uploads.filter((x) => x.unit !== b && x.unit !== c);
      if (!source) continue;
      // b: identical figures (shared rank with a); c: doubled (same rate and gap, more dossiers).
      const doubled = Object.fromEntries(Object.entries(source.counts).map(([k, v]) => [k, v === null ? null : v * 2])) as unknown as typeof source.counts;
      reports.current.push({ ...source, unit: b, uploadId: `${source.uploadId}-b` }, { ...source, unit: c, uploadId: `${source.uploadId}-c`, counts: doubled });
      for (const u of reports.uploads.filter((x) => x.unit === a)) reports.uploads.push({ ...u, unit: b }, { ...u, unit: c });
    }
  }
  return pairs;
}

describe.each([1, 2, 3, 20220620, 987654321])('seed %i: 252 units, 2022-01 .. 2022-08', (seed) => {
  const { history, idle, silent } = planHistory(seed, '2022-08');
  const pairs = addTwins(history.data, seed);
  // A unit with a huge department's volume and the same rate and target as a small one.
  const period = '2022-08';
  const expected = expectedRanking(history.data, period);
  const previous = expectedRanking(history.data, '2022-07');
  const r = buildLeadershipReport(input({ period, data: history.data }));

  it('the generated history has what the test is about', () => {
    expect(PLAN).toHaveLength(252);
    expect(expected.missing.length).toBeGreaterThan(0);
    expect([...expected.excluded.values()]).toContain('no_target');
    expect(idle.size + silent.size).toBeGreaterThan(0);
    // Some shared ranks exist (the twins), in the city list too.
    const shared = expected.city.filter((e, i) => i > 0 && expected.city[i - 1].rank === e.rank);
    expect(shared.length).toBeGreaterThan(0);
    expect(pairs.length).toBeGreaterThan(0);
  });

  it.each(['department', 'district', 'commune'] as const)('%s ranking: rank, unit, gap, rate, dossiers, rank change', (level) => {
    compare(r.ranking.levels[level], expected.levels[level], previous.levels[level]);
  });

  it('city ranking: rank, unit, gap, rate, dossiers, rank change', () => {
    compare(r.ranking.city, expected.city, previous.city);
    expect(r.ranking.city.length).toBe(252 - expected.excluded.size);
  });

  it('excluded units with their reasons, and missing units', () => {
    expect(new Map(r.excluded.map((e) => [e.unit, e.reason]))).toEqual(expected.excluded);
    expect(r.missing).toEqual(expected.missing);
    expect(r.ytdFrom).toBe(expected.from);
  });

  it('đạt / chưa đạt counts follow the gap sign; units with a target and no figures are chưa đạt', () => {
    const met = expected.city.filter((e) => e.gap >= 0).length;
    const noTarget = [...expected.excluded.values()].filter((x) => x === 'no_target').length;
    const noFigures = expected.excluded.size - noTarget;
    expect(r.totals.city.unitsMet).toBe(met);
    expect(r.totals.city.unitsNotMet).toBe(expected.city.length - met + noFigures);
    expect(r.totals.city.unitsNoTarget).toBe(noTarget);
    expect(r.totals.city.unitsMet + r.totals.city.unitsNotMet + r.totals.city.unitsNoTarget).toBe(252);
  });
});

it('before the window (2022-03): YTD from January, same independent ranking', () => {
  const { history } = planHistory(77, '2022-04');
  const expected = expectedRanking(history.data, '2022-03');
  const previous = expectedRanking(history.data, '2022-02');
  const r = buildLeadershipReport(input({ period: '2022-03', data: history.data }));
  expect(expected.from).toBe('2022-01');
  compare(r.ranking.city, expected.city, previous.city);
  for (const level of ['department', 'district', 'commune'] as const) compare(r.ranking.levels[level], expected.levels[level], previous.levels[level]);
});

it('equal gaps from different targets: the higher rate goes first, whatever the binary rounding', () => {
  // A: 2/3 of 300 dossiers (66.67%) vs target 66; B: 17/30 (56.67%) vs 56; C: 181/300 (60.33%) vs 60 and D 211/300 (70.33%) vs 70.
  // Gaps: A = B = +0.667 points, C = D = +0.333 points (exactly). Rule: higher YTD rate first.
  const data = new Map<string, PeriodReports>([['2022-06', { current: [], uploads: [] }]]);
  const put = (unit: string, online: number, direct: number) =>
    data.get('2022-06')!.current.push({ unit, period: '2022-06', uploadId: unit, orderKey: '0', eventTime: '2022-06-18T02:00:00.000Z', contentHash: '', key: '', counts: counts({ online, direct }), procedures: [] });
  put('S01', 200, 100);
  put('S02', 17, 13);
  put('S03', 181, 119);
  put('S04', 211, 89);
  const units = ['S01', 'S02', 'S03', 'S04'].map((code) => ({ code, level: 'department' as const, name: code, parentCode: null, contactEmail: null }));
  const t = [['S01', 66], ['S02', 56], ['S03', 60], ['S04', 70]].map(([unit, targetPct]) => ({ unit: unit as string, windowFrom: '2022-05', windowTo: '2022-12', targetPct: targetPct as number }));
  const r = buildLeadershipReport(input({ period: '2022-06', data, units, targets: t, pilot: [] }));
  expect(r.ranking.levels.department.map((e) => e.unit)).toEqual(['S01', 'S02', 'S04', 'S03']);
  expect(r.ranking.levels.department.map((e) => e.rank)).toEqual([1, 2, 3, 4]);
});

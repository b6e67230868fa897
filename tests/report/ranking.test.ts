// Indicators and rankings (shared/docs/indicators.md) on hand-built stored reports fed to
// buildLeadershipReport, and on the real 2022 plan units and targets.
import { describe, expect, it } from 'vitest';
import { NoReportDataError, requireReportData } from '../../shared/report/load-report.ts';
import { periodsNeeded, rankingJson, targetFor, ytdStart, type LeadershipReport, type RankEntry } from '../../shared/report/period-report.ts';
import { rank } from '../../shared/report/ranking.ts';
import { PLAN_128_ONLINE_ONLY, PLAN_128_TARGETS, PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import type { Unit } from '../../shared/units/unit.ts';
import { counts, History, onTimeInstant, report, targets, unit } from './helpers.ts';

const codes = (entries: Array<{ unit: string }>) => entries.map((e) => e.unit);
const ranks = (entries: Array<{ rank: number }>) => entries.map((e) => e.rank);
const row = (r: LeadershipReport, code: string) => r.rows.find((x) => x.unit.code === code)!;
const entry = (entries: RankEntry[], code: string) => entries.find((e) => e.unit === code);

/** Local time in Hải Phòng (UTC+7, no DST) as an ISO instant. */
const hcm = (local: string) => new Date(`${local}+07:00`).toISOString();

describe('online rate', () => {
  it('is online / (online + direct + postal): carried-over dossiers are left out', () => {
    const units = [unit('S01', 'department'), unit('S02', 'department')];
    const h = new History()
      .report('S01', '2022-06', counts({ online: 60, direct: 30, postal: 10, carried: 1000, early: 500 }))
      .report('S02', '2022-06', counts({ online: 30, direct: 70, postal: null, carried: 5 }));
    const r = report({ period: '2022-06', data: h.data, units, targets: targets({ S01: 50, S02: 50 }), pilot: [] });
    expect(row(r, 'S01').periodRates.onlineRate).toBe(0.6);
    expect(row(r, 'S01').periodRates.newDossiers).toBe(100);
    expect(row(r, 'S01').ytdRates.onlineRate).toBe(0.6);
    expect(entry(r.ranking.levels.department, 'S01')).toMatchObject({ ytd_online_rate: 0.6, new_dossiers: 100 });
    // Combined desk/postal column (postal unknown): the rate is over online + desk.
    expect(row(r, 'S02').periodRates.onlineRate).toBe(0.3);
    expect(row(r, 'S02').periodRates.postalRate).toBeNull();
  });

  it('is undefined ("không phát sinh") with no new dossiers, even with carried-over ones', () => {
    const units = [unit('S01', 'department')];
    const h = new History().report('S01', '2022-06', counts({ online: 0, direct: 0, carried: 40, early: 10 }));
    const r = report({ period: '2022-06', data: h.data, units, targets: targets({ S01: 50 }), pilot: [] });
    expect(row(r, 'S01').periodRates.onlineRate).toBeNull();
    expect(row(r, 'S01').gapPp).toBeNull();
    expect(row(r, 'S01').met).toBeNull();
    expect(r.excluded).toEqual([{ unit: 'S01', reason: 'no_dossiers' }]);
  });
});

describe('year to date', () => {
  it('sums counts over the target window (2022-05 .. period), never averages monthly rates', () => {
    const units = [unit('S01', 'department'), unit('S02', 'department')];
    const h = new History()
      .report('S01', '2022-04', counts({ online: 5000, direct: 0 })) // before the window: not counted
      .report('S01', '2022-05', counts({ online: 90, direct: 10 })) // 90%
      .report('S01', '2022-06', counts({ online: 10, direct: 990 })) // 1%
      .report('S01', '2022-07', counts({ online: 5000, direct: 0 })) // after the period: not counted
      .report('S02', '2022-05', counts({ online: 400, direct: 600 }))
      .report('S02', '2022-06', counts({ online: 400, direct: 600 }));
    const r = report({ period: '2022-06', data: h.data, units, targets: targets({ S01: 40, S02: 40 }), pilot: [] });
    const s01 = row(r, 'S01');
    const summed = 100 / 1100; // 9.09%
    const averaged = (0.9 + 0.01) / 2; // 45.5%: would be "đạt" against 40%
    expect(s01.ytd?.received_online).toBe(100);
    expect(s01.ytdRates.newDossiers).toBe(1100);
    expect(s01.ytdRates.onlineRate).toBeCloseTo(summed, 12);
    expect(s01.ytdRates.onlineRate).not.toBeCloseTo(averaged, 2);
    expect(s01.gapPp).toBeCloseTo(summed * 100 - 40, 9);
    expect(s01.met).toBe(false);
    expect(r.ytdFrom).toBe('2022-05');
    // S02 (40%) is ahead of S01 (9.1%); on the averages S01 (45.5%) would lead.
    expect(codes(r.ranking.levels.department)).toEqual(['S02', 'S01']);
    expect(rankingJson(r).window).toEqual(['2022-05', '2022-06']);
    expect(s01.periodRates.onlineRate).toBe(0.01);
  });

  it('YTD overdue rate is summed resolved overdue / summed resolved', () => {
    const units = [unit('S01', 'department')];
    const h = new History()
      .report('S01', '2022-05', counts({ online: 10, direct: 0, early: 1, overdue: 1 })) // 50%
      .report('S01', '2022-06', counts({ online: 10, direct: 0, onTime: 98, overdue: 0 })); // 0%
    const r = report({ period: '2022-06', data: h.data, units, targets: targets({ S01: 50 }), pilot: [] });
    expect(row(r, 'S01').ytdRates.overdueRate).toBeCloseTo(1 / 100, 12);
    expect(row(r, 'S01').ytdRates.onTimeRate).toBeCloseTo(99 / 100, 12);
    expect(r.overdue.city[0]).toMatchObject({ unit: 'S01', ytd_resolved: 100, ytd_resolved_overdue: 1 });
  });

  it('a period before the window (2022-03) sums from the year\'s first period (2022-01)', () => {
    const units = [unit('S01', 'department'), unit('S02', 'department')];
    const t = targets({ S01: 50, S02: 50 });
    const h = new History()
      .report('S01', '2021-12', counts({ online: 0, direct: 9000 })) // last year: not counted
      .report('S01', '2022-01', counts({ online: 10, direct: 10 }))
      .report('S01', '2022-02', counts({ online: 20, direct: 20 }))
      .report('S01', '2022-03', counts({ online: 70, direct: 0 }))
      .report('S01', '2022-04', counts({ online: 0, direct: 9000 })) // after the period
      .report('S02', '2022-03', counts({ online: 1, direct: 1 }));
    expect(ytdStart(t, '2022-03')).toBe('2022-01');
    expect(ytdStart(t, '2022-05')).toBe('2022-05');
    expect(ytdStart(t, '2022-12')).toBe('2022-05');
    // The report for 2022-03 reads 2022-01 .. 2022-03 (its previous period's YTD starts there too).
    expect(periodsNeeded(t, '2022-03')).toEqual(['2022-01', '2022-02', '2022-03']);
    // 2022-05 needs 2022-04's ranking for rank change, whose YTD starts in January.
    expect(periodsNeeded(t, '2022-05')).toEqual(['2022-01', '2022-02', '2022-03', '2022-04', '2022-05']);
    expect(periodsNeeded(t, '2022-06')).toEqual(['2022-05', '2022-06']);

    const r = report({ period: '2022-03', data: h.data, units, targets: t, pilot: [] });
    expect(r.ytdFrom).toBe('2022-01');
    expect(row(r, 'S01').ytdRates.newDossiers).toBe(130);
    expect(row(r, 'S01').ytdRates.onlineRate).toBeCloseTo(100 / 130, 12);
    // The year's target applies before its window.
    expect(targetFor(t, 'S01', '2022-03')?.targetPct).toBe(50);
    expect(row(r, 'S01').gapPp).toBeCloseTo((100 / 130) * 100 - 50, 9);
    expect(rankingJson(r).window).toEqual(['2022-01', '2022-03']);
    expect(r.trend.map((x) => x.period)).toEqual(['2022-01', '2022-02', '2022-03']);
  });

  it('a period at the start of the window ignores the months before it', () => {
    const units = [unit('S01', 'department')];
    const h = new History()
      .report('S01', '2022-04', counts({ online: 0, direct: 1000 }))
      .report('S01', '2022-05', counts({ online: 80, direct: 20 }));
    const r = report({ period: '2022-05', data: h.data, units, targets: targets({ S01: 70 }), pilot: [] });
    expect(r.ytdFrom).toBe('2022-05');
    expect(row(r, 'S01').ytdRates.onlineRate).toBe(0.8);
    expect(row(r, 'S01').met).toBe(true);
  });
});

describe('gap and đạt', () => {
  it('gap is YTD rate − target in percentage points; đạt when gap ≥ 0', () => {
    const units = ['S01', 'S02', 'S03'].map((c) => unit(c, 'department'));
    const h = new History()
      .report('S01', '2022-06', counts({ online: 75, direct: 25 }))
      .report('S02', '2022-06', counts({ online: 50, direct: 50 }))
      .report('S03', '2022-06', counts({ online: 1, direct: 2 }));
    const r = report({ period: '2022-06', data: h.data, units, targets: targets({ S01: 60, S02: 60, S03: 30 }), pilot: [] });
    expect(row(r, 'S01').gapPp).toBeCloseTo(15, 9);
    expect(row(r, 'S01').met).toBe(true);
    expect(row(r, 'S02').gapPp).toBeCloseTo(-10, 9);
    expect(row(r, 'S02').met).toBe(false);
    expect(row(r, 'S03').gapPp).toBeCloseTo(100 / 3 - 30, 9);
    expect(r.totals.city.unitsMet).toBe(2);
    expect(r.totals.city.unitsNotMet).toBe(1);
  });

  // Rates equal to the target exactly: 58/100 against 58%, 57/100 against 57%, 997/1000 against 99.7%.
  it.each([
    { target: 58, online: 58, direct: 42 }, { target: 57, online: 57, direct: 43 }, { target: 57, online: 570, direct: 430 },
    { target: 99.7, online: 997, direct: 3 }, { target: 69, online: 69, direct: 31 }, { target: 56, online: 14, direct: 11 },
    { target: 100, online: 5, direct: 0 },
  ])('a gap of exactly 0 counts as đạt (target $target, $online online, $direct direct)', ({ target, online, direct }) => {
    const units = [unit('S01', 'department')];
    const h = new History().report('S01', '2022-06', counts({ online, direct }));
    const r = report({ period: '2022-06', data: h.data, units, targets: targets({ S01: target }), pilot: [] });
    expect(row(r, 'S01').gapPp).toBe(0);
    expect(row(r, 'S01').met).toBe(true);
    expect(r.ranking.levels.department[0].gap_pp).toBe(0);
    expect(r.totals.city.unitsMet).toBe(1);
  });

  it('real plan: H05 (target 58%) at exactly 58% is đạt', () => {
    const h05 = PLAN_128_TARGETS.find((t) => t.unit === 'H05')!;
    expect(h05.targetPct).toBe(58);
    const h = new History().report('H05', '2022-06', counts({ online: 580, direct: 400, postal: 20 }));
    const r = report({ period: '2022-06', data: h.data });
    expect(row(r, 'H05').gapPp).toBe(0);
    expect(row(r, 'H05').met).toBe(true);
    expect(r.totals.levels.district.unitsMet).toBe(1);
  });
});

describe('ranking order and ties', () => {
  // E: +10; C and D: +5 at 70%, 200 dossiers (shared rank); B: +5 at 70%, 100 dossiers; A: +5 at 65%.
  const units: Unit[] = ['D', 'A', 'E', 'B', 'C'].map((c) => unit(`S0${'ABCDE'.indexOf(c) + 1}`, 'department', `Sở ${c}`));
  const t = targets({ S01: 60, S02: 65, S03: 65, S04: 65, S05: 60 });
  const h = new History()
    .report('S01', '2022-06', counts({ online: 65, direct: 35 })) // A: 65% vs 60
    .report('S02', '2022-06', counts({ online: 70, direct: 30 })) // B: 70% vs 65, 100
    .report('S03', '2022-06', counts({ online: 140, direct: 60 })) // C: 70% vs 65, 200
    .report('S04', '2022-06', counts({ online: 140, direct: 50, postal: 10 })) // D: same as C
    .report('S05', '2022-06', counts({ online: 70, direct: 30 })); // E: 70% vs 60
  const r = report({ period: '2022-06', data: h.data, units, targets: t, pilot: [] });

  it('gap desc, then YTD online rate, then new dossiers (more first), then code; equal units share a rank (1, 2, 2, 4)', () => {
    expect(codes(r.ranking.levels.department)).toEqual(['S05', 'S03', 'S04', 'S02', 'S01']);
    expect(ranks(r.ranking.levels.department)).toEqual([1, 2, 2, 4, 5]);
    expect(codes(r.ranking.city)).toEqual(['S05', 'S03', 'S04', 'S02', 'S01']);
    expect(ranks(r.ranking.city)).toEqual([1, 2, 2, 4, 5]);
  });

  it('ties on gap are broken by the higher YTD online rate even when the targets differ', () => {
    // Both exactly +5 points: 57% against 52%, and 56% against 51%. The 57% unit goes first.
    const us = [unit('S01', 'department'), unit('S02', 'department')];
    const hh = new History()
      .report('S01', '2022-06', counts({ online: 56, direct: 44 }))
      .report('S02', '2022-06', counts({ online: 57, direct: 43 }));
    const rr = report({ period: '2022-06', data: hh.data, units: us, targets: targets({ S01: 51, S02: 52 }), pilot: [] });
    expect(codes(rr.ranking.levels.department)).toEqual(['S02', 'S01']);
    expect(ranks(rr.ranking.levels.department)).toEqual([1, 2]);
    expect(rr.ranking.levels.department[0].gap_pp).toBe(rr.ranking.levels.department[1].gap_pp);
  });

  it('shared ranks for three equal units: 1, 1, 1, 4; distinct units after a tie continue at the position', () => {
    const us = ['S01', 'S02', 'S03', 'S04', 'S05'].map((c) => unit(c, 'department'));
    const hh = new History();
    for (const c of ['S03', 'S01', 'S02']) hh.report(c, '2022-06', counts({ online: 30, direct: 20 }));
    hh.report('S04', '2022-06', counts({ online: 29, direct: 21 }));
    hh.report('S05', '2022-06', counts({ online: 29, direct: 21 }));
    const rr = report({ period: '2022-06', data: hh.data, units: us, targets: targets({ S01: 60, S02: 60, S03: 60, S04: 60, S05: 60 }), pilot: [] });
    expect(codes(rr.ranking.levels.department)).toEqual(['S01', 'S02', 'S03', 'S04', 'S05']);
    expect(ranks(rr.ranking.levels.department)).toEqual([1, 1, 1, 4, 4]);
  });

  it('rank() itself: sorts by key, rate, dossiers, code and shares ranks only on full ties', () => {
    const items = [
      { unit: 'B', key: 1, ytdOnlineRate: 0.5, newDossiers: 10 },
      { unit: 'A', key: 1, ytdOnlineRate: 0.5, newDossiers: 10 },
      { unit: 'C', key: 1, ytdOnlineRate: 0.5, newDossiers: 11 },
      { unit: 'D', key: 1, ytdOnlineRate: 0.6, newDossiers: 1 },
      { unit: 'E', key: 2, ytdOnlineRate: 0.1, newDossiers: 1 },
      { unit: 'F', key: -3, ytdOnlineRate: 0.9, newDossiers: 1000 },
    ];
    const out = rank(items);
    expect(out.map((x) => x.item.unit)).toEqual(['E', 'D', 'C', 'A', 'B', 'F']);
    expect(out.map((x) => x.rank)).toEqual([1, 2, 3, 4, 4, 6]);
    expect(rank([])).toEqual([]);
  });
});

describe('units listed apart', () => {
  it('no_target, no_dossiers, not_reported are excluded from every ranking; a unit that missed only this period is ranked and missing', () => {
    const units = ['S01', 'S02', 'S03', 'S04', 'S05'].map((c) => unit(c, 'department'));
    const t = targets({ S01: 60, S02: null, S03: 60, S04: 60, S05: 60 });
    const h = new History()
      .report('S01', '2022-06', counts({ online: 70, direct: 30 }))
      .report('S02', '2022-06', counts({ online: 99, direct: 1 })) // no target
      .report('S03', '2022-05', counts({ online: 0, direct: 0, carried: 12, early: 3 })) // no new dossiers
      .report('S03', '2022-06', counts({ online: 0, direct: 0, carried: 9 }))
      .report('S04', '2022-04', counts({ online: 50, direct: 50 })) // only before the window
      .report('S05', '2022-05', counts({ online: 90, direct: 10 })); // missed June only
    const r = report({ period: '2022-06', data: h.data, units, targets: t, pilot: [] });
    expect(r.excluded).toEqual([
      { unit: 'S02', reason: 'no_target' },
      { unit: 'S03', reason: 'no_dossiers' },
      { unit: 'S04', reason: 'not_reported' },
    ]);
    expect(codes(r.ranking.levels.department)).toEqual(['S05', 'S01']);
    expect(codes(r.ranking.city)).toEqual(['S05', 'S01']);
    expect(row(r, 'S05').status).toBe('missing');
    expect(row(r, 'S05').ytdRates.onlineRate).toBe(0.9);
    expect(r.missing).toEqual(['S04', 'S05']);
    expect(rankingJson(r).missing).toEqual(['S04', 'S05']);
    expect(r.totals.city.unitsNotReported).toBe(2);
    expect(r.totals.city.unitsMet).toBe(2);
    // Not ranked, yet counted: S03 (no dossiers) and S04 (no YTD report) have a target they have not met; S02 has none.
    expect(r.totals.city.unitsNotMet).toBe(2);
    expect(r.totals.city.unitsNoTarget).toBe(1);
    expect(r.totals.city.unitsMet + r.totals.city.unitsNotMet + r.totals.city.unitsNoTarget).toBe(r.totals.city.unitsTotal);
    expect(row(r, 'S02').excluded).toBe('no_target');
    expect(row(r, 'S02').targetPct).toBeNull();
  });

  it('real plan: S19, S20 and H14 have no target and are listed apart even when they report', () => {
    const h = new History();
    for (const u of PLAN_128_UNITS) h.report(u.code, '2022-06', counts({ online: 60, direct: 40 }));
    const r = report({ period: '2022-06', data: h.data });
    expect(r.excluded).toEqual([
      { unit: 'S19', reason: 'no_target' },
      { unit: 'S20', reason: 'no_target' },
      { unit: 'H14', reason: 'no_target' },
    ]);
    expect(r.ranking.levels.department).toHaveLength(18);
    expect(r.ranking.levels.district).toHaveLength(14);
    expect(r.ranking.levels.commune).toHaveLength(217);
    expect(r.ranking.city).toHaveLength(249);
    expect(r.missing).toEqual([]);
    expect(r.totals.city.unitsTotal).toBe(252);
    expect(r.totals.city.unitsReported).toBe(252);
    expect(r.totals.city.unitsMet + r.totals.city.unitsNotMet).toBe(249);
    expect(r.totals.city.unitsNoTarget).toBe(3);
    // Everyone at 60%: the units with targets ≤ 60 are đạt.
    const atMost60 = PLAN_128_TARGETS.filter((x) => x.targetPct !== null && x.targetPct <= 60).length;
    expect(r.totals.city.unitsMet).toBe(atMost60);
  });

  it('real plan: a commune that missed only this period keeps its place on YTD figures and is listed missing', () => {
    const h = new History();
    for (const p of ['2022-05', '2022-06']) {
      for (const u of PLAN_128_UNITS) {
        if (p === '2022-06' && u.code === 'X100') continue;
        h.report(u.code, p, counts({ online: u.code === 'X100' ? 99 : 10, direct: u.code === 'X100' ? 1 : 90 }));
      }
    }
    const r = report({ period: '2022-06', data: h.data });
    expect(r.missing).toEqual(['X100']);
    expect(r.ranking.levels.commune[0]).toMatchObject({ unit: 'X100', rank: 1, ytd_online_rate: 0.99, new_dossiers: 100, rank_change: 0 });
    expect(row(r, 'X100').status).toBe('missing');
    expect(row(r, 'X100').period).toBeNull();
    expect(r.totals.levels.commune.unitsNotReported).toBe(1);
  });
});

describe('submission status', () => {
  const units = ['X01', 'X02', 'X03', 'X04', 'X05', 'X06', 'X07'].map((c) => unit(c, 'commune'));
  const t = targets(Object.fromEntries(units.map((u) => [u.code, 50])));
  const c = counts({ online: 5, direct: 5 });
  const h = new History()
    .report('X01', '2022-06', c, { eventTime: hcm('2022-06-19T23:59:59') }) // last second before the due day ("trước ngày 20")
    .report('X02', '2022-06', c, { eventTime: hcm('2022-06-20T00:00:00') }) // the due day itself is late
    .report('X03', '2022-06', c, { eventTime: hcm('2022-06-16T08:00:00') }) // early, then corrected late
    .report('X03', '2022-06', counts({ online: 9, direct: 1 }), { eventTime: hcm('2022-06-25T08:00:00') })
    .upload('X04', '2022-06', hcm('2022-06-19T10:00:00'), 'rejected') // rejected on time, accepted late
    .report('X04', '2022-06', c, { eventTime: hcm('2022-06-22T10:00:00') })
    .upload('X05', '2022-06', hcm('2022-06-19T10:00:00'), 'rejected') // rejected only
    .upload('X05', '2022-06', hcm('2022-06-20T10:00:00'), 'rejected')
    .report('X06', '2022-05', c); // missing this period
  // X07: never anything
  const r = report({ period: '2022-06', data: h.data, units, targets: t, pilot: [] });

  it('19th 23:59:59 local is on time, 20th 00:00 local is late (due before the 20th)', () => {
    expect(hcm('2022-06-19T23:59:59')).toBe('2022-06-19T16:59:59.000Z');
    expect(row(r, 'X01').status).toBe('on_time');
    expect(row(r, 'X02').status).toBe('late');
    expect(r.dueDate).toEqual({ year: 2022, month: 6, day: 20 });
  });

  it('the first acceptable report decides: a late correction does not make an on-time unit late', () => {
    expect(row(r, 'X03').status).toBe('on_time');
    expect(row(r, 'X03').period?.received_online).toBe(9); // the figures are the newest report's
    expect(row(r, 'X04').status).toBe('late');
  });

  it('rejected_only when uploads came in and none was accepted; missing when nothing came', () => {
    expect(row(r, 'X05').status).toBe('rejected_only');
    expect(row(r, 'X06').status).toBe('missing');
    expect(row(r, 'X07').status).toBe('missing');
    expect(r.rejectedOnly).toEqual(['X05']);
    expect(r.late).toEqual(['X02', 'X04']);
    expect(rankingJson(r).late).toEqual(['X02', 'X04']);
    expect(r.missing).toEqual(expect.arrayContaining(['X06', 'X07']));
    expect(r.missing).not.toContain('X01');
    expect(r.totals.city.unitsNotReported).toBe(3); // X05, X06, X07
    expect(row(r, 'X02').receivedAt).toBe('2022-06-19T17:00:00.000Z');
    // A late report still counts.
    expect(codes(r.ranking.levels.commune)).toContain('X02');
  });
});

describe('rank change', () => {
  it('positive = moved up since the previous period; null when not ranked before', () => {
    const units = ['S01', 'S02', 'S03', 'S04'].map((c) => unit(c, 'department'));
    const h = new History()
      .report('S01', '2022-05', counts({ online: 90, direct: 10 }))
      .report('S02', '2022-05', counts({ online: 80, direct: 20 }))
      .report('S03', '2022-05', counts({ online: 10, direct: 90 }))
      // June: S03 soars, S01 and S02 slip; S04 reports for the first time.
      .report('S01', '2022-06', counts({ online: 40, direct: 60 }))
      .report('S02', '2022-06', counts({ online: 20, direct: 80 }))
      .report('S03', '2022-06', counts({ online: 1000, direct: 0 }))
      .report('S04', '2022-06', counts({ online: 65, direct: 35 }));
    const r = report({ period: '2022-06', data: h.data, units, targets: targets({ S01: 60, S02: 60, S03: 60, S04: 60 }), pilot: [] });
    // YTD: S03 1010/1100 = 91.8%; S01 130/200 = 65% and S04 65/100 = 65% (S01 has more dossiers); S02 100/200 = 50%.
    const dept = r.ranking.levels.department;
    expect(codes(dept)).toEqual(['S03', 'S01', 'S04', 'S02']);
    expect(dept.map((e) => e.rank_change)).toEqual([3 - 1, 1 - 2, null, 2 - 4]);
    expect(r.ranking.city.map((e) => e.rank_change)).toEqual([2, -1, null, -2]);
    expect(rankingJson(r).levels.department.map((e) => e.rank_change)).toEqual([2, -1, null, -2]);
  });

  it('for the window\'s first period, the previous period (before the window) ranks on its own YTD from January', () => {
    const units = ['S01', 'S02'].map((c) => unit(c, 'department'));
    const h = new History()
      .report('S01', '2022-01', counts({ online: 100, direct: 0 }))
      .report('S01', '2022-04', counts({ online: 0, direct: 100 })) // Jan..Apr: 50%
      .report('S02', '2022-04', counts({ online: 60, direct: 40 })) // 60%: first in April
      .report('S01', '2022-05', counts({ online: 90, direct: 10 }))
      .report('S02', '2022-05', counts({ online: 10, direct: 90 }));
    const r = report({ period: '2022-05', data: h.data, units, targets: targets({ S01: 50, S02: 50 }), pilot: [] });
    expect(codes(r.ranking.levels.department)).toEqual(['S01', 'S02']);
    expect(r.ranking.levels.department.map((e) => e.rank_change)).toEqual([1, -1]);
  });
});

describe('overdue ranking', () => {
  it('ascending by YTD overdue rate, same tie rules (online rate, new dossiers, code), shared ranks', () => {
    const units = ['S01', 'S02', 'S03', 'S04', 'S05', 'S06'].map((c) => unit(c, 'department'));
    const h = new History()
      .report('S01', '2022-06', counts({ online: 50, direct: 50, onTime: 90, overdue: 10, pendingOverdue: 4 })) // 10%
      .report('S02', '2022-06', counts({ online: 50, direct: 50, onTime: 95, overdue: 5 })) // 5%, 50%
      .report('S03', '2022-06', counts({ online: 80, direct: 20, early: 19, overdue: 1 })) // 5%, 80%
      .report('S04', '2022-06', counts({ online: 50, direct: 50, onTime: 38, overdue: 2 })) // 5%, 50%: tie with S02
      .report('S05', '2022-06', counts({ online: 50, direct: 50, onTime: 0, overdue: 0 })) // nothing resolved: not ranked
      .report('S06', '2022-06', counts({ online: 50, direct: 50, onTime: 80, overdue: 20 })); // 20%
    const r = report({ period: '2022-06', data: h.data, units, targets: targets({ S01: 50, S02: 50, S03: 50, S04: 50, S05: 50, S06: 50 }), pilot: [] });
    const dept = r.overdue.levels.department;
    expect(codes(dept)).toEqual(['S03', 'S02', 'S04', 'S01', 'S06']);
    expect(ranks(dept)).toEqual([1, 2, 2, 4, 5]);
    expect(dept.map((e) => e.ytd_overdue_rate)).toEqual([0.05, 0.05, 0.05, 0.1, 0.2]);
    expect(entry(r.ranking.levels.department, 'S01')?.ytd_overdue_rate).toBe(0.1);
    expect(dept[3]).toMatchObject({ unit: 'S01', ytd_resolved: 100, ytd_resolved_overdue: 10, pending_overdue: 4 });
    expect(codes(r.overdue.city)).toEqual(codes(dept));
  });

  it('overdue rank change against the previous period', () => {
    const units = ['S01', 'S02'].map((c) => unit(c, 'department'));
    const h = new History()
      .report('S01', '2022-05', counts({ online: 5, direct: 5, onTime: 9, overdue: 1 }))
      .report('S02', '2022-05', counts({ online: 5, direct: 5, onTime: 8, overdue: 2 }))
      .report('S01', '2022-06', counts({ online: 5, direct: 5, onTime: 0, overdue: 9 }))
      .report('S02', '2022-06', counts({ online: 5, direct: 5, onTime: 90, overdue: 0 }));
    const r = report({ period: '2022-06', data: h.data, units, targets: targets({ S01: 50, S02: 50 }), pilot: [] });
    expect(codes(r.overdue.city)).toEqual(['S02', 'S01']);
    expect(r.overdue.city.map((e) => e.rank_change)).toEqual([1, -1]);
  });
});

describe('city-wide ranking', () => {
  it('puts all levels in one list by the same rule; the level lists rank within the level', () => {
    const units = [
      unit('S01', 'department'), unit('S02', 'department'),
      unit('H01', 'district'), unit('H02', 'district'),
      unit('X001', 'commune', 'Xã Một', 'H01'), unit('X002', 'commune', 'Xã Hai', 'H02'),
    ];
    const t = targets({ S01: 90, S02: 60, H01: 60, H02: 60, X001: 66, X002: 66 });
    const h = new History()
      .report('S01', '2022-06', counts({ online: 95, direct: 5 })) // +5
      .report('S02', '2022-06', counts({ online: 50, direct: 50 })) // -10
      .report('H01', '2022-06', counts({ online: 80, direct: 20 })) // +20
      .report('H02', '2022-06', counts({ online: 61, direct: 39 })) // +1
      .report('X001', '2022-06', counts({ online: 76, direct: 24 })) // +10
      .report('X002', '2022-06', counts({ online: 36, direct: 64 })); // -30
    const r = report({ period: '2022-06', data: h.data, units, targets: t, pilot: [] });
    expect(codes(r.ranking.city)).toEqual(['H01', 'X001', 'S01', 'H02', 'S02', 'X002']);
    expect(ranks(r.ranking.city)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.ranking.city.map((e) => e.level)).toEqual(['district', 'commune', 'department', 'district', 'department', 'commune']);
    expect(codes(r.ranking.levels.department)).toEqual(['S01', 'S02']);
    expect(codes(r.ranking.levels.district)).toEqual(['H01', 'H02']);
    expect(codes(r.ranking.levels.commune)).toEqual(['X001', 'X002']);
    expect(ranks(r.ranking.levels.commune)).toEqual([1, 2]);
  });
});

describe('online services with online dossiers', () => {
  it('share of the toàn trình / một phần procedures with at least one online dossier', () => {
    const units = [unit('S01', 'department', 'Sở Một'), unit('S02', 'department', 'Sở Hai'), unit('S03', 'department')];
    const h = new History()
      .report('S01', '2022-06', counts({ online: 9, direct: 3 }), {
        procedures: [
          { code: '1.1', name: 'Thủ tục A', online_level: 'full', received_online: 3, received_direct: 0, received_postal: 0 },
          { code: '1.2', name: 'Thủ tục B', online_level: 'partial', received_online: 0, received_direct: 2, received_postal: 0 },
          { code: '1.3', name: 'Thủ tục C', online_level: null, received_online: 5, received_direct: 1, received_postal: null },
          { code: null, name: 'Thủ tục D', online_level: 'partial', received_online: 1, received_direct: 0, received_postal: 0 },
        ],
      })
      .report('S02', '2022-06', counts({ online: 0, direct: 1 }), {
        procedures: [{ code: '2.1', name: 'Thủ tục E', online_level: 'full', received_online: 0, received_direct: 1, received_postal: 0 }],
      })
      .report('S03', '2022-06', counts({ online: 1, direct: 1 })); // no detail sheet
    const r = report({ period: '2022-06', data: h.data, units, targets: targets({ S01: 50, S02: 50, S03: 50 }), pilot: [] });
    expect(r.onlineServices.city).toEqual({ offered: 4, used: 2, share: 0.5 });
    expect(r.onlineServices.units).toEqual([
      { unit: 'S01', name: 'Sở Một', offered: 3, used: 2, share: 2 / 3 },
      { unit: 'S02', name: 'Sở Hai', offered: 1, used: 0, share: 0 },
    ]);
  });

  it('no procedures reported: share undefined', () => {
    const r = report({ period: '2022-06', data: new History().touch('2022-06').data, units: [unit('S01', 'department')], targets: targets({ S01: 50 }), pilot: [] });
    expect(r.onlineServices.city).toEqual({ offered: 0, used: 0, share: null });
  });
});

describe('online-only pilot breaches', () => {
  const dept = PLAN_128_ONLINE_ONLY.filter((p) => p.level === 'department');
  const district = PLAN_128_ONLINE_ONLY.filter((p) => p.level === 'district');
  const [p1, p2, p3] = [dept[0].procedureName, dept[10].procedureName, dept[20].procedureName];
  const shout = (s: string) => s.toUpperCase().normalize('NFD');

  it('matches normalised names (case, NFD, spacing) for direct or postal dossiers only', () => {
    expect(shout(p1)).not.toBe(p1);
    const h = new History()
      .report('S01', '2022-06', counts({ online: 10, direct: 5 }), {
        procedures: [
          { code: null, name: shout(p1), online_level: 'full', received_online: 1, received_direct: 2, received_postal: 0 },
          { code: null, name: `  ${p2.normalize('NFD')}  `, online_level: 'full', received_online: 0, received_direct: 0, received_postal: 3 },
          { code: null, name: p3, online_level: 'full', received_online: 7, received_direct: 0, received_postal: null }, // online only
          { code: null, name: 'Cấp giấy phép không thuộc danh mục thí điểm', online_level: 'partial', received_online: 0, received_direct: 9, received_postal: 0 },
        ],
      })
      .report('H03', '2022-06', counts({ online: 10, direct: 5 }), {
        procedures: [{ code: null, name: district[0].procedureName.toLowerCase(), online_level: 'full', received_online: 0, received_direct: 4, received_postal: null }],
      });
    const r = report({ period: '2022-06', data: h.data });
    const name = (code: string) => PLAN_128_UNITS.find((u) => u.code === code)!.name;
    expect(r.pilotBreaches).toHaveLength(3);
    expect(r.pilotBreaches).toEqual(expect.arrayContaining([
      { unit: 'S01', name: name('S01'), procedure: shout(p1), received_direct: 2, received_postal: 0 },
      { unit: 'S01', name: name('S01'), procedure: `  ${p2.normalize('NFD')}  `, received_direct: 0, received_postal: 3 },
      { unit: 'H03', name: name('H03'), procedure: district[0].procedureName.toLowerCase(), received_direct: 4, received_postal: null },
    ]));
    expect(r.pilotBreaches.map((b) => b.unit)).toEqual(['H03', 'S01', 'S01']);
  });

  it('no breach without a pilot list or without non-online dossiers', () => {
    const h = new History().report('S01', '2022-06', counts({ online: 10, direct: 5 }), {
      procedures: [{ code: null, name: p1, online_level: 'full', received_online: 4, received_direct: 0, received_postal: 0 }],
    });
    expect(report({ period: '2022-06', data: h.data }).pilotBreaches).toEqual([]);
    const h2 = new History().report('S01', '2022-06', counts({ online: 10, direct: 5 }), {
      procedures: [{ code: null, name: p1, online_level: 'full', received_online: 0, received_direct: 4, received_postal: 0 }],
    });
    expect(report({ period: '2022-06', data: h2.data, pilot: [] }).pilotBreaches).toEqual([]);
  });
});

describe('rankingJson (the `tthc ranking --json` contract)', () => {
  const units = [
    unit('S01', 'department', 'Sở Một'), unit('S02', 'department', 'Sở Hai'), unit('S03', 'department', 'Sở Ba'),
    unit('H01', 'district', 'Quận Một'), unit('X001', 'commune', 'Phường Một', 'H01'), unit('X002', 'commune', 'Phường Hai', 'H01'),
  ];
  const t = targets({ S01: 60, S02: 60, S03: null, H01: 55, X001: 66, X002: 66 });
  const h = new History()
    .report('S01', '2022-05', counts({ online: 1, direct: 1, onTime: 2, overdue: 1 }))
    .report('S01', '2022-06', counts({ online: 0, direct: 1 })) // YTD 1/3
    .report('S02', '2022-06', counts({ online: 2, direct: 1 }), { eventTime: '2022-06-22T01:00:00.000Z' })
    .report('S03', '2022-06', counts({ online: 2, direct: 1 }))
    .report('H01', '2022-06', counts({ online: 7, direct: 0, postal: 0 }))
    .report('X001', '2022-05', counts({ online: 2, direct: 5 }));
  const r = report({ period: '2022-06', data: h.data, units, targets: t, pilot: [] });
  const json = JSON.parse(JSON.stringify(rankingJson(r)));

  it('has exactly the contract keys', () => {
    expect(Object.keys(json).sort()).toEqual(['city', 'excluded', 'late', 'levels', 'missing', 'period', 'totals', 'window'].sort());
    expect(json.period).toBe('2022-06');
    expect(json.window).toEqual(['2022-05', '2022-06']);
    expect(Object.keys(json.levels).sort()).toEqual(['commune', 'department', 'district']);
    expect(Object.keys(json.totals).sort()).toEqual(['city', 'commune', 'department', 'district']);
    const entryKeys = ['rank', 'unit', 'name', 'ytd_online_rate', 'target_pct', 'gap_pp', 'new_dossiers', 'ytd_overdue_rate', 'rank_change'].sort();
    for (const list of [json.levels.department, json.levels.district, json.levels.commune, json.city]) {
      expect(list.length).toBeGreaterThan(0);
      for (const e of list) expect(Object.keys(e).sort()).toEqual(entryKeys);
    }
    for (const e of json.excluded) expect(Object.keys(e).sort()).toEqual(['reason', 'unit']);
    expect(json.excluded).toEqual([{ unit: 'S03', reason: 'no_target' }, { unit: 'X002', reason: 'not_reported' }]);
    expect(json.missing).toEqual(['X001', 'X002']);
    expect(json.late).toEqual(['S02']);
  });

  it('rates are unrounded fractions; target in percent, gap in points', () => {
    const s01 = json.levels.department.find((e: { unit: string }) => e.unit === 'S01');
    expect(s01).toEqual({
      rank: 2, unit: 'S01', name: 'Sở Một', ytd_online_rate: 1 / 3, target_pct: 60, gap_pp: s01.gap_pp, new_dossiers: 3,
      ytd_overdue_rate: 1 / 3, rank_change: -1,
    });
    expect(s01.gap_pp).toBeCloseTo(100 / 3 - 60, 10);
    const s02 = json.levels.department.find((e: { unit: string }) => e.unit === 'S02');
    expect(s02).toMatchObject({ rank: 1, ytd_online_rate: 2 / 3, ytd_overdue_rate: null });
    expect(json.levels.district).toEqual([{
      rank: 1, unit: 'H01', name: 'Quận Một', ytd_online_rate: 1, target_pct: 55, gap_pp: 45, new_dossiers: 7, ytd_overdue_rate: null, rank_change: null,
    }]);
    expect(json.levels.commune.map((e: { unit: string }) => e.unit)).toEqual(['X001']);
    expect(json.levels.commune[0].ytd_online_rate).toBe(2 / 7);
    // May ranking had S01 (department) and X001 (commune): the city list mixes them.
    expect(json.city.map((e: { unit: string }) => e.unit)).toEqual(['H01', 'S02', 'S01', 'X001']);
    expect(json.city.map((e: { rank_change: number | null }) => e.rank_change)).toEqual([null, null, -2, -2]);
  });
});

it('the previous period only counts its own reports (no bleed from the report period into rank change)', () => {
  const units = ['S01', 'S02'].map((c) => unit(c, 'department'));
  const h = new History()
    .report('S01', '2022-05', counts({ online: 10, direct: 90 }))
    .report('S02', '2022-05', counts({ online: 20, direct: 80 }))
    .report('S01', '2022-06', counts({ online: 500, direct: 0 }));
  const r = report({ period: '2022-06', data: h.data, units, targets: targets({ S01: 50, S02: 50 }), pilot: [] });
  expect(codes(r.ranking.levels.department)).toEqual(['S01', 'S02']);
  expect(r.ranking.levels.department.map((e) => e.rank_change)).toEqual([1, -1]);
  expect(r.totals.city.previousPeriodRate).toBeCloseTo(30 / 200, 12);
  expect(onTimeInstant('2022-06')).toBe('2022-06-18T02:00:00.000Z');
});

describe('rankingJson totals and periods without data', () => {
  it('"totals": city and each level, summed over the year-to-date window; the existing fields stay', () => {
    const units = [unit('S01', 'department'), unit('S02', 'department'), unit('H01', 'district'), unit('X001', 'commune', 'Xã 1', 'H01')];
    const h = new History()
      .report('S01', '2022-04', counts({ online: 1000, direct: 0 })) // before the window: not summed
      .report('S01', '2022-05', counts({ online: 30, direct: 70 }))
      .report('S01', '2022-06', counts({ online: 60, direct: 30, postal: 10 }))
      .report('S02', '2022-06', counts({ online: 5, direct: 5, postal: null }))
      .report('X001', '2022-06', counts({ online: 1, direct: 3 }));
    const json = rankingJson(report({ period: '2022-06', data: h.data, units, targets: targets({ S01: 50, S02: 50, H01: 50, X001: 50 }), pilot: [] }));
    expect(Object.keys(json)).toEqual(['period', 'window', 'levels', 'city', 'excluded', 'missing', 'late', 'totals']);
    expect(json.totals).toEqual({
      city: { new_dossiers: 214, received_online: 96, ytd_online_rate: 96 / 214 },
      department: { new_dossiers: 210, received_online: 95, ytd_online_rate: 95 / 210 },
      district: { new_dossiers: 0, received_online: 0, ytd_online_rate: null },
      commune: { new_dossiers: 4, received_online: 1, ytd_online_rate: 0.25 },
    });
  });

  it('a period with no report at all is an error with a Vietnamese message, not an empty report', () => {
    const empty = report({ period: '2022-09', data: new History().report('S01', '2022-08', counts({ online: 1, direct: 1 })).upload('S02', '2022-09', '2022-09-18T02:00:00.000Z', 'rejected').data });
    expect(() => requireReportData(empty)).toThrow(NoReportDataError);
    expect(() => requireReportData(empty)).toThrow('Kỳ 09/2022 chưa có báo cáo hợp lệ nào của đơn vị');
    const one = report({ period: '2022-09', data: new History().report('S01', '2022-09', counts({ online: 1, direct: 1 })).data });
    expect(requireReportData(one)).toBe(one);
  });
});

// Shared by the report tests: hand-built units, targets, counts and stored reports
// (PeriodReports), fed to buildLeadershipReport exactly as the store would hand them over.
import { orderKey, type UnitFigures, type UploadSummary } from '../../shared/ingest/upload.ts';
import { makeRng, type Rng } from '../../scripts/generate/report-files.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import type { Counts } from '../../shared/report-file/counts.ts';
import type { Procedure } from '../../shared/report-file/detail.ts';
import type { PlanConfig } from '../../shared/config/plan-config.ts';
import { successorsFor } from '../../shared/report/mergers.ts';
import { buildLeadershipReport, type LeadershipReport, type ReportInput } from '../../shared/report/period-report.ts';
import type { PeriodReports } from '../../shared/store/report-store.ts';
import { PLAN_128_FLOOR, PLAN_128_ONLINE_ONLY, PLAN_128_TARGETS, PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import type { Target } from '../../shared/units/target.ts';
import type { Level, Unit } from '../../shared/units/unit.ts';

export const WINDOW = { from: '2022-05', to: '2022-12' } as const;

export function unit(code: string, level: Level, name = `Đơn vị ${code}`, parentCode: string | null = null): Unit {
  return { code, level, name, parentCode, contactEmail: null };
}

/** Targets for the 2022 window (percent); null: no target. */
export function targets(byUnit: Record<string, number | null>, window: { from: string; to: string } = WINDOW): Target[] {
  return Object.entries(byUnit).map(([u, targetPct]) => ({ unit: u, windowFrom: window.from, windowTo: window.to, targetPct }));
}

export interface CountsSpec {
  online: number;
  direct: number;
  postal?: number | null;
  carried?: number;
  early?: number;
  onTime?: number;
  overdue?: number;
  pendingOverdue?: number;
}

/** Counts of one report; everything not given is 0 (postal 0 unless null is asked for). */
export function counts(s: CountsSpec): Counts {
  return {
    received_online: s.online, received_direct: s.direct, received_postal: s.postal === undefined ? 0 : s.postal,
    carried_over: s.carried ?? 0,
    resolved_early: s.early ?? 0, resolved_on_time: s.onTime ?? 0, resolved_overdue: s.overdue ?? 0,
    pending_within: 0, pending_overdue: s.pendingOverdue ?? 0, returned_postal: 0,
  };
}

/** A period's on-time moment: the 18th, 09:00 local (02:00Z). */
export function onTimeInstant(period: string): string {
  return `${period}-18T02:00:00.000Z`;
}

let seq = 0;
export function currentReport(unitCode: string, period: string, c: Counts, opts: { eventTime?: string; procedures?: Procedure[] } = {}): UnitFigures {
  const eventTime = opts.eventTime ?? onTimeInstant(period);
  const uploadId = `up-${unitCode}-${period}-${++seq}`;
  return {
    unit: unitCode, period, uploadId, orderKey: orderKey(eventTime, (++seq).toString(16)), eventTime,
    contentHash: `hash-${uploadId}`, key: `incoming/${unitCode}/bao-cao-${period}.xlsx`, counts: c, procedures: opts.procedures ?? [],
  };
}

export function uploadSummary(unitCode: string, period: string, eventTime: string, outcome: UploadSummary['outcome'] = 'accepted'): UploadSummary {
  return { uploadId: `sum-${unitCode}-${period}-${++seq}`, unit: unitCode, period, eventTime, processedAt: eventTime, outcome };
}

/** Builds a period's stored reports: every accepted report also appears as an accepted upload. */
export class History {
  readonly data = new Map<string, PeriodReports>();

  private at(period: string): PeriodReports {
    let p = this.data.get(period);
    if (!p) this.data.set(period, (p = { current: [], uploads: [] }));
    return p;
  }

  /** An accepted report (newest one wins as the unit's current report). */
  report(unitCode: string, period: string, c: Counts, opts: { eventTime?: string; procedures?: Procedure[] } = {}): this {
    const p = this.at(period);
    const report = currentReport(unitCode, period, c, opts);
    p.current = [...p.current.filter((x) => x.unit !== unitCode), report];
    p.uploads.push(uploadSummary(unitCode, period, report.eventTime, 'accepted'));
    return this;
  }

  /** An upload only (e.g. rejected), no current report. */
  upload(unitCode: string, period: string, eventTime: string, outcome: UploadSummary['outcome']): this {
    this.at(period).uploads.push(uploadSummary(unitCode, period, eventTime, outcome));
    return this;
  }

  /** Makes sure the period exists in the map (an empty period read from the store). */
  touch(period: string): this {
    this.at(period);
    return this;
  }
}

export function input(over: Partial<ReportInput> & Pick<ReportInput, 'period' | 'data'>): ReportInput {
  return {
    periods: PLAN_128_PERIODS,
    units: PLAN_128_UNITS,
    targets: PLAN_128_TARGETS,
    pilot: PLAN_128_ONLINE_ONLY,
    floor: PLAN_128_FLOOR,
    asOf: new Date('2022-06-20T01:00:00Z'),
    ...over,
  };
}

export function report(over: Partial<ReportInput> & Pick<ReportInput, 'period' | 'data'>): LeadershipReport {
  return buildLeadershipReport(input(over));
}

/** The generator's seeded RNG: the same sequence on every machine for a seed. */
export const seeded = (seed: number): Rng => makeRng(seed);
export type { Rng };

/** Balanced random counts of one month for a unit (online share around `share`). */
export function randomCounts(rng: Rng, scale: number, share: number): Counts {
  const fresh = rng.int(Math.ceil(scale / 4), scale);
  const online = Math.min(fresh, Math.max(0, Math.round(fresh * (share + (rng.next() - 0.5) * 0.3))));
  const postal = rng.int(0, Math.floor((fresh - online) / 10));
  const direct = fresh - online - postal;
  const carried = rng.int(0, Math.ceil(scale / 5));
  const resolved = rng.int(0, fresh + carried);
  const overdue = rng.int(0, Math.floor(resolved / 8));
  const early = rng.int(0, resolved - overdue);
  const pendingOverdue = rng.int(0, fresh + carried - resolved);
  return {
    received_online: online, received_direct: direct, received_postal: postal, carried_over: carried,
    resolved_early: early, resolved_on_time: resolved - overdue - early, resolved_overdue: overdue,
    pending_within: fresh + carried - resolved - pendingOverdue, pending_overdue: pendingOverdue, returned_postal: rng.int(0, postal),
  };
}

/** A realistic history for all 252 plan units, 2022-01 .. `last`: some months missing, some units idle. */
export function planHistory(seed: number, last = '2022-06') {
  const rng = seeded(seed);
  const h = new History();
  const periods: string[] = [];
  for (let m = 1; `2022-${String(m).padStart(2, '0')}` <= last; m++) periods.push(`2022-${String(m).padStart(2, '0')}`);
  const targetOf = new Map(PLAN_128_TARGETS.map((t) => [t.unit, t.targetPct]));
  const idle = new Set<string>();
  const silent = new Set<string>();
  for (const u of PLAN_128_UNITS) {
    const r = rng.next();
    if (r < 0.03) idle.add(u.code); // reports every month, never a new dossier
    else if (r < 0.05) silent.add(u.code); // never reports
  }
  for (const p of periods) {
    h.touch(p);
    for (const u of PLAN_128_UNITS) {
      if (silent.has(u.code) || rng.chance(0.08)) {
        if (rng.chance(0.2)) h.upload(u.code, p, onTimeInstant(p), 'rejected');
        continue;
      }
      const scale = u.level === 'department' ? 2000 : u.level === 'district' ? 800 : 150;
      const share = Math.min(1, ((targetOf.get(u.code) ?? 50) / 100) + (rng.next() - 0.6) * 0.4);
      const c = idle.has(u.code) ? counts({ online: 0, direct: 0, carried: rng.int(0, 3), early: 1 }) : randomCounts(rng, scale, share);
      const eventTime = rng.chance(0.1) ? `${p}-21T03:00:00.000Z` : onTimeInstant(p);
      h.report(u.code, p, c, { eventTime });
    }
  }
  return { history: h, periods, idle, silent };
}

/** A period's report as loadLeadershipReport builds it from a loaded configuration (`data`: the stored reports). */
export function reportOf(config: PlanConfig, data: ReportInput['data'], period: string): LeadershipReport {
  const plan = config.planFor(period);
  return buildLeadershipReport(input({
    period, data, units: config.unitsFor(period), targets: config.targets, plan, floor: plan.floor, pilot: plan.pilot,
    asOf: new Date(`${period}-25T01:00:00Z`), unitsAt: (p) => config.unitsFor(p),
    successors: successorsFor(config, period), successorsAt: (p) => successorsFor(config, p),
  }));
}

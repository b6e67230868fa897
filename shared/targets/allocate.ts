// Phụ lục 2's target allocation (Plan 128, reverse-engineered in the plan data's README):
// within a level, each unit gets a share of an extra-online-dossier POOL proportional to
// its projected not-online dossiers, and its target is the online share that would give:
//   weight_i = not_online_i / Σ not_online,  extra_i = weight_i × POOL,
//   target_i = (projected_online_i + extra_i) / projected_total_i,
// rounded half-up to a whole percent, or to one decimal where that would reach 100% from below.
import type { Level } from '../units/unit.ts';

export interface BaselineRow {
  code: string;
  level: Level;
  projectedTotal: number;
  /** Blank in the plan where the baseline had no online dossier: zero. */
  projectedOnline: number | null;
  /** Blank: left out of the allocation (S19, S20) unless the other columns say it is zero. */
  notOnline: number | null;
}

export interface Allocation {
  code: string;
  level: Level;
  /** Null: the unit gets no target (left out, or no projected dossiers). */
  targetPct: number | null;
  /** Extra online dossiers assigned, rounded as the plan prints them. */
  extraOnline: number | null;
  weightPct: number | null;
  /** Why there is no target, for the printed table. */
  note: string | null;
}

/** Half-up rounding that is not fooled by binary fractions (70.5 stored as 70.4999…). */
function roundHalfUp(x: number, decimals = 0): number {
  const f = 10 ** decimals;
  return Math.floor(x * f + 0.5 + 1e-9) / f;
}

export function targetFromShare(percent: number): number {
  const whole = roundHalfUp(percent);
  if (whole < 100 || percent >= 100) return Math.min(whole, 100);
  const oneDecimal = roundHalfUp(percent, 1);
  return oneDecimal < 100 ? oneDecimal : 99.9;
}

function included(row: BaselineRow): { notOnline: number } | { excluded: string } {
  if (row.projectedTotal <= 0) return { excluded: 'no_projected_dossiers' };
  if (row.notOnline !== null) return { notOnline: row.notOnline };
  // A blank that agrees with the other columns (every projected dossier online) is zero.
  return row.projectedTotal === (row.projectedOnline ?? 0) ? { notOnline: 0 } : { excluded: 'not_online_blank' };
}

/** The pool that brings a level's projected online share to `goal` (never negative). */
export function poolForGoal(rows: readonly BaselineRow[], goal: number): number {
  const used = rows.filter((r) => 'notOnline' in included(r));
  const total = used.reduce((s, r) => s + r.projectedTotal, 0);
  const online = used.reduce((s, r) => s + (r.projectedOnline ?? 0), 0);
  return Math.max(0, goal * total - online);
}

export function allocateTargets(rows: readonly BaselineRow[], pools: Partial<Record<Level, number>>): Allocation[] {
  const sums = new Map<Level, number>();
  for (const r of rows) {
    const inc = included(r);
    if ('notOnline' in inc) sums.set(r.level, (sums.get(r.level) ?? 0) + inc.notOnline);
  }
  return rows.map((r) => {
    const inc = included(r);
    const pool = pools[r.level];
    if (pool === undefined) throw new Error(`no pool given for level ${r.level}`);
    if ('excluded' in inc) return { code: r.code, level: r.level, targetPct: null, extraOnline: null, weightPct: null, note: inc.excluded };
    const sum = sums.get(r.level)!;
    const weight = sum > 0 ? inc.notOnline / sum : 0;
    const extra = weight * pool;
    const share = (100 * ((r.projectedOnline ?? 0) + extra)) / r.projectedTotal;
    return {
      code: r.code, level: r.level, targetPct: targetFromShare(share),
      extraOnline: Math.round(extra), weightPct: roundHalfUp(100 * weight, 2), note: null,
    };
  });
}

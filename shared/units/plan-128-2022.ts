// The built-in default: Kế hoạch 128/KH-UBND (2022) of Hải Phòng, Phụ lục 2 and 3.
import { ONLINE_ONLY_PROCEDURE_ROWS, UNITS_ROWS } from '../data/plan-128-2022/embedded.ts';
import { UnitRegistry } from './registry.ts';
import type { Target } from './target.ts';
import { isLevel, type Level, type Unit } from './unit.ts';

export const PLAN_128_WINDOW = { from: '2022-05', to: '2022-12' } as const;
/** The plan's city-wide floor for the online share (section I.1: "đạt tối thiểu 60%"). */
export const PLAN_128_FLOOR = 0.6;

const rows = UNITS_ROWS;

export const PLAN_128_UNITS: readonly Unit[] = rows.map((r) => {
  if (!isLevel(r.level)) throw new Error(`plan data: bad level ${r.level} for ${r.code}`);
  return { code: r.code, level: r.level, name: r.name, parentCode: r.parent_code || null, contactEmail: null };
});

export const PLAN_128_TARGETS: readonly Target[] = rows.map((r) => ({
  unit: r.code,
  windowFrom: PLAN_128_WINDOW.from,
  windowTo: PLAN_128_WINDOW.to,
  targetPct: r.target_pct === '' ? null : Number(r.target_pct),
}));

/** Phụ lục 2's baseline columns, as printed (blank cells stay null). */
export const PLAN_128_BASELINE = rows.map((r) => ({
  code: r.code,
  level: r.level as Level,
  projectedTotal: Number(r.projected_total),
  projectedOnline: r.projected_online === '' ? null : Number(r.projected_online),
  notOnline: r.not_online === '' ? null : Number(r.not_online),
  extraOnlineAssigned: r.extra_online_assigned === '' ? null : Number(r.extra_online_assigned),
  targetPct: r.target_pct === '' ? null : Number(r.target_pct),
}));

export interface OnlineOnlyProcedure {
  level: Level;
  /** Department section header as printed; empty for the lists that apply to a whole level. */
  unitName: string;
  field: string;
  procedureName: string;
}

export const PLAN_128_ONLINE_ONLY: readonly OnlineOnlyProcedure[] = ONLINE_ONLY_PROCEDURE_ROWS.map((r) => ({
  level: r.level as Level,
  unitName: r.unit_name,
  field: r.field,
  procedureName: r.procedure_name,
}));

let registry: UnitRegistry | undefined;
export function plan128Registry(): UnitRegistry {
  return (registry ??= new UnitRegistry(PLAN_128_UNITS));
}

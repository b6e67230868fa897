// The plan the city works to in a period: what the leadership texts cite and the numbers
// they hold the units to. Kế hoạch 128/KH-UBND (2022) is the built-in default; each year the
// city issues a new plan, loaded as a plan file (tthc plan load, config/plan/ in the bucket),
// or named by the `plan` column of a targets file for the window those targets cover.
import { periodLabel, periodSpan } from '../period.ts';
import { PLAN_128_FLOOR, PLAN_128_ONLINE_ONLY, PLAN_128_WINDOW, type OnlineOnlyProcedure } from '../units/plan-128-2022.ts';
import type { Target } from '../units/target.ts';

export interface Plan {
  /** The plan's number, e.g. "128/KH-UBND"; a plan file's rows are keyed by it. */
  id: string;
  /** As the documents cite it: "Kế hoạch số 128/KH-UBND ngày 27/5/2022 của UBND thành phố". */
  citation: string;
  /** "Kế hoạch 128/KH-UBND". */
  citationShort: string;
  validFrom: string;
  validTo: string | null;
  /** The city-wide floor for the online share (0.6: "đạt tối thiểu 60%"). */
  floor: number;
  /** The share of online services that should receive an online dossier (0.8). */
  servicesGoal: number;
  /** The periods its targets cover, if it says. */
  window: { from: string; to: string } | null;
  /** Procedures taken online only (Phụ lục 3 in 2022); empty: none listed. */
  pilot: readonly OnlineOnlyProcedure[];
  /** Who collects the units' reports ("Sở Thông tin và Truyền thông" in 2022); null: not said. */
  collector: string | null;
  /** Where the texts say the figures come from. The targets' own source is the report's (targetSource): the targets in force, not the plan, say it. */
  sources: { period: string; targets: string; pilot: string };
  /** The built-in plan: in force until a plan is loaded (PlanConfig.planFor drops what it says of the 2022 city once that city is gone). */
  builtin?: true;
  /** The collector's registry code (the built-in plan's S12): the collector is named only while that unit is in force under that name. */
  collectorUnit?: string;
  /** Why a plan that has a pilot list checks none in this period (the 2022 units it was written for are no longer in force). */
  pilotAbsent?: string;
}

/** The built-in plan holds from long before anyone will report until a loaded file says otherwise. */
export const PLAN_FROM = '2000-01';

export const PLAN_128: Plan = {
  id: '128/KH-UBND',
  citation: 'Kế hoạch số 128/KH-UBND ngày 27/5/2022 của UBND thành phố',
  citationShort: 'Kế hoạch 128/KH-UBND',
  validFrom: PLAN_FROM,
  validTo: null,
  floor: PLAN_128_FLOOR,
  servicesGoal: 0.8,
  window: PLAN_128_WINDOW,
  pilot: PLAN_128_ONLINE_ONLY,
  collector: 'Sở Thông tin và Truyền thông',
  collectorUnit: 'S12',
  sources: {
    period: 'Kế hoạch 128/KH-UBND, mục III.1.e',
    targets: 'Phụ lục 2 Kế hoạch 128/KH-UBND ngày 27/5/2022 (chỉ tiêu 8 tháng cuối năm 2022)',
    pilot: 'Phụ lục 3 Kế hoạch 128/KH-UBND',
  },
  builtin: true,
};

/** "Kế hoạch số 15/KH-UBND ngày 20/01/2026 của UBND thành phố về …" → id "15/KH-UBND", short "Kế hoạch 15/KH-UBND". */
export function citationParts(citation: string): { id: string; short: string } {
  const m = /^\s*(kế hoạch)\s+(?:số\s+)?([0-9]+\/[\p{L}0-9-]+)/iu.exec(citation.normalize('NFC'));
  return m ? { id: m[2], short: `${m[1]} ${m[2]}` } : { id: citation.trim(), short: citation.trim() };
}

/** What a plan file gives; the rest (id, short citation, sources) follows from the citation. */
export type PlanFields = Pick<Plan, 'citation' | 'validFrom' | 'validTo' | 'floor' | 'servicesGoal' | 'window' | 'pilot' | 'collector'>;

/** A loaded plan: every text that names it takes its citation. */
export function planOf(f: PlanFields): Plan {
  const { id, short } = citationParts(f.citation);
  const window = f.window ? ` (chỉ tiêu kỳ ${periodSpan(f.window.from, f.window.to)})` : '';
  return {
    ...f, id, citationShort: short,
    sources: { period: short, targets: `${f.citation.trim()}${window}`, pilot: `danh mục của ${short}` },
  };
}

/**
 * The plan in force for a period: of the loaded plans in force and the plan a targets file
 * cites for a window holding the period, the one with the latest start; the built-in plan
 * when none. A plan only cited by targets keeps the numbers of the plan before it (its floor
 * and services goal) but no pilot list and no collector: those only a plan file can say.
 */
export function planFor(period: string, plans: readonly Plan[], targets: readonly Target[]): Plan {
  const inForce = plans.filter((p) => p.validFrom <= period && (p.validTo === null || period <= p.validTo));
  const file = inForce.reduce<Plan | null>((best, p) => (!best || p.validFrom > best.validFrom ? p : best), null);
  const cited = targets.filter((t) => t.plan && t.windowFrom <= period && period <= t.windowTo)
    .reduce<Target | null>((best, t) => (!best || t.windowFrom > best.windowFrom ? t : best), null);
  // Targets citing the loaded plan itself are that plan: its pilot list and collector stay.
  if (cited && (!file || (cited.windowFrom > file.validFrom && citationParts(cited.plan!).id !== file.id))) {
    const before = file ?? PLAN_128;
    return planOf({
      citation: cited.plan!, validFrom: cited.windowFrom, validTo: cited.windowTo, floor: before.floor, servicesGoal: before.servicesGoal,
      window: { from: cited.windowFrom, to: cited.windowTo }, pilot: [], collector: null,
    });
  }
  return file ?? PLAN_128;
}

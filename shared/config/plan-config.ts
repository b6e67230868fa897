// The units and targets in force for a period. Units change (since 1/7/2025 Hải Phòng has
// merged with Hải Dương and the district level is gone) and targets change every year, so
// both are data with effective periods, loaded by an administrator; the 2022 plan is the
// built-in default. Every computation asks for the period at hand.
import { groupBy } from '../group-by.ts';
import { addMonths, periodLabel } from '../period.ts';
import { looseKey } from '../text.ts';
import { UnitRegistry } from '../units/registry.ts';
import { PLAN_128_TARGETS, PLAN_128_UNITS } from '../units/plan-128-2022.ts';
import type { Target } from '../units/target.ts';
import type { Unit } from '../units/unit.ts';
import type { UnitsInForce } from '../units/units-in-force.ts';
import { planFor, type Plan } from './plan.ts';

/** One unit as of a period: in force from validFrom to validTo (both included; null = open). */
export interface RegistryRow extends Unit {
  validFrom: string;
  validTo: string | null;
  /** Where its reports go after validTo (a merged or renamed unit). */
  mergedInto: string | null;
}

/** The built-in plan holds from long before anyone will report until a loaded file says otherwise. */
export const BUILTIN_FROM = '2000-01';

export const PLAN_128_REGISTRY: readonly RegistryRow[] = PLAN_128_UNITS.map((u) => ({ ...u, validFrom: BUILTIN_FROM, validTo: null, mergedInto: null }));
const PLAN_128_CODES: ReadonlySet<string> = new Set(PLAN_128_UNITS.map((u) => u.code));

export class PlanConfig implements UnitsInForce {
  /** A registry per era (below), not per period: a request may name any of 1,200 periods. */
  private readonly registries = new Map<string, UnitRegistry>();
  /** The periods from which the rows in force change: each row's validFrom, and the period after its validTo. */
  private eras?: readonly string[];
  private byCode?: Map<string, RegistryRow[]>;

  /** rows: built-in rows first, loaded ones after; for a code, the latest validFrom wins. plans: the loaded plans. */
  constructor(readonly rows: readonly RegistryRow[], readonly targets: readonly Target[], readonly plans: readonly Plan[] = []) {}

  static builtin(): PlanConfig {
    return new PlanConfig(PLAN_128_REGISTRY, PLAN_128_TARGETS);
  }

  /** Built-in plan overlaid with loaded rows and targets (a loaded target replaces the built-in one for its unit and window). */
  static withLoaded(rows: readonly RegistryRow[], targets: readonly Target[], plans: readonly Plan[] = []): PlanConfig {
    const loadedTargets = new Set(targets.map((t) => `${t.unit}#${t.windowFrom}`));
    return new PlanConfig(
      [...PLAN_128_REGISTRY, ...rows],
      [...PLAN_128_TARGETS.filter((t) => !loadedTargets.has(`${t.unit}#${t.windowFrom}`)), ...targets],
      plans,
    );
  }

  /**
   * The plan in force for the period (plan.ts): what the leadership texts cite, its floor and pilot list.
   * The built-in plan stays in force until a plan is loaded (a 2023 or 2024 report cites it and its
   * floor), but what it says of the 2022 city follows the registry: its collector (Sở Thông tin và
   * Truyền thông) only while that unit is in force, its Phụ lục 3 pilot list only while units of
   * 2022 are (the list is written for them: their departments, districts, communes).
   */
  planFor(period: string): Plan {
    const plan = planFor(period, this.plans, this.targets);
    if (!plan.builtin) return plan;
    const collectorGone = plan.collector !== null && plan.collectorUnit !== undefined
      && looseKey(this.rowInForce(plan.collectorUnit, period)?.name ?? '') !== looseKey(plan.collector);
    const pilotGone = plan.pilot.length > 0 && !this.unitsFor(period).some((u) => PLAN_128_CODES.has(u.code));
    if (!collectorGone && !pilotGone) return plan;
    return {
      ...plan,
      ...(collectorGone ? { collector: null } : {}),
      ...(pilotGone ? {
        pilot: [],
        pilotAbsent: `Danh mục thủ tục thí điểm của ${plan.citationShort} lập cho các đơn vị năm 2022; kỳ ${periodLabel(period)} không còn đơn vị nào trong số đó và chưa có danh mục thí điểm nào cho kỳ này: không kiểm tra.`,
      } : {}),
    };
  }

  /** The row of each code in force for the period. */
  rowsFor(period: string): RegistryRow[] {
    const latest = new Map<string, RegistryRow>();
    for (const row of this.rows) {
      if (row.validFrom > period) continue;
      const seen = latest.get(row.code);
      if (!seen || row.validFrom >= seen.validFrom) latest.set(row.code, row);
    }
    return [...latest.values()].filter((r) => r.validTo === null || r.validTo >= period);
  }

  unitsFor(period: string): Unit[] {
    return this.registryFor(period).units as Unit[];
  }

  registryFor(period: string): UnitRegistry {
    const era = this.eraOf(period);
    let registry = this.registries.get(era);
    if (!registry) {
      const units: Unit[] = this.rowsFor(period).map(({ validFrom: _f, validTo: _t, mergedInto: _m, ...unit }) => unit);
      this.registries.set(era, (registry = new UnitRegistry(units)));
    }
    return registry;
  }

  /** The latest change of the rows in force at or before the period ('' before the first): every period of an era has the same rows. */
  private eraOf(period: string): string {
    this.eras ??= [...new Set(this.rows.flatMap((r) => (r.validTo === null ? [r.validFrom] : [r.validFrom, addMonths(r.validTo, 1)])))].sort();
    let era = '';
    for (const change of this.eras) {
      if (change > period) break;
      era = change;
    }
    return era;
  }

  /** The code's row in force for the period, as rowsFor decides it, from the code's own rows alone. */
  rowInForce(code: string, period: string): RegistryRow | null {
    const latest = this.latestStarted(code, period);
    return latest && (latest.validTo === null || latest.validTo >= period) ? latest : null;
  }

  /** The code's row that started last at or before the period (the latest valid_from wins, as in rowsFor). */
  private latestStarted(code: string, period: string): RegistryRow | null {
    let latest: RegistryRow | null = null;
    for (const r of this.rowsOf(code)) if (r.validFrom <= period && (!latest || r.validFrom >= latest.validFrom)) latest = r;
    return latest;
  }

  /** A code's rows, in the order given. By code: a report or a load asks about many codes, and a registry may hold tens of thousands of rows. */
  rowsOf(code: string): readonly RegistryRow[] {
    this.byCode ??= groupBy(this.rows, (r) => r.code);
    return this.byCode.get(code.toUpperCase()) ?? [];
  }

  /**
   * Why a code is not a unit in this period, if it once was: closed, or merged into another. The
   * row that last took effect, ended: a row that a later one took over from (row_shadowed) no
   * longer speaks for the code, however long its own valid_to ran.
   */
  retired(code: string, period: string): RegistryRow | null {
    const latest = this.latestStarted(code, period);
    return latest && latest.validTo !== null && latest.validTo < period ? latest : null;
  }

  /** The unit in force in the period that carries a code's figures: itself, or the end of its chain of mergers (N1 → N2 → N3); null if none. */
  heirOf(code: string, period: string): string | null {
    const seen = new Set<string>();
    let at = code;
    while (!this.rowInForce(at, period) && !seen.has(at)) {
      seen.add(at);
      const next = this.retired(at, period)?.mergedInto;
      if (!next) return null;
      at = next;
    }
    return this.rowInForce(at, period) ? at : null;
  }
}

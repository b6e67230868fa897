// Indicators from the procedure detail (sheet "Chi tiết TTHC"): online services that
// received an online dossier (target 80%), and online-only pilot procedures (Phụ lục 3)
// that received desk or postal dossiers.
import type { UnitFigures } from '../ingest/upload.ts';
import type { Procedure } from '../report-file/detail.ts';
import { looseKey } from '../text.ts';
import { int } from './format.ts';
import type { OnlineOnlyProcedure } from '../units/plan-128-2022.ts';
import { LEVELS, type Level, type Unit } from '../units/unit.ts';
import type { OnlineServices, PilotBreach } from './period-report.ts';

function onlineServicesOf(procedures: readonly Procedure[]): OnlineServices {
  const offered = procedures.filter((p) => p.online_level !== null);
  const used = offered.filter((p) => p.received_online > 0).length;
  return { offered: offered.length, used, share: offered.length ? used / offered.length : null };
}

/**
 * Whose figures the online-services rate is: the units whose report this period carried the
 * optional "Chi tiết TTHC" sheet, of the units that reported ("23/120 đơn vị"); the rate is
 * theirs, not the whole city's.
 */
export function servicesCoverage(r: { onlineServices: { units: readonly unknown[] }; sourceFiles: number }): string {
  return `${int(r.onlineServices.units.length)}/${int(r.sourceFiles)} đơn vị có báo cáo gửi số liệu chi tiết`;
}

/** Procedures the unit offers online (toàn trình / một phần) that received an online dossier. */
export function onlineServicesFor(reports: readonly UnitFigures[], unitsByCode: ReadonlyMap<string, Unit>) {
  return {
    city: onlineServicesOf(reports.flatMap((c) => c.procedures)),
    units: reports.filter((c) => c.procedures.length > 0)
      .map((c) => ({ unit: c.unit, name: unitsByCode.get(c.unit)!.name, ...onlineServicesOf(c.procedures) }))
      .sort((a, b) => a.unit.localeCompare(b.unit)),
  };
}

/** Any desk or postal dossier for a listed procedure of the unit's level is a breach. */
export function pilotBreachesFor(reports: readonly UnitFigures[], unitsByCode: ReadonlyMap<string, Unit>, pilot: readonly OnlineOnlyProcedure[]): PilotBreach[] {
  const pilotNames = new Map<Level, Set<string>>(LEVELS.map((l) => [l, new Set(pilot.filter((p) => p.level === l).map((p) => looseKey(p.procedureName)))]));
  const breaches: PilotBreach[] = [];
  for (const c of reports) {
    const unit = unitsByCode.get(c.unit)!;
    for (const p of c.procedures) {
      if (!pilotNames.get(unit.level)!.has(looseKey(p.name))) continue;
      if (p.received_direct > 0 || (p.received_postal ?? 0) > 0) {
        breaches.push({ unit: unit.code, name: unit.name, procedure: p.name, received_direct: p.received_direct, received_postal: p.received_postal });
      }
    }
  }
  return breaches.sort((a, b) => a.unit.localeCompare(b.unit) || a.procedure.localeCompare(b.procedure));
}

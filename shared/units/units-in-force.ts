// The units in force for a period, as the reader and ingest need them: the registry of a
// period, and why a code that is no unit then once was one. The plan configuration (loaded
// registry files with effective periods) implements it; a fixed registry (the CLI's
// built-in 2022 plan, tests) is wrapped by fixedUnits.
import type { RegistryRow } from '../config/plan-config.ts';
import type { UnitRegistry } from './registry.ts';

export interface UnitsInForce {
  registryFor(period: string): UnitRegistry;
  /** The last row of a code that is no unit in this period (closed, or merged into another); null if it never was. */
  retired(code: string, period: string): RegistryRow | null;
  /** The unit in force in the period that carries a code's figures: itself, or the end of its chain of mergers; null if none. */
  heirOf(code: string, period: string): string | null;
}

/** The same units in every period; no unit was ever retired. */
export function fixedUnits(registry: UnitRegistry): UnitsInForce {
  return { registryFor: () => registry, retired: () => null, heirOf: (code) => (registry.get(code)?.code === code ? code : null) };
}

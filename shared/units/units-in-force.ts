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
}

/** The same units in every period; no unit was ever retired. */
export function fixedUnits(registry: UnitRegistry): UnitsInForce {
  return { registryFor: () => registry, retired: () => null };
}

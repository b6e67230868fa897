// Where loaded registries, targets and plans are kept (the built-in 2022 plan is not stored).
import type { RegistryRow } from '../config/plan-config.ts';
import type { PlanFields } from '../config/plan.ts';
import type { Target } from '../units/target.ts';

export interface StoredCount {
  /** Rows new or different from what was stored. 0: this file had been loaded already. */
  changed: number;
  unchanged: number;
}

export interface ConfigStore {
  registryRows(): Promise<RegistryRow[]>;
  targets(): Promise<Target[]>;
  /** Stores a file's rows as one load: all of them count, or (until a retry with the same loadId finishes it) none. */
  putRegistryRows(rows: readonly RegistryRow[], loadId: string): Promise<StoredCount>;
  putTargets(rows: readonly Target[], loadId: string): Promise<StoredCount>;
  /** Loaded plans, one per valid_from (a plan loaded again with the same valid_from replaces it). */
  plans(): Promise<PlanFields[]>;
  putPlans(plans: readonly PlanFields[], loadId: string): Promise<StoredCount>;
}

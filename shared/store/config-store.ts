// Where loaded registries and targets are kept (the built-in 2022 plan is not stored).
import type { RegistryRow } from '../config/plan-config.ts';
import type { Target } from '../units/target.ts';

export interface StoredCount {
  /** Rows new or different from what was stored. 0: this file had been loaded already. */
  changed: number;
  unchanged: number;
}

export interface ConfigStore {
  registryRows(): Promise<RegistryRow[]>;
  targets(): Promise<Target[]>;
  putRegistryRows(rows: readonly RegistryRow[]): Promise<StoredCount>;
  putTargets(rows: readonly Target[]): Promise<StoredCount>;
}

// Loaded registries and targets in memory: the domain's test double, with the DynamoDB
// adapter's semantics (tests/config/config-store.test.ts runs the same contract on both).
// A load writes its new or changed rows, tagged with its id, then its commit; only rows of
// committed loads count, the latest committed load winning per row key. A load interrupted
// before its commit is invisible, and its retry (same load id) finishes it.
import type { RegistryRow } from '../config/plan-config.ts';
import type { PlanFields } from '../config/plan.ts';
import type { Target } from '../units/target.ts';
import type { ConfigStore, StoredCount } from './config-store.ts';

type Kind = 'registry' | 'targets' | 'plans';

/** What a store holds; several stores may share it (as DynamoDB stores share a table). */
export class ConfigData {
  /** kind → `<row key>#<load id>` → the row's JSON. */
  readonly rows = new Map<Kind, Map<string, { rowKey: string; load: string; json: string }>>([['registry', new Map()], ['targets', new Map()], ['plans', new Map()]]);
  /** Committed load ids, oldest first. */
  readonly commits: string[] = [];
}

/** Called before each write; a test makes it throw to interrupt a load there. */
export type BeforeWrite = (write: { kind: 'row' | 'commit'; rowsWritten: number }) => void;

export class MemoryConfigStore implements ConfigStore {
  constructor(readonly data = new ConfigData(), private readonly beforeWrite: BeforeWrite = () => {}) {}

  /** A store over the same data whose writes go through `beforeWrite` (to interrupt loads in tests). */
  withFault(beforeWrite: BeforeWrite): MemoryConfigStore {
    return new MemoryConfigStore(this.data, beforeWrite);
  }

  async registryRows(): Promise<RegistryRow[]> {
    return [...this.effective('registry').values()].map((json) => JSON.parse(json) as RegistryRow);
  }

  async targets(): Promise<Target[]> {
    return [...this.effective('targets').values()].map((json) => JSON.parse(json) as Target);
  }

  putRegistryRows(rows: readonly RegistryRow[], loadId: string): Promise<StoredCount> {
    return this.put('registry', rows, (r) => `${r.code}#${r.validFrom}`, loadId);
  }

  putTargets(rows: readonly Target[], loadId: string): Promise<StoredCount> {
    return this.put('targets', rows, (t) => `${t.unit}#${t.windowFrom}`, loadId);
  }

  async plans(): Promise<PlanFields[]> {
    return [...this.effective('plans').values()].map((json) => JSON.parse(json) as PlanFields);
  }

  putPlans(plans: readonly PlanFields[], loadId: string): Promise<StoredCount> {
    return this.put('plans', plans, (p) => p.validFrom, loadId);
  }

  /** Row key → the row (as JSON) of the latest committed load that has it. */
  private effective(kind: Kind): Map<string, string> {
    const order = new Map(this.data.commits.map((load, i) => [load, i]));
    const best = new Map<string, { json: string; order: number }>();
    for (const row of this.data.rows.get(kind)!.values()) {
      const o = order.get(row.load);
      if (o === undefined) continue; // never committed
      const seen = best.get(row.rowKey);
      if (!seen || o > seen.order) best.set(row.rowKey, { json: row.json, order: o });
    }
    return new Map([...best].map(([k, v]) => [k, v.json]));
  }

  private async put<T>(kind: Kind, rows: readonly T[], key: (row: T) => string, loadId: string): Promise<StoredCount> {
    const current = this.effective(kind);
    const changed = rows.filter((r) => current.get(key(r)) !== JSON.stringify(r));
    if (changed.length === 0) return { changed: 0, unchanged: rows.length };
    const stored = this.data.rows.get(kind)!;
    let written = 0;
    for (const row of changed) {
      this.beforeWrite({ kind: 'row', rowsWritten: written });
      stored.set(`${key(row)}#${loadId}`, { rowKey: key(row), load: loadId, json: JSON.stringify(row) });
      written++;
      await Promise.resolve(); // other callers may run between writes, as between DynamoDB requests
    }
    this.beforeWrite({ kind: 'commit', rowsWritten: written });
    this.data.commits.push(loadId);
    return { changed: changed.length, unchanged: rows.length - changed.length };
  }
}

// Loaded registry rows and targets in the reports table:
//   CONFIG#REGISTRY  <code>#<valid_from>#<load id>     one registry row of one load
//   CONFIG#TARGETS   <unit>#<window_from>#<load id>    one target of one load
//   CONFIG#LOADS     <committed at>#<load id>          the load's commit
// Without transactions a load is made atomic by its commit: it writes its new or changed
// rows first and its commit item last. Rows of a load that never committed (a crash
// half-way) are ignored, and the retry (same load id) finishes it. For each row key the row
// of the latest committed load wins. A file loaded twice changes nothing and writes nothing.
import { PutItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { RegistryRow } from '../../shared/config/plan-config.ts';
import type { ConfigStore, StoredCount } from '../../shared/store/config-store.ts';
import type { Target } from '../../shared/units/target.ts';

const REGISTRY = 'CONFIG#REGISTRY';
const TARGETS = 'CONFIG#TARGETS';
const LOADS = 'CONFIG#LOADS';

type Item = Record<string, AttributeValue>;

export class DynamoConfigStore implements ConfigStore {
  constructor(private readonly client: DynamoDBClient, private readonly table: string) {}

  private async query(pk: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: marshall({ ':pk': pk }), ExclusiveStartKey: start,
      }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** Committed loads, oldest first (their sort keys start with the commit time). */
  private async committed(): Promise<Map<string, number>> {
    return new Map((await this.query(LOADS)).map((item, i) => [item.load.S!, i]));
  }

  /** Row key → the row (as JSON) of the latest committed load that has it. */
  private async effective(pk: string): Promise<Map<string, string>> {
    const [items, loads] = await Promise.all([this.query(pk), this.committed()]);
    const best = new Map<string, { json: string; order: number }>();
    for (const item of items) {
      const order = loads.get(item.load.S!);
      if (order === undefined) continue; // never committed
      const key = item.row_key.S!;
      const seen = best.get(key);
      if (!seen || order > seen.order) best.set(key, { json: item.row.S!, order });
    }
    return new Map([...best].map(([k, v]) => [k, v.json]));
  }

  private async put<T>(pk: string, rows: readonly T[], key: (row: T) => string, loadId: string): Promise<StoredCount> {
    const current = await this.effective(pk);
    const changed = rows.filter((r) => current.get(key(r)) !== JSON.stringify(r));
    if (changed.length === 0) return { changed: 0, unchanged: rows.length };
    for (const row of changed) {
      await this.client.send(new PutItemCommand({
        TableName: this.table,
        Item: marshall({ PK: pk, SK: `${key(row)}#${loadId}`, type: 'config', row_key: key(row), load: loadId, row: JSON.stringify(row) }),
      }));
    }
    await this.client.send(new PutItemCommand({
      TableName: this.table,
      Item: marshall({ PK: LOADS, SK: `${new Date().toISOString()}#${loadId}`, type: 'config_load', load: loadId, kind: pk, rows: changed.length }),
    }));
    return { changed: changed.length, unchanged: rows.length - changed.length };
  }

  async registryRows(): Promise<RegistryRow[]> {
    return [...(await this.effective(REGISTRY)).values()].map((json) => JSON.parse(json) as RegistryRow);
  }

  async targets(): Promise<Target[]> {
    return [...(await this.effective(TARGETS)).values()].map((json) => JSON.parse(json) as Target);
  }

  putRegistryRows(rows: readonly RegistryRow[], loadId: string): Promise<StoredCount> {
    return this.put(REGISTRY, rows, (r) => `${r.code}#${r.validFrom}`, loadId);
  }

  putTargets(rows: readonly Target[], loadId: string): Promise<StoredCount> {
    return this.put(TARGETS, rows, (t) => `${t.unit}#${t.windowFrom}`, loadId);
  }
}

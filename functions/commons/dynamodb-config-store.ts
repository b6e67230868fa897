// Loaded registry rows and targets in the reports table:
//   CONFIG#REGISTRY  <code>#<valid_from>#<load id>     one registry row of one load
//   CONFIG#TARGETS   <unit>#<window_from>#<load id>    one target of one load
//   CONFIG#LOADS     <committed at>#<load id>          the load's commit
// Without transactions a load is made atomic by its commit: it writes its new or changed
// rows first and its commit item last. Rows of a load that never committed (a crash
// half-way) are ignored, and the retry (same load id) finishes it. For each row key the row
// of the latest committed load wins. A file loaded twice changes nothing and writes nothing.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RegistryRow } from '../../shared/config/plan-config.ts';
import type { ConfigStore, StoredCount } from '../../shared/store/config-store.ts';
import type { Target } from '../../shared/units/target.ts';
import { documentClient } from './clients.ts';

const REGISTRY = 'CONFIG#REGISTRY';
const TARGETS = 'CONFIG#TARGETS';
const LOADS = 'CONFIG#LOADS';

interface RowItem { PK: string; SK: string; type: 'config'; row_key: string; load: string; row: string }
interface LoadItem { PK: string; SK: string; type: 'config_load'; load: string; kind: string; rows: number }

export class DynamoConfigStore implements ConfigStore {
  private readonly db: DynamoDBDocumentClient;

  constructor(client: DynamoDBClient, private readonly table: string) {
    this.db = documentClient(client);
  }

  private async query<T>(pk: string): Promise<T[]> {
    const items: T[] = [];
    for await (const page of paginateQuery({ client: this.db }, {
      TableName: this.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk },
    })) items.push(...((page.Items ?? []) as T[]));
    return items;
  }

  /** Committed loads, oldest first (their sort keys start with the commit time). */
  private async committed(): Promise<Map<string, number>> {
    return new Map((await this.query<LoadItem>(LOADS)).map((item, i) => [item.load, i]));
  }

  /** Row key → the row (as JSON) of the latest committed load that has it. */
  private async effective(pk: string): Promise<Map<string, string>> {
    const [items, loads] = await Promise.all([this.query<RowItem>(pk), this.committed()]);
    const best = new Map<string, { json: string; order: number }>();
    for (const item of items) {
      const order = loads.get(item.load);
      if (order === undefined) continue; // never committed
      const seen = best.get(item.row_key);
      if (!seen || order > seen.order) best.set(item.row_key, { json: item.row, order });
    }
    return new Map([...best].map(([k, v]) => [k, v.json]));
  }

  private async put<T>(pk: string, rows: readonly T[], key: (row: T) => string, loadId: string): Promise<StoredCount> {
    const current = await this.effective(pk);
    const changed = rows.filter((r) => current.get(key(r)) !== JSON.stringify(r));
    if (changed.length === 0) return { changed: 0, unchanged: rows.length };
    for (const row of changed) {
      const item: RowItem = { PK: pk, SK: `${key(row)}#${loadId}`, type: 'config', row_key: key(row), load: loadId, row: JSON.stringify(row) };
      await this.db.send(new PutCommand({ TableName: this.table, Item: item }));
    }
    const commit: LoadItem = { PK: LOADS, SK: `${new Date().toISOString()}#${loadId}`, type: 'config_load', load: loadId, kind: pk, rows: changed.length };
    await this.db.send(new PutCommand({ TableName: this.table, Item: commit }));
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

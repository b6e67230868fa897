// Loaded registry rows and targets in the reports table:
//   CONFIG#REGISTRY  <code>#<valid_from>#<load id>     one registry row of one load
//   CONFIG#TARGETS   <unit>#<window_from>#<load id>    one target of one load
//   CONFIG#PLANS     <valid_from>#<load id>            one plan (with its pilot list) of one load
//   CONFIG#LOADS     <committed at>#<load id>          the load's commit
// Without transactions a load is made atomic by its commit: it writes its new or changed
// rows first and its commit item last. Rows of a load that never committed (a crash
// half-way) are ignored, and the retry (same load id) finishes it. For each row key the row
// of the latest committed load wins. A file loaded twice changes nothing and writes nothing.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RegistryRow } from '../../shared/config/plan-config.ts';
import type { PlanFields } from '../../shared/config/plan.ts';
import type { ConfigStore, StoredCount } from '../../shared/store/config-store.ts';
import type { Target } from '../../shared/units/target.ts';
import { eachLimited } from '../../shared/each-limited.ts';
import { documentClient } from './clients.ts';

const REGISTRY = 'CONFIG#REGISTRY';
const TARGETS = 'CONFIG#TARGETS';
const PLANS = 'CONFIG#PLANS';
const LOADS = 'CONFIG#LOADS';

/** BatchWriteItem's limit per request. */
const BATCH_SIZE = 25;
const BATCHES_IN_FLIGHT = 4;
const UNPROCESSED_ATTEMPTS = 8;

/** Backoff between attempts at unprocessed items: full jitter under min(cap, base × 2^attempt). */
export interface Backoff { baseMs: number; capMs: number }
const BACKOFF: Backoff = { baseMs: 25, capMs: 1000 };

interface RowItem { PK: string; SK: string; type: 'config'; row_key: string; load: string; row: string }
interface LoadItem { PK: string; SK: string; type: 'config_load'; load: string; kind: string; rows: number }

export class DynamoConfigStore implements ConfigStore {
  private readonly db: DynamoDBDocumentClient;

  constructor(client: DynamoDBClient, private readonly table: string, private readonly backoff: Backoff = BACKOFF) {
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
    // One item per row key (a later duplicate wins, as it would with one put after another):
    // a batch may not name a key twice.
    const items = new Map<string, RowItem>();
    for (const row of changed) {
      items.set(key(row), { PK: pk, SK: `${key(row)}#${loadId}`, type: 'config', row_key: key(row), load: loadId, row: JSON.stringify(row) });
    }
    await this.writeAll([...items.values()]);
    // Only once every row is in: the commit that makes them count.
    const commit: LoadItem = { PK: LOADS, SK: `${new Date().toISOString()}#${loadId}`, type: 'config_load', load: loadId, kind: pk, rows: changed.length };
    await this.db.send(new PutCommand({ TableName: this.table, Item: commit }));
    return { changed: changed.length, unchanged: rows.length - changed.length };
  }

  /**
   * Writes items with BatchWriteItem, BATCH_SIZE per request and BATCHES_IN_FLIGHT requests at
   * a time (a national registry, 24,000 rows, in a few seconds instead of 20). Items DynamoDB
   * leaves unprocessed (throttling) are sent again with backoff; the load fails if they never go.
   */
  private async writeAll(items: readonly RowItem[]): Promise<void> {
    const batches: RowItem[][] = [];
    for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE));
    // A failed batch loses the load (it will not commit): the others send no more.
    await eachLimited(batches, BATCHES_IN_FLIGHT, (batch, loadFailed) => this.writeBatch(batch, loadFailed));
  }

  private async writeBatch(batch: readonly RowItem[], loadFailed: () => boolean): Promise<void> {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; ; attempt++) {
      const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
      const left = out.UnprocessedItems?.[this.table] ?? [];
      if (left.length === 0) return;
      if (attempt + 1 >= UNPROCESSED_ATTEMPTS) throw new Error(`DynamoDB left ${left.length} config rows unprocessed after ${UNPROCESSED_ATTEMPTS} attempts`);
      requests = left as typeof requests;
      // Exponential backoff with full jitter, as AWS advises for unprocessed items.
      const { baseMs, capMs } = this.backoff;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(capMs, baseMs * 2 ** attempt)));
      if (loadFailed()) return; // another batch failed the load while this one waited
    }
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

  async plans(): Promise<PlanFields[]> {
    return [...(await this.effective(PLANS)).values()].map((json) => JSON.parse(json) as PlanFields);
  }

  putPlans(plans: readonly PlanFields[], loadId: string): Promise<StoredCount> {
    return this.put(PLANS, plans, (p) => p.validFrom, loadId);
  }
}

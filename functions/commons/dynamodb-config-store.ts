// Loaded registry rows and targets in the reports table, one item per row:
//   CONFIG#REGISTRY  <code>#<valid_from>        CONFIG#TARGETS  <unit>#<window_from>
// A row is written only when it is new or different, so loading a file twice writes nothing.
import { PutItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { RegistryRow } from '../../shared/config/plan-config.ts';
import type { ConfigStore, StoredCount } from '../../shared/store/config-store.ts';
import type { Target } from '../../shared/units/target.ts';

const REGISTRY = 'CONFIG#REGISTRY';
const TARGETS = 'CONFIG#TARGETS';

export class DynamoConfigStore implements ConfigStore {
  constructor(private readonly client: DynamoDBClient, private readonly table: string) {}

  private async all(pk: string): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({
        TableName: this.table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: marshall({ ':pk': pk }), ExclusiveStartKey: start,
      }));
      for (const item of page.Items ?? []) out.set(item.SK.S!, item.row.S!);
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  private async put<T>(pk: string, rows: readonly T[], key: (row: T) => string): Promise<StoredCount> {
    const stored = await this.all(pk);
    let changed = 0;
    for (const row of rows) {
      const sk = key(row);
      const json = JSON.stringify(row);
      if (stored.get(sk) === json) continue;
      await this.client.send(new PutItemCommand({ TableName: this.table, Item: marshall({ PK: pk, SK: sk, type: 'config', row: json }) }));
      changed++;
    }
    return { changed, unchanged: rows.length - changed };
  }

  async registryRows(): Promise<RegistryRow[]> {
    return [...(await this.all(REGISTRY)).values()].map((json) => JSON.parse(json) as RegistryRow);
  }

  async targets(): Promise<Target[]> {
    return [...(await this.all(TARGETS)).values()].map((json) => JSON.parse(json) as Target);
  }

  putRegistryRows(rows: readonly RegistryRow[]): Promise<StoredCount> {
    return this.put(REGISTRY, rows, (r) => `${r.code}#${r.validFrom}`);
  }

  putTargets(rows: readonly Target[]): Promise<StoredCount> {
    return this.put(TARGETS, rows, (t) => `${t.unit}#${t.windowFrom}`);
  }
}

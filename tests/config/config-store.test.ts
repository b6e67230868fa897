// A registry load is all or nothing, even when DynamoDB fails half-way (no transactions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../../functions/commons/clients.ts';
import { DynamoConfigStore } from '../../functions/commons/dynamodb-config-store.ts';
import { ensureReportTable } from '../../functions/commons/dynamodb-report-store.ts';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import type { RegistryRow } from '../../shared/config/plan-config.ts';
import { tempHome } from '../ingest/helpers.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ home: await tempHome() });
  await ensureReportTable(dynamoClient(stack.endpoints.dynamodb), stack.table);
}, 60_000);
afterAll(() => stack?.stop());

const rows = (n: number, name = 'Phường'): RegistryRow[] => Array.from({ length: n }, (_, i) => ({
  code: `N${String(i).padStart(3, '0')}`, level: 'commune', name: `${name} ${i}`, parentCode: null, contactEmail: null,
  validFrom: '2025-07', validTo: null, mergedInto: null,
}));

/** A store whose DynamoDB client throttles every PutItem after the first `ok` ones. */
function failingAfter(ok: number): DynamoConfigStore {
  const client = dynamoClient(stack.endpoints.dynamodb);
  let puts = 0;
  client.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === 'PutItemCommand' && ++puts > ok) {
      throw new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} });
    }
    return next(args);
  }, { step: 'initialize' });
  return new DynamoConfigStore(client, stack.table);
}

describe('DynamoConfigStore', () => {
  it('a load that fails half-way changes nothing; its retry completes it', async () => {
    const store = new DynamoConfigStore(dynamoClient(stack.endpoints.dynamodb), stack.table);
    await store.putRegistryRows(rows(5, 'Cũ'), 'load-1');
    expect((await store.registryRows()).map((r) => r.name).sort()).toEqual(rows(5, 'Cũ').map((r) => r.name).sort());

    await expect(failingAfter(3).putRegistryRows(rows(5, 'Mới'), 'load-2')).rejects.toThrow(/throttled/);
    // Three of the new rows were written, but their load never committed: the old registry stands.
    expect((await store.registryRows()).map((r) => r.name).sort()).toEqual(rows(5, 'Cũ').map((r) => r.name).sort());

    expect(await store.putRegistryRows(rows(5, 'Mới'), 'load-2')).toEqual({ changed: 5, unchanged: 0 });
    expect((await store.registryRows()).map((r) => r.name).sort()).toEqual(rows(5, 'Mới').map((r) => r.name).sort());
    // And loading it again writes nothing.
    expect(await failingAfter(0).putRegistryRows(rows(5, 'Mới'), 'load-3')).toEqual({ changed: 0, unchanged: 5 });
  });
});

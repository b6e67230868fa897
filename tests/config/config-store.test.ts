// The ConfigStore contract (shared/store/config-store.ts) on DynamoDB (dynalite and DynamoDB
// Local, over HTTP) and in memory: a load is all or nothing, even when a write fails half-way
// (no transactions); its retry finishes it; the latest load wins; a file loaded twice writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProvisionedThroughputExceededException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../../functions/commons/clients.ts';
import { DynamoConfigStore, type Backoff } from '../../functions/commons/dynamodb-config-store.ts';
import { ensureReportTable } from '../../functions/commons/dynamodb-report-store.ts';
import type { DynamoBackend } from '../../infra/local/stack.ts';
import type { RegistryRow } from '../../shared/config/plan-config.ts';
import type { PlanFields } from '../../shared/config/plan.ts';
import type { ConfigStore } from '../../shared/store/config-store.ts';
import { MemoryConfigStore, type BeforeWrite } from '../../shared/store/memory-config-store.ts';
import type { Target } from '../../shared/units/target.ts';
import { DYNAMO_BACKENDS, startDynamoFor, type TestDynamo } from '../fixtures/dynamo-backends.ts';

const rows = (n: number, name = 'Phường', validFrom = '2025-07'): RegistryRow[] => Array.from({ length: n }, (_, i) => ({
  code: `N${String(i).padStart(4, '0')}`, level: 'commune', name: `${name} ${i}`, parentCode: i % 2 ? 'H01' : null,
  contactEmail: i % 3 ? null : `ubnd.n${i}@haiphong.gov.vn`, validFrom, validTo: null, mergedInto: null,
}));

const targets = (n: number, pct = 80): Target[] => Array.from({ length: n }, (_, i) => ({
  unit: `N${String(i).padStart(4, '0')}`, windowFrom: '2026-01', windowTo: '2026-12', targetPct: i % 7 === 0 ? null : pct + (i % 20) / 10,
}));

const byCode = <T extends { code?: string; unit?: string }>(list: T[]): T[] =>
  [...list].sort((a, b) => ((a.code ?? a.unit)! < (b.code ?? b.unit)! ? -1 : 1));

const throttled = () => new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} });

/** Counts the rows a DynamoDB request writes, and whether it is a load's commit. */
function writeOf(commandName: string, input: Record<string, unknown>): { commit: boolean; rows: number } | null {
  const pkOf = (item: Record<string, unknown>) => {
    const pk = item.PK as string | { S?: string };
    return typeof pk === 'string' ? pk : pk.S;
  };
  if (commandName === 'PutItemCommand') {
    const commit = pkOf(input.Item as Record<string, unknown>) === 'CONFIG#LOADS';
    return { commit, rows: commit ? 0 : 1 };
  }
  if (commandName === 'BatchWriteItemCommand') {
    const requests = Object.values(input.RequestItems as Record<string, unknown[]>).flat();
    return { commit: false, rows: requests.length };
  }
  return null;
}

interface Backend {
  /** A store over the backend's data; with `beforeWrite`, each write asks it first (it may throw). */
  store(beforeWrite?: BeforeWrite, dynamo?: DynamoHooks): ConfigStore;
}

/** DynamoDB backends only: the commands the store sends, and a way to alter their answers. */
interface DynamoHooks {
  sent?: string[];
  answer?: (commandName: string, input: Record<string, unknown>, output: Record<string, unknown>) => void;
  /** The store's backoff at unprocessed items; short unless a test says otherwise. */
  backoff?: Backoff;
}

const SHORT_BACKOFF: Backoff = { baseMs: 1, capMs: 4 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each<DynamoBackend | 'memory'>([...DYNAMO_BACKENDS, 'memory'])('ConfigStore contract: %s', (kind) => {
  let emulator: TestDynamo | undefined;
  const clients: DynamoDBClient[] = [];
  let backend: Backend;

  beforeAll(async () => {
    if (kind === 'memory') {
      const base = new MemoryConfigStore();
      backend = { store: (beforeWrite) => (beforeWrite ? base.withFault(beforeWrite) : base) };
      return;
    }
    emulator = await startDynamoFor(kind, 'config-store');
    await ensureReportTable(dynamoClient(emulator.endpoint), emulator.table);
    backend = {
      store: (beforeWrite, hooks = {}) => {
        const client = dynamoClient(emulator!.endpoint);
        clients.push(client);
        let written = 0;
        client.middlewareStack.add((next, context) => async (args) => {
          const name = context.commandName ?? '';
          const input = args.input as Record<string, unknown>;
          hooks.sent?.push(name);
          const write = writeOf(name, input);
          if (write && beforeWrite) {
            beforeWrite({ kind: write.commit ? 'commit' : 'row', rowsWritten: written });
            written += write.rows;
          }
          const result = await next(args);
          hooks.answer?.(name, input, result.output as unknown as Record<string, unknown>);
          return result;
        }, { step: 'initialize' });
        return new DynamoConfigStore(client, emulator!.table, hooks.backoff ?? SHORT_BACKOFF);
      },
    };
  }, 120_000); // DynamoDB Local boots a JVM
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await emulator?.stop();
  }, 60_000);

  it('a load that fails half-way changes nothing; its retry completes it; loading it again writes nothing', async () => {
    const store = backend.store();
    expect(await store.putRegistryRows(rows(5, 'Cũ'), 'load-1')).toEqual({ changed: 5, unchanged: 0 });
    expect(byCode(await store.registryRows())).toEqual(rows(5, 'Cũ'));

    const failAfter3: BeforeWrite = ({ kind: k, rowsWritten }) => { if (k === 'commit' || rowsWritten >= 3) throw throttled(); };
    await expect(backend.store(failAfter3).putRegistryRows(rows(5, 'Mới'), 'load-2')).rejects.toThrow(/throttled/);
    // Some of the new rows were written, but their load never committed: the old registry stands.
    expect(byCode(await store.registryRows())).toEqual(rows(5, 'Cũ'));

    expect(await store.putRegistryRows(rows(5, 'Mới'), 'load-2')).toEqual({ changed: 5, unchanged: 0 });
    expect(byCode(await store.registryRows())).toEqual(rows(5, 'Mới'));
    const noWrites: BeforeWrite = () => { throw new Error('a load of an unchanged file wrote'); };
    expect(await backend.store(noWrites).putRegistryRows(rows(5, 'Mới'), 'load-3')).toEqual({ changed: 0, unchanged: 5 });
  });

  it('a load whose commit fails is invisible, even once another load commits; its retry finishes it', async () => {
    const store = backend.store();
    const base = rows(4, 'Gốc', '2030-01');
    await store.putRegistryRows(base, 'c-1');
    const failCommit: BeforeWrite = ({ kind: k }) => { if (k === 'commit') throw throttled(); };
    const renamed = base.map((r, i) => (i < 2 ? { ...r, name: `Đổi tên ${i}` } : r));
    await expect(backend.store(failCommit).putRegistryRows(renamed, 'c-2')).rejects.toThrow(/throttled/);
    const mine = async () => byCode((await store.registryRows()).filter((r) => r.validFrom === '2030-01'));
    expect(await mine()).toEqual(base);
    // Another load commits meanwhile (a different row): c-2's rows stay uncommitted.
    const extra = rows(5, 'Thêm', '2030-01').slice(4);
    expect(await store.putRegistryRows(extra, 'c-3')).toEqual({ changed: 1, unchanged: 0 });
    expect(await mine()).toEqual(byCode([...base, ...extra]));
    // The retry of c-2 writes only what differs, and commits.
    expect(await store.putRegistryRows(renamed, 'c-2')).toEqual({ changed: 2, unchanged: 2 });
    expect(await mine()).toEqual(byCode([...renamed, ...extra]));
  });

  it('the later load wins per row; rows it does not name stay', async () => {
    const store = backend.store();
    const first = rows(6, 'Đợt 1', '2031-01');
    await store.putRegistryRows(first, 'w-1');
    const second = rows(3, 'Đợt 2', '2031-01');
    expect(await store.putRegistryRows(second, 'w-2')).toEqual({ changed: 3, unchanged: 0 });
    const mine = async () => byCode((await store.registryRows()).filter((r) => r.validFrom === '2031-01'));
    expect(await mine()).toEqual([...second, ...first.slice(3)]);
    // Going back to the first file is a change again, and wins again.
    expect(await store.putRegistryRows(first, 'w-3')).toEqual({ changed: 3, unchanged: 3 });
    expect(await mine()).toEqual(first);
  });

  it('targets: the same contract, apart from the registry', async () => {
    const store = backend.store();
    const before = (await store.registryRows()).length;
    expect(await store.targets()).toEqual([]);
    expect(await store.putTargets(targets(10), 't-1')).toEqual({ changed: 10, unchanged: 0 });
    expect(byCode(await store.targets())).toEqual(targets(10));
    const failAfter4: BeforeWrite = ({ kind: k, rowsWritten }) => { if (k === 'commit' || rowsWritten >= 4) throw throttled(); };
    await expect(backend.store(failAfter4).putTargets(targets(10, 90), 't-2')).rejects.toThrow(/throttled/);
    expect(byCode(await store.targets())).toEqual(targets(10));
    expect(await store.putTargets(targets(10, 90), 't-2')).toEqual({ changed: 8, unchanged: 2 }); // the two blank targets are the same
    expect(byCode(await store.targets())).toEqual(targets(10, 90));
    expect((await store.registryRows()).length).toBe(before);
  });

  it('plans: one per valid_from, the later load replacing it whole (pilot list included); apart from registry and targets', async () => {
    const store = backend.store();
    const [rowsBefore, targetsBefore] = [(await store.registryRows()).length, (await store.targets()).length];
    const plan = (validFrom: string, citation: string, pilot: string[]): PlanFields => ({
      citation, validFrom, validTo: null, floor: 0.65, servicesGoal: 0.8, window: { from: validFrom, to: `${validFrom.slice(0, 4)}-12` },
      pilot: pilot.map((procedureName) => ({ level: 'commune' as const, unitName: '', field: '', procedureName })), collector: 'Văn phòng UBND thành phố',
    });
    const byFrom = (list: PlanFields[]) => [...list].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    const first = [plan('2026-01', 'Kế hoạch số 15/KH-UBND ngày 20/01/2026', ['Đăng ký khai sinh', 'Chứng thực bản sao']), plan('2027-01', 'Kế hoạch số 3/KH-UBND ngày 5/01/2027', [])];
    expect(await store.plans()).toEqual([]);
    const failAtCommit: BeforeWrite = ({ kind: k }) => { if (k === 'commit') throw throttled(); };
    await expect(backend.store(failAtCommit).putPlans(first, 'p-1')).rejects.toThrow(/throttled/);
    expect(await store.plans()).toEqual([]);
    expect(await store.putPlans(first, 'p-1')).toEqual({ changed: 2, unchanged: 0 });
    expect(byFrom(await store.plans())).toEqual(first);
    expect(await store.putPlans(first, 'p-1b')).toEqual({ changed: 0, unchanged: 2 });
    const replaced = plan('2026-01', 'Kế hoạch số 15/KH-UBND ngày 20/01/2026', ['Đăng ký khai sinh']);
    expect(await store.putPlans([replaced], 'p-2')).toEqual({ changed: 1, unchanged: 0 });
    expect(byFrom(await store.plans())).toEqual([replaced, first[1]]);
    expect((await store.registryRows()).length).toBe(rowsBefore);
    expect((await store.targets()).length).toBe(targetsBefore);
  });

  // Many rows: 24 batches, four in flight at a time, and long names (about 2 KB a row), so that
  // reading them back takes more than one 1 MB Query page. The national size (24,000 rows)
  // is the bench's to time.
  const MANY = 600;
  const LONG_NAME = `Xã ${'Tân Hưng Đông '.repeat(120)}`;

  it('a load of many rows stores every row and commits once, in batches; reading them back follows the pages', async () => {
    const many = rows(MANY, LONG_NAME, '2040-01');
    let commits = 0;
    const sent: string[] = [];
    const counting: BeforeWrite = ({ kind: k }) => { if (k === 'commit') commits++; };
    expect(await backend.store(counting, { sent }).putRegistryRows(many, 'big-1')).toEqual({ changed: MANY, unchanged: 0 });
    expect(commits).toBe(1);
    const read: string[] = [];
    expect(byCode((await backend.store(undefined, { sent: read }).registryRows()).filter((r) => r.validFrom === '2040-01'))).toEqual(many);
    if (kind !== 'memory') {
      // 25 rows a request (BatchWriteItem's limit), then the one commit put.
      expect(sent.filter((c) => c === 'BatchWriteItemCommand')).toHaveLength(MANY / 25);
      expect(sent.filter((c) => c === 'PutItemCommand')).toHaveLength(1);
      // The rows' pages (at least two), and the commits'.
      expect(read.filter((c) => c === 'QueryCommand').length).toBeGreaterThanOrEqual(3);
    }
  }, 120_000);

  it('a load of many rows interrupted before its commit is invisible; its retry finishes it', async () => {
    const store = backend.store();
    const old = rows(MANY, LONG_NAME, '2041-01');
    await store.putRegistryRows(old, 'big-old');
    const mine = async () => byCode((await store.registryRows()).filter((r) => r.validFrom === '2041-01'));
    const renamed = old.map((r, i) => (i % 2 ? { ...r, name: `Mới ${i}` } : r));
    const failCommit: BeforeWrite = ({ kind: k }) => { if (k === 'commit') throw throttled(); };
    await expect(backend.store(failCommit).putRegistryRows(renamed, 'big-new')).rejects.toThrow(/throttled/);
    expect(await mine()).toEqual(old);
    let commits = 0;
    expect(await backend.store(({ kind: k }) => { if (k === 'commit') commits++; }).putRegistryRows(renamed, 'big-new'))
      .toEqual({ changed: MANY / 2, unchanged: MANY / 2 });
    expect(commits).toBe(1);
    expect(await mine()).toEqual(renamed);
  }, 120_000);

  it.runIf(kind !== 'memory')('rows DynamoDB leaves unprocessed are sent again until they are in', async () => {
    const list = rows(300, 'Chưa xử lý', '2042-01');
    // Every batch's first answer says its last 10 rows were not processed (they were, so a
    // store that dropped the retry would still pass the read; the request count catches it).
    const seen = new Set<string>();
    const sent: string[] = [];
    const answer: DynamoHooks['answer'] = (name, input, output) => {
      if (name !== 'BatchWriteItemCommand') return;
      const [table, requests] = Object.entries(input.RequestItems as Record<string, Array<{ PutRequest: { Item: { SK: string } } }>>)[0];
      const first = requests[0].PutRequest.Item.SK;
      if (seen.has(first) || requests.length < 25) return;
      seen.add(first);
      output.UnprocessedItems = { [table]: requests.slice(-10) };
    };
    expect(await backend.store(undefined, { sent, answer }).putRegistryRows(list, 'unprocessed-1')).toEqual({ changed: 300, unchanged: 0 });
    expect(sent.filter((c) => c === 'BatchWriteItemCommand')).toHaveLength(12 + 12); // each batch, then its 10 left over
    expect(byCode((await backend.store().registryRows()).filter((r) => r.validFrom === '2042-01'))).toEqual(list);
  });

  it.runIf(kind !== 'memory')('rows that stay unprocessed fail the load, which then changes nothing', async () => {
    const list = rows(30, 'Kẹt', '2043-01');
    const answer: DynamoHooks['answer'] = (name, input, output) => {
      if (name === 'BatchWriteItemCommand') output.UnprocessedItems = input.RequestItems; // never gets through
    };
    const sent: string[] = [];
    await expect(backend.store(undefined, { sent, answer }).putRegistryRows(list, 'stuck-1')).rejects.toThrow(/unprocessed/);
    expect(sent).not.toContain('PutItemCommand'); // no commit
    expect((await backend.store().registryRows()).filter((r) => r.validFrom === '2043-01')).toEqual([]);
  }, 60_000);

  it.runIf(kind !== 'memory')('a load that fails sends nothing more once it has failed: batches waiting to retry give up', async () => {
    const list = rows(60, 'Dừng', '2044-01'); // three batches, in flight together
    const sent: string[] = [];
    const answer: DynamoHooks['answer'] = (name, input, output) => {
      if (name !== 'BatchWriteItemCommand') return;
      const [table, requests] = Object.entries(input.RequestItems as Record<string, Array<{ PutRequest: { Item: { SK: string } } }>>)[0];
      if (requests[0].PutRequest.Item.SK.startsWith('N0000#')) throw new Error('the first batch failed');
      output.UnprocessedItems = { [table]: requests }; // the others wait and retry
    };
    // AWS's own backoff, so the others are still waiting when the first batch fails.
    await expect(backend.store(undefined, { sent, answer, backoff: { baseMs: 25, capMs: 1000 } }).putRegistryRows(list, 'stop-1'))
      .rejects.toThrow(/first batch failed/);
    const sentWhenFailed = sent.length;
    await sleep(600); // longer than the first four backoffs together
    expect(sent).toHaveLength(sentWhenFailed);
    expect(sent).not.toContain('PutItemCommand'); // no commit
  });
});

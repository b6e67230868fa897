// ReportStore.ingestView, the one read ingest makes before judging an accepted upload, on the
// DynamoDB adapter (dynalite and DynamoDB Local, over HTTP) and the memory store: it must say
// what getCurrent and getPublication say, and give the unit's earlier reports' figures, in one
// DynamoDB request and without the procedure lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoBackend } from '../../infra/local/stack.ts';
import { orderKey, type UnitFigures } from '../../shared/ingest/upload.ts';
import type { Counts } from '../../shared/report-file/counts.ts';
import type { ReportStore } from '../../shared/store/report-store.ts';
import { bigProcedures, SAMPLE_COUNTS } from './helpers.ts';
import { DYNAMO_BACKENDS, reportStoreFor, type TestReportStore } from '../fixtures/dynamo-backends.ts';

const countsOf = (n: number): Counts => ({ ...SAMPLE_COUNTS, received_online: n });

function current(unit: string, period: string, uploadId: string, counts: Counts = SAMPLE_COUNTS): UnitFigures {
  const eventTime = `${period}-17T02:00:00.000Z`;
  return {
    unit, period, uploadId, orderKey: orderKey(eventTime, '0A'), eventTime, contentHash: `${uploadId}-hash`,
    key: `incoming/${unit}/${uploadId}.xlsx`, counts, procedures: bigProcedures(400, uploadId.length),
  };
}

describe.each<DynamoBackend | 'memory'>([...DYNAMO_BACKENDS, 'memory'])('ReportStore.ingestView: %s', (backend) => {
  let under: TestReportStore | undefined;
  let store: ReportStore;
  const sent: Array<{ command: string; input: Record<string, any> }> = [];

  beforeAll(async () => {
    under = await reportStoreFor(backend, 'view', (client) => client.middlewareStack.add((next, context) => async (args) => {
      sent.push({ command: context.commandName ?? '', input: args.input as Record<string, any> });
      return next(args);
    }, { step: 'initialize', name: 'recordCommands' }));
    store = under.store;
  }, 120_000); // DynamoDB Local boots a JVM
  afterAll(() => under?.stop(), 60_000);

  it('nothing stored: no current report, no publication, no earlier figures', async () => {
    expect(await store.ingestView('2022-06', 'S01', ['2022-05', '2022-04'])).toEqual({ current: null, publication: null, earlier: [], notedUnits: [] });
    expect((await store.ingestView('2022-06', 'S01', [], 'no-such-note')).notedUnits).toEqual([]);
  });

  it('the current report (upload, upload order and content), the publication as getPublication gives it, and the earlier periods the unit has, in the order asked', async () => {
    await store.moveCurrent(current('S02', '2022-06', 'now-0001'));
    await store.moveCurrent(current('S02', '2022-05', 'may-0001', countsOf(501)));
    await store.moveCurrent(current('S02', '2022-03', 'mar-0001', countsOf(301)));
    await store.moveCurrent(current('S03', '2022-04', 'other-unit', countsOf(999))); // another unit's April
    await store.claimPublication('2022-06', '2022-06-20T01:00:00.000Z');
    await store.markPublished('2022-06', '2022-06-20T01:05:00.000Z', 'msg-1');
    const publication = await store.getPublication('2022-06');
    sent.length = 0;

    await store.noteCounts('2022-06', 'S07', 'counts-a');
    await store.noteCounts('2022-06', 'S03', 'counts-a');
    await store.noteCounts('2022-05', 'S08', 'counts-a'); // another period's
    await store.noteCounts('2022-06', 'S09', 'counts-b'); // other counts
    sent.length = 0;

    const view = await store.ingestView('2022-06', 'S02', ['2022-05', '2022-04', '2022-03', '2022-02'], 'counts-a');
    expect(view).toEqual({
      current: { uploadId: 'now-0001', orderKey: orderKey('2022-06-17T02:00:00.000Z', '0A'), contentHash: 'now-0001-hash' },
      publication,
      earlier: [{ period: '2022-05', counts: countsOf(501) }, { period: '2022-03', counts: countsOf(301) }],
      // The units noted with the counts asked for, in this period.
      notedUnits: ['S03', 'S07'],
    });
    expect(view.publication).toMatchObject({ sentAt: '2022-06-20T01:05:00.000Z', messageId: 'msg-1' });
    if (backend !== 'memory') {
      // One request, and the procedure lists stay in the table.
      expect(sent.map((s) => s.command)).toEqual(['BatchGetItemCommand']);
      const projection = String(Object.values(sent[0].input.RequestItems as Record<string, any>)[0].ProjectionExpression);
      expect(projection).not.toMatch(/procedures/);
    }
  });

  it('a claimed, unsent publication reads as claimed; a newer current report replaces the older', async () => {
    await store.claimPublication('2022-07', '2022-07-20T01:00:00.000Z');
    await store.moveCurrent(current('S04', '2022-07', 'jul-0001'));
    await store.moveCurrent({ ...current('S04', '2022-07', 'jul-0002'), orderKey: orderKey('2022-07-18T02:00:00.000Z', '0B') });
    const view = await store.ingestView('2022-07', 'S04', []);
    expect(view.publication).toEqual({ period: '2022-07', claimedAt: '2022-07-20T01:00:00.000Z', sentAt: null, messageId: null });
    expect(view.current).toEqual({ uploadId: 'jul-0002', orderKey: orderKey('2022-07-18T02:00:00.000Z', '0B'), contentHash: 'jul-0002-hash' });
  });

  it('more than 100 earlier periods (DynamoDB\'s batch limit) are all read', async () => {
    await store.moveCurrent(current('S05', '2010-01', 'old-0001', countsOf(7)));
    const periods = Array.from({ length: 150 }, (_, i) => {
      const index = 2022 * 12 + 5 - (i + 1); // June 2022 back 150 months
      return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    });
    expect(periods).toContain('2010-01');
    expect((await store.ingestView('2022-06', 'S05', periods)).earlier).toEqual([{ period: '2010-01', counts: countsOf(7) }]);
  });
});

// The ReportStore contract (shared/store/report-store.ts), run against the DynamoDB adapter
// over real HTTP on both emulators the project supports: dynalite (the embedded default)
// and AWS's DynamoDB Local. No mocks: every call goes through the AWS SDK to the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBClient, QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { dynamoClient } from '../../functions/commons/clients.ts';
import { DynamoReportStore, ensureReportTable } from '../../functions/commons/dynamodb-report-store.ts';
import { startLocalStack, type DynamoBackend, type LocalStack } from '../../infra/local/stack.ts';
import { orderKey, type CurrentReport, type UploadRecord } from '../../shared/ingest/upload.ts';
import type { Counts } from '../../shared/report-file/counts.ts';
import { bigProcedures, inBatches, removeTempHomes, SAMPLE_COUNTS, tempHome, uploadRecord } from './helpers.ts';

afterAll(removeTempHomes);

function current(unit: string, period: string, uploadId: string, eventTime: string, sequencer: string, counts: Counts = SAMPLE_COUNTS): CurrentReport {
  return {
    unit, period, uploadId, orderKey: orderKey(eventTime, sequencer), eventTime: new Date(eventTime).toISOString(),
    contentHash: `${uploadId}-hash`, key: `incoming/${unit}/báo cáo ${uploadId}.xlsx`, counts, procedures: bigProcedures(3, uploadId.length),
  };
}

/** Every order of a list (3 items: 6 orders). */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe.each<DynamoBackend>(['dynalite', 'dynamodb-local'])('ReportStore contract: DynamoReportStore on %s', (backend) => {
  let stack: LocalStack;
  let client: DynamoDBClient;
  let store: DynamoReportStore;
  /** Every Query sent: which key range, and whether it continued a previous page. */
  const queries: Array<{ index: string | undefined; prefix: string | undefined; continued: boolean }> = [];

  beforeAll(async () => {
    stack = await startLocalStack({ home: await tempHome('tthc-contract-'), dynamo: backend });
    client = dynamoClient(stack.endpoints.dynamodb);
    client.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') {
        const input = args.input as QueryCommandInput;
        queries.push({ index: input.IndexName, prefix: input.ExpressionAttributeValues?.[':sk']?.S, continued: input.ExclusiveStartKey !== undefined });
      }
      return next(args);
    }, { step: 'initialize', name: 'recordQueries' });
    await ensureReportTable(client, stack.table);
    await ensureReportTable(client, stack.table); // a second call finds the table and leaves it
    store = new DynamoReportStore(client, stack.table);
  }, 120_000); // DynamoDB Local boots a JVM
  afterAll(async () => {
    client?.destroy();
    await stack?.stop();
  }, 60_000);

  it('putUpload: created, then exists; the second put with the same id keeps the first record', async () => {
    const first = uploadRecord({ unit: 'S01', period: '2022-06', uploadId: 'put-once-0001' });
    const second: UploadRecord = {
      ...first, outcome: 'rejected', counts: null, layout: null, processedAt: '2022-06-18T09:00:00.000Z',
      errors: [{ code: 'negative_count', message: 'Số hồ sơ không được âm', sheet: null, row: 3, column: 'E' }],
    };
    expect(await store.putUpload(first)).toBe('created');
    expect(await store.putUpload(second)).toBe('exists');
    expect(await store.putUpload(first)).toBe('exists');
    expect(await store.getUpload('2022-06', 'S01', 'put-once-0001')).toEqual(first);
    // Same id under another unit or period is another record.
    expect(await store.putUpload({ ...first, unit: 'S02' })).toBe('created');
    expect(await store.putUpload({ ...first, period: '2022-07' })).toBe('created');
    expect(await store.unitHistory('S01')).toHaveLength(2);
  });

  it('getUpload round-trips every field: nulls, Vietnamese text, issues, procedures', async () => {
    const accepted = uploadRecord({
      unit: 'X007', period: '2022-06', uploadId: 'roundtrip-acc',
      key: 'incoming/X007/Báo cáo tháng 6 – Phường Cát Bi (bản sửa).xlsx', fileName: 'Báo cáo tháng 6 – Phường Cát Bi (bản sửa).xlsx',
      versionId: '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY', size: 7542, layout: '06a', periodFromFile: true,
      // The combined direct/postal column: postal and returned unknown (null), not zero.
      counts: { ...SAMPLE_COUNTS, received_postal: null, returned_postal: null, pending_overdue: 0 },
      procedures: bigProcedures(12, 7),
      warnings: [{ code: 'unit_name_mismatch', message: 'Tên đơn vị "UBND phường Cát Bi" không khớp mã X007; theo mã đơn vị.', sheet: 'Biểu 06a', row: 4, column: null }],
    });
    const rejected = uploadRecord({
      unit: 'S05', period: '2022-06', uploadId: 'roundtrip-rej', outcome: 'rejected', layout: null, counts: null,
      errors: [
        { code: 'received_total_mismatch', message: 'Dòng 13 ("Tổng cộng"): "Số hồ sơ nhận giải quyết / Tổng số" ghi 428 nhưng … = 1000227.', sheet: 'Biểu 06a', row: 13, column: 'C' },
        { code: 'csv_encoding', message: 'Tệp CSV không phải mã UTF-8 (có thể là TCVN3/VNI hoặc Windows-1258).', sheet: null, row: null, column: null },
      ],
      warnings: [],
    });
    // Judged by size alone: never downloaded, so no content hash; the period came from the event time.
    const tooLarge = uploadRecord({
      unit: 'H03', period: '2022-05', uploadId: 'roundtrip-big', outcome: 'rejected', layout: null, counts: null,
      contentHash: '', size: 6 * 1024 * 1024, periodFromFile: false, etag: 'e9c1a5b2f0-3',
      errors: [{ code: 'file_too_large', message: 'Tệp 6.0 MB, vượt giới hạn 5 MB.', sheet: null, row: null, column: null }],
    });
    for (const r of [accepted, rejected, tooLarge]) expect(await store.putUpload(r)).toBe('created');

    expect(await store.getUpload('2022-06', 'X007', 'roundtrip-acc')).toEqual(accepted);
    expect(await store.getUpload('2022-06', 'S05', 'roundtrip-rej')).toEqual(rejected);
    expect(await store.getUpload('2022-05', 'H03', 'roundtrip-big')).toEqual(tooLarge);
    expect(await store.getUpload('2022-06', 'X007', 'no-such-upload')).toBeNull();
    expect(await store.getUpload('2022-07', 'X007', 'roundtrip-acc')).toBeNull();
    expect(await store.getUpload('2022-06', 'X008', 'roundtrip-acc')).toBeNull();
    // The history returns the same full records.
    expect(await store.unitHistory('X007')).toEqual([accepted]);
  });

  it('moveCurrent: the newest orderKey wins whatever the call order', async () => {
    // Same event time for B and C: the sequencer decides, right-padded with zeros and compared
    // as text, as AWS says ("0FF" < "10" once padded to "0FF0…" and "100…").
    const reports = (unit: string) => [
      current(unit, '2022-06', 'up-a', '2022-06-17T01:00:00Z', 'FFFFFF', { ...SAMPLE_COUNTS, received_online: 1 }),
      current(unit, '2022-06', 'up-b', '2022-06-17T03:00:00Z', '0FF', { ...SAMPLE_COUNTS, received_online: 2 }),
      current(unit, '2022-06', 'up-c', '2022-06-17T03:00:00Z', '10', { ...SAMPLE_COUNTS, received_online: 3 }),
    ];
    const orders = permutations([0, 1, 2]);
    await Promise.all(orders.map(async (order, i) => {
      const unit = `M${i}`;
      const all = reports(unit);
      let newest = -1;
      for (const idx of order) {
        const expected = idx > newest ? 'moved' : 'newer_exists';
        expect(await store.moveCurrent(all[idx]), `order ${order.join(',')}, report ${idx}`).toBe(expected);
        newest = Math.max(newest, idx);
      }
      expect(await store.getCurrent('2022-06', unit)).toEqual(all[2]);
    }));
  });

  it('moveCurrent: the same upload again is a no-op, an older one returns newer_exists', async () => {
    const older = current('H05', '2022-06', 'older', '2022-06-17T01:00:00Z', '0A', { ...SAMPLE_COUNTS, received_direct: 1 });
    const newer = current('H05', '2022-06', 'newer', '2022-06-18T01:00:00Z', '0A', { ...SAMPLE_COUNTS, received_direct: 2 });
    expect(await store.moveCurrent(newer)).toBe('moved');
    expect(await store.moveCurrent(newer)).toBe('moved'); // a repeated delivery: allowed, changes nothing
    expect(await store.getCurrent('2022-06', 'H05')).toEqual(newer);
    expect(await store.moveCurrent(older)).toBe('newer_exists');
    expect(await store.getCurrent('2022-06', 'H05')).toEqual(newer);
    // Another unit and another period are separate reports.
    expect(await store.moveCurrent({ ...older, unit: 'H06' })).toBe('moved');
    expect(await store.moveCurrent({ ...older, period: '2022-07' })).toBe('moved');
    expect((await store.getCurrent('2022-06', 'H05'))?.uploadId).toBe('newer');
  });

  it('getCurrent: round-trips the report, null where there is none', async () => {
    const report: CurrentReport = {
      ...current('X100', '2022-08', 'cur-1', '2022-08-19T23:59:59.999Z', '1'),
      counts: { ...SAMPLE_COUNTS, received_postal: null, returned_postal: null },
      procedures: bigProcedures(8, 3),
    };
    expect(await store.moveCurrent(report)).toBe('moved');
    expect(await store.getCurrent('2022-08', 'X100')).toEqual(report);
    expect(await store.getCurrent('2022-07', 'X100')).toBeNull();
    expect(await store.getCurrent('2022-08', 'X101')).toBeNull();
    // An upload record of the same unit and period is not a current report.
    await store.putUpload(uploadRecord({ unit: 'X102', period: '2022-08', uploadId: 'only-upload' }));
    expect(await store.getCurrent('2022-08', 'X102')).toBeNull();
  });

  describe('with more than 1 MB per period and per unit (Query pagination)', () => {
    const PERIOD = '2022-10';
    const OTHER = '2022-11';
    const UNITS = Array.from({ length: 300 }, (_, i) => `P${String(i).padStart(3, '0')}`);
    const HISTORY_UNIT = 'HBIG';
    const expectedCurrent = new Map<string, string>();
    const expectedUploads = new Set<string>();
    const history: UploadRecord[] = [];

    beforeAll(async () => {
      // ~6 KB per item even gzipped: 300 current reports and 330 uploads in PERIOD are each well over 1 MB.
      const procedures = bigProcedures(150, 11);
      const writes: Array<() => Promise<unknown>> = [];
      UNITS.forEach((unit, i) => {
        const rec = uploadRecord({
          unit, period: PERIOD, uploadId: `u-${unit}`, procedures,
          eventTime: new Date(Date.UTC(2022, 9, 17, 0, i)).toISOString(), sequencer: (0x1000 + i).toString(16).toUpperCase(),
        });
        expectedUploads.add(rec.uploadId);
        expectedCurrent.set(unit, rec.uploadId);
        writes.push(() => store.putUpload(rec));
        writes.push(() => store.moveCurrent({
          unit, period: PERIOD, uploadId: rec.uploadId, orderKey: rec.orderKey, eventTime: rec.eventTime,
          contentHash: rec.contentHash, key: rec.key, counts: rec.counts!, procedures,
        }));
        if (i % 10 === 0) {
          const bad = uploadRecord({
            unit, period: PERIOD, uploadId: `r-${unit}`, outcome: 'rejected', counts: null, layout: null, procedures,
            eventTime: new Date(Date.UTC(2022, 9, 18, 0, i)).toISOString(),
          });
          expectedUploads.add(bad.uploadId);
          writes.push(() => store.putUpload(bad));
        }
      });
      // Another period: its reports and uploads must never show in PERIOD's listing.
      for (const unit of UNITS.slice(0, 5)) {
        const rec = uploadRecord({ unit, period: OTHER, uploadId: `o-${unit}`, eventTime: '2022-11-17T00:00:00.000Z' });
        writes.push(() => store.putUpload(rec));
        writes.push(() => store.moveCurrent({
          unit, period: OTHER, uploadId: rec.uploadId, orderKey: rec.orderKey, eventTime: rec.eventTime,
          contentHash: rec.contentHash, key: rec.key, counts: rec.counts!, procedures: [],
        }));
      }
      // One unit with 150 uploads (~1.5 MB) over three periods, written in shuffled order.
      for (let i = 0; i < 150; i++) {
        history.push(uploadRecord({
          unit: HISTORY_UNIT, period: ['2022-01', '2022-02', '2022-03'][i % 3], uploadId: `h-${String(i).padStart(3, '0')}`,
          eventTime: new Date(Date.UTC(2022, 0, 1, 0, i * 7 % 150)).toISOString(), sequencer: (i + 1).toString(16),
          procedures, outcome: i % 4 === 0 ? 'rejected' : 'accepted',
        }));
      }
      for (const rec of [...history].reverse()) writes.push(() => store.putUpload(rec));
      await inBatches(writes, 16, (w) => w());
    }, 120_000);

    it('listPeriod returns every current report and every upload of the period, nothing of another', async () => {
      queries.length = 0;
      const listed = await store.listPeriod(PERIOD);
      expect(listed.current).toHaveLength(UNITS.length);
      expect(new Map(listed.current.map((c) => [c.unit, c.uploadId]))).toEqual(expectedCurrent);
      expect(listed.current.every((c) => c.period === PERIOD && c.procedures.length === 150)).toBe(true);
      expect(listed.uploads).toHaveLength(expectedUploads.size);
      expect(new Set(listed.uploads.map((u) => u.uploadId))).toEqual(expectedUploads);
      expect(listed.uploads.every((u) => u.period === PERIOD)).toBe(true);
      // Summaries: who, when, how it went.
      const one = listed.uploads.find((u) => u.uploadId === 'r-P010');
      expect(one).toEqual({ uploadId: 'r-P010', unit: 'P010', period: PERIOD, eventTime: '2022-10-18T00:10:00.000Z', outcome: 'rejected' });
      // Both queries really went past DynamoDB's 1 MB page.
      expect(queries.filter((q) => q.prefix === 'UNIT#' && q.continued).length).toBeGreaterThanOrEqual(1);
      expect(queries.filter((q) => q.prefix === 'UPLOAD#' && q.continued).length).toBeGreaterThanOrEqual(1);
      expect(queries.every((q) => q.index === undefined)).toBe(true); // a key query, never a scan

      const other = await store.listPeriod(OTHER);
      expect(other.current.map((c) => c.uploadId).sort()).toEqual(UNITS.slice(0, 5).map((u) => `o-${u}`));
      expect(other.uploads.map((u) => u.uploadId).sort()).toEqual(UNITS.slice(0, 5).map((u) => `o-${u}`));
      expect(await store.listPeriod('2021-01')).toEqual({ current: [], uploads: [] });
    });

    it('unitHistory: newest first across periods, default limit 100, explicit limit', async () => {
      const newestFirst = [...history].sort((a, b) => (a.orderKey < b.orderKey ? 1 : a.orderKey > b.orderKey ? -1 : 0));
      queries.length = 0;
      const all = await store.unitHistory(HISTORY_UNIT, 1000);
      expect(all.map((r) => r.uploadId)).toEqual(newestFirst.map((r) => r.uploadId));
      expect(all[0]).toEqual(newestFirst[0]);
      expect(queries.some((q) => q.index === 'GSI1' && q.continued)).toBe(true);

      expect((await store.unitHistory(HISTORY_UNIT)).map((r) => r.uploadId)).toEqual(newestFirst.slice(0, 100).map((r) => r.uploadId));
      expect((await store.unitHistory(HISTORY_UNIT, 3)).map((r) => r.uploadId)).toEqual(newestFirst.slice(0, 3).map((r) => r.uploadId));
      expect(await store.unitHistory('NOBODY')).toEqual([]);
      // A unit's history holds only its own uploads.
      expect((await store.unitHistory('P000')).map((r) => r.uploadId)).toEqual(['o-P000', 'r-P000', 'u-P000']);
    });
  });
});

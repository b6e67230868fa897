// The ReportStore contract (shared/store/report-store.ts), run against the DynamoDB adapter
// over real HTTP on both emulators the project supports: dynalite (the embedded default)
// and AWS's DynamoDB Local, and against the in-memory store the domain's tests use. No
// mocks: every DynamoDB call goes through the AWS SDK to the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand, PutItemCommand, type AttributeValue, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ensureReportTable } from '../../functions/commons/dynamodb-report-store.ts';
import type { DynamoBackend } from '../../infra/local/stack.ts';
import { eachLimited } from '../../shared/each-limited.ts';
import { orderKey, type UnitFigures, type UploadRecord } from '../../shared/ingest/upload.ts';
import type { Counts } from '../../shared/report-file/counts.ts';
import type { ReportStore } from '../../shared/store/report-store.ts';
import { bigProcedures, SAMPLE_COUNTS, uploadRecord } from './helpers.ts';
import { DYNAMO_BACKENDS, reportStoreFor, type TestReportStore } from '../fixtures/dynamo-backends.ts';

function current(unit: string, period: string, uploadId: string, eventTime: string, sequencer: string, counts: Counts = SAMPLE_COUNTS): UnitFigures {
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

type Backend = DynamoBackend | 'memory';

describe.each<Backend>([...DYNAMO_BACKENDS, 'memory'])('ReportStore contract: %s', (backend) => {
  const dynamo = backend !== 'memory';
  let under: TestReportStore | undefined;
  let store: ReportStore;
  /** Every Query sent (DynamoDB backends): which key range, and whether it continued a previous page. */
  const queries: Array<{ index: string | undefined; prefix: string | undefined; continued: boolean }> = [];

  beforeAll(async () => {
    under = await reportStoreFor(backend, 'contract', (client) => client.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') {
        const input = args.input as QueryCommandInput;
        // The DocumentClient marshals after this step: values may still be plain.
        const sk: unknown = input.ExpressionAttributeValues?.[':sk'];
        const prefix = typeof sk === 'string' ? sk : (sk as { S?: string } | undefined)?.S;
        queries.push({ index: input.IndexName, prefix, continued: input.ExclusiveStartKey !== undefined });
      }
      return next(args);
    }, { step: 'initialize', name: 'recordQueries' }));
    store = under.store;
    // A second call finds the table and leaves it.
    if (under.dynamo) await ensureReportTable(under.dynamo.client, under.dynamo.table);
  }, 120_000); // DynamoDB Local boots a JVM
  afterAll(() => under?.stop(), 60_000);

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
      errors: [{ code: 'file_too_large', message: 'Tệp 6 MB, lớn hơn giới hạn 5 MB.', sheet: null, row: null, column: null }],
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
    const report: UnitFigures = {
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

  it('markNotified: sets notifiedAt on the upload and nothing else; an unknown upload is an error', async () => {
    const rec = uploadRecord({ unit: 'N01', period: '2022-06', uploadId: 'notify-1' });
    await store.putUpload(rec);
    await store.markNotified('2022-06', 'N01', 'notify-1', '2022-06-18T02:00:05.000Z');
    expect(await store.getUpload('2022-06', 'N01', 'notify-1')).toEqual({ ...rec, notifiedAt: '2022-06-18T02:00:05.000Z' });
    await expect(store.markNotified('2022-06', 'N01', 'no-such-upload', '2022-06-18T02:00:05.000Z')).rejects.toThrow();
    expect(await store.getUpload('2022-06', 'N01', 'no-such-upload')).toBeNull(); // and did not create one
  });

  it('claimUploadMail: exactly one of 10 concurrent claims wins; release gives it back', async () => {
    const at = '2022-06-18T02:00:02.000Z';
    const results = await Promise.all(Array.from({ length: 10 }, () => store.claimUploadMail('2022-06', 'C01', 'mail-1', at)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.claimUploadMail('2022-06', 'C01', 'mail-1', at)).toBe(false);
    // Another upload, unit or period is another claim.
    expect(await store.claimUploadMail('2022-06', 'C01', 'mail-2', at)).toBe(true);
    expect(await store.claimUploadMail('2022-06', 'C02', 'mail-1', at)).toBe(true);
    expect(await store.claimUploadMail('2022-07', 'C01', 'mail-1', at)).toBe(true);
    // A failed send releases; the retry may mail, once.
    await store.releaseUploadMail('2022-06', 'C01', 'mail-1');
    expect(await store.claimUploadMail('2022-06', 'C01', 'mail-1', at)).toBe(true);
    expect(await store.claimUploadMail('2022-06', 'C01', 'mail-1', at)).toBe(false);
    await store.releaseUploadMail('2022-06', 'C01', 'never-claimed'); // releasing nothing is harmless
  });

  it('claimContent: concurrent claims of the same bytes on the same report all get one winner', async () => {
    const hash = 'cd'.repeat(32);
    const ids = ['same-a', 'same-b', 'same-c'];
    const winners = await Promise.all(ids.map((id) => store.claimContent('2022-06', 'C10', hash, 'base-1', id)));
    expect(new Set(winners).size).toBe(1);
    const winner = winners[0];
    expect(ids).toContain(winner);
    // Idempotent: the winner claiming again still wins; a loser's retry still loses to it.
    for (const id of ids) expect(await store.claimContent('2022-06', 'C10', hash, 'base-1', id)).toBe(winner);
    // The same bytes on top of another current report (or none), other bytes, another unit or period: new claims.
    expect(await store.claimContent('2022-06', 'C10', hash, 'base-2', 'same-c')).toBe('same-c');
    expect(await store.claimContent('2022-06', 'C10', hash, '-', 'same-b')).toBe('same-b');
    expect(await store.claimContent('2022-06', 'C10', 'ef'.repeat(32), 'base-1', 'same-b')).toBe('same-b');
    expect(await store.claimContent('2022-06', 'C11', hash, 'base-1', 'same-a')).toBe('same-a');
    expect(await store.claimContent('2022-07', 'C10', hash, 'base-1', 'same-b')).toBe('same-b');
  });

  it('claimPublication: once until released; markPublished records the send and keeps it', async () => {
    const period = '2022-09';
    expect(await store.getPublication(period)).toBeNull();
    expect(await store.claimPublication(period, '2022-09-20T01:00:00.000Z')).toBe(true);
    expect(await store.claimPublication(period, '2022-09-20T01:00:01.000Z')).toBe(false);
    expect(await store.getPublication(period)).toEqual({ period, claimedAt: '2022-09-20T01:00:00.000Z', sentAt: null, messageId: null });
    // The send failed: released, a retry claims it again.
    await store.releasePublication(period);
    expect(await store.getPublication(period)).toBeNull();
    const tries = await Promise.all(Array.from({ length: 10 }, (_, i) => store.claimPublication(period, `2022-09-20T01:05:0${i}.000Z`)));
    expect(tries.filter(Boolean)).toHaveLength(1);
    const claimedAt = (await store.getPublication(period))!.claimedAt;
    expect(claimedAt).toBe(`2022-09-20T01:05:0${tries.indexOf(true)}.000Z`);

    await store.markPublished(period, '2022-09-20T01:06:00.000Z', '<0102018f-ses-id@email.amazonses.com>');
    const sent = { period, claimedAt, sentAt: '2022-09-20T01:06:00.000Z', messageId: '<0102018f-ses-id@email.amazonses.com>' };
    expect(await store.getPublication(period)).toEqual(sent);
    // Once sent it stays published: a late release changes nothing, and no one claims it again.
    await store.releasePublication(period);
    expect(await store.getPublication(period)).toEqual(sent);
    expect(await store.claimPublication(period, '2022-09-20T02:00:00.000Z')).toBe(false);
    // Another period is its own publication; releasing one never claimed is harmless.
    await store.releasePublication('2022-08');
    expect(await store.claimPublication('2022-08', '2022-09-20T01:00:00.000Z')).toBe(true);
    // Sent without a claim (an operator's resend): recorded, claimed at the send.
    await store.markPublished('2022-05', '2022-06-20T01:00:00.000Z', 'm-5');
    expect(await store.getPublication('2022-05')).toEqual({ period: '2022-05', claimedAt: '2022-06-20T01:00:00.000Z', sentAt: '2022-06-20T01:00:00.000Z', messageId: 'm-5' });
    // Resent after a run died between claim and send: the mail holds what was read for the resend.
    await store.markPublished('2022-08', '2022-09-21T03:00:05.000Z', 'm-8', '2022-09-21T03:00:00.000Z');
    expect(await store.getPublication('2022-08')).toEqual({ period: '2022-08', claimedAt: '2022-09-21T03:00:00.000Z', sentAt: '2022-09-21T03:00:05.000Z', messageId: 'm-8' });
  });

  it('noteCounts: a unit noted once however often; currentCounts: the figures of the units asked that have a report, in the order asked', async () => {
    const period = '2021-10';
    await Promise.all(['N02', 'N01', 'N02', 'N01', 'N03'].map((unit) => store.noteCounts(period, unit, 'twin-hash')));
    await store.noteCounts(period, 'N01', 'twin-hash'); // again, later
    expect((await store.ingestView(period, 'N09', [], 'twin-hash')).notedUnits).toEqual(['N01', 'N02', 'N03']);
    expect((await store.ingestView(period, 'N09', [], 'other-hash')).notedUnits).toEqual([]);

    const other: Counts = { ...SAMPLE_COUNTS, received_online: 17, received_postal: null };
    await store.moveCurrent(current('N01', period, 'n01-a', '2021-10-17T00:00:00.000Z', '0A'));
    await store.moveCurrent(current('N03', period, 'n03-a', '2021-10-17T00:00:00.000Z', '0A', other));
    await store.moveCurrent(current('N02', '2021-09', 'n02-sep', '2021-09-17T00:00:00.000Z', '0A')); // another period's
    expect(await store.currentCounts(period, ['N03', 'N02', 'N01', 'N03'])).toEqual([ // each once
      { unit: 'N03', counts: other }, { unit: 'N01', counts: SAMPLE_COUNTS },
    ]);
    expect(await store.currentCounts(period, [])).toEqual([]);
    // More than 100 units (DynamoDB's batch limit) are all read.
    const many = Array.from({ length: 130 }, (_, i) => `M${String(i).padStart(3, '0')}`);
    await store.moveCurrent(current('M129', period, 'm129', '2021-10-17T00:00:00.000Z', '0A'));
    expect((await store.currentCounts(period, many)).map((r) => r.unit)).toEqual(['M129']);
    // Notes are not reports.
    expect((await store.listPeriod(period)).current.map((c) => c.unit)).toEqual(['M129', 'N01', 'N03']);
  });

  it('claims live beside a period\'s reports without showing as reports or uploads', async () => {
    const period = '2022-12';
    const warning = { code: 'outlier_new_dossiers', message: 'Số hồ sơ mới 1.000 gấp hơn 5 lần trung vị', sheet: null, row: null, column: null };
    const rec = uploadRecord({ unit: 'K01', period, uploadId: 'k-up', eventTime: '2022-12-17T00:00:00.000Z', warnings: [warning] });
    const cur = current('K01', period, 'k-up', '2022-12-17T00:00:00.000Z', '0A');
    await store.putUpload(rec);
    await store.moveCurrent(cur);
    expect(await store.claimUploadMail(period, 'K01', 'k-up', '2022-12-17T00:00:01.000Z')).toBe(true);
    expect(await store.claimContent(period, 'K01', rec.contentHash, '-', 'k-up')).toBe('k-up');
    // Units whose codes sort around the claims' keys, with claims but no reports.
    expect(await store.claimUploadMail(period, 'UNIT', 'x', '2022-12-17T00:00:01.000Z')).toBe(true);
    expect(await store.claimContent(period, 'UPLOAD', 'ab', '-', 'y')).toBe('y');
    expect(await store.claimPublication(period, '2023-01-20T01:00:00.000Z')).toBe(true);
    await store.noteCounts(period, 'K01', 'ab'.repeat(16));
    await store.noteCounts(period, 'UNIT', 'cd'.repeat(16));
    expect(await store.listPeriod(period)).toEqual({
      current: [cur],
      // Summaries carry the figures and the warnings (code and message) for the report.
      uploads: [{
        uploadId: 'k-up', unit: 'K01', period, eventTime: '2022-12-17T00:00:00.000Z', processedAt: rec.processedAt, outcome: 'accepted',
        counts: rec.counts, warnings: [{ code: warning.code, message: warning.message }],
      }],
    });
    expect(await store.unitHistory('K01')).toEqual([rec]);
    expect(await store.getCurrent(period, 'K01')).toEqual(cur);
  });

  // The table's layout is a contract with the data already stored: items written by hand
  // marshalling (the adapter before the DocumentClient) read back, and new items keep their shape.
  it.runIf(dynamo)('items keep their stored shape: gzip binary procedures, issues and counts as JSON text', async () => {
    const rec = uploadRecord({
      unit: 'Z01', period: '2021-12', uploadId: 'legacy-1', versionId: null, procedures: bigProcedures(4, 2),
      warnings: [{ code: 'unit_name_mismatch', message: 'Tên đơn vị không khớp', sheet: 'Biểu 06a', row: 4, column: null }],
    });
    const cur = current('Z01', '2021-12', 'legacy-1', rec.eventTime, rec.sequencer);
    const legacyUpload = marshall({
      PK: 'PERIOD#2021-12', SK: 'UPLOAD#Z01#legacy-1', GSI1PK: 'UNIT#Z01', GSI1SK: `${rec.orderKey}#legacy-1`, type: 'upload',
      upload_id: rec.uploadId, unit: rec.unit, period: rec.period, period_from_file: rec.periodFromFile,
      key: rec.key, file_name: rec.fileName, size: rec.size, etag: rec.etag, version_id: rec.versionId, sequencer: rec.sequencer,
      event_time: rec.eventTime, order_key: rec.orderKey, content_hash: rec.contentHash, outcome: rec.outcome, layout: rec.layout,
      counts: JSON.stringify(rec.counts), procedures: gzipSync(JSON.stringify(rec.procedures)),
      errors: JSON.stringify(rec.errors), warnings: JSON.stringify(rec.warnings), errors_total: 0, warnings_total: 1,
      processed_at: rec.processedAt, notified_at: null,
    });
    const legacyCurrent = marshall({
      PK: 'PERIOD#2021-12', SK: 'UNIT#Z01', type: 'current', unit: cur.unit, period: cur.period, upload_id: cur.uploadId,
      order_key: cur.orderKey, event_time: cur.eventTime, content_hash: cur.contentHash, key: cur.key,
      counts: JSON.stringify(cur.counts), procedures: gzipSync(JSON.stringify(cur.procedures)),
    });
    for (const Item of [legacyUpload, legacyCurrent]) await under!.dynamo!.client.send(new PutItemCommand({ TableName: under!.dynamo!.table, Item }));
    expect(await store.getUpload('2021-12', 'Z01', 'legacy-1')).toEqual(rec);
    expect(await store.getCurrent('2021-12', 'Z01')).toEqual(cur);
    expect(await store.unitHistory('Z01')).toEqual([rec]);
    expect((await store.listPeriod('2021-12')).current).toEqual([cur]);

    // And what the store writes now is, attribute for attribute, what it wrote then.
    await store.putUpload({ ...rec, uploadId: 'legacy-2' });
    await store.moveCurrent({ ...cur, unit: 'Z02' });
    const raw = async (SK: string) => (await under!.dynamo!.client.send(new GetItemCommand({ TableName: under!.dynamo!.table, Key: marshall({ PK: 'PERIOD#2021-12', SK }) }))).Item!;
    const types = (item: Record<string, AttributeValue>) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, Object.keys(v)[0]]));
    const { PK: _p, SK: _s, GSI1SK: _g, upload_id: _u, ...upload } = types(await raw('UPLOAD#Z01#legacy-2'));
    const { PK: _p1, SK: _s1, GSI1SK: _g1, upload_id: _u1, ...legacyUploadTypes } = types(legacyUpload);
    expect(upload).toEqual(legacyUploadTypes);
    expect(upload).toMatchObject({ procedures: 'B', errors: 'S', warnings: 'S', counts: 'S', version_id: 'NULL', size: 'N' });
    expect(types(await raw('UNIT#Z02'))).toEqual(types(legacyCurrent));
    expect(gunzipSync((await raw('UPLOAD#Z01#legacy-2')).procedures.B!).toString('utf8')).toBe(JSON.stringify(rec.procedures));
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
      await eachLimited(writes, 16, (w) => w());
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
      // Summaries: who, when (received, stored), how it went.
      const one = listed.uploads.find((u) => u.uploadId === 'r-P010');
      expect(one).toEqual({ uploadId: 'r-P010', unit: 'P010', period: PERIOD, eventTime: '2022-10-18T00:10:00.000Z', processedAt: '2022-06-18T02:00:01.234Z', outcome: 'rejected', counts: null, warnings: [] });
      if (dynamo) {
        // Both queries really went past DynamoDB's 1 MB page.
        expect(queries.filter((q) => q.prefix === 'UNIT#' && q.continued).length).toBeGreaterThanOrEqual(1);
        expect(queries.filter((q) => q.prefix === 'UPLOAD#' && q.continued).length).toBeGreaterThanOrEqual(1);
        expect(queries.every((q) => q.index === undefined)).toBe(true); // a key query, never a scan
      }

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
      if (dynamo) expect(queries.some((q) => q.index === 'GSI1' && q.continued)).toBe(true);

      expect((await store.unitHistory(HISTORY_UNIT)).map((r) => r.uploadId)).toEqual(newestFirst.slice(0, 100).map((r) => r.uploadId));
      expect((await store.unitHistory(HISTORY_UNIT, 3)).map((r) => r.uploadId)).toEqual(newestFirst.slice(0, 3).map((r) => r.uploadId));
      expect(await store.unitHistory('NOBODY')).toEqual([]);
      // A unit's history holds only its own uploads.
      expect((await store.unitHistory('P000')).map((r) => r.uploadId)).toEqual(['o-P000', 'r-P000', 'u-P000']);
    });
  });
});

// Ingest end to end over real HTTP: PutObject to s3rver → its ObjectCreated event → the
// Lambda handler (middy) → DynamoDB (dynalite) and feedback objects back in S3. No mocks of
// S3 or DynamoDB; the only test doubles are a recording mailer and, for infrastructure
// failures, a ReportStore wrapper that throws like a throttled DynamoDB.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ProvisionedThroughputExceededException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoClient, s3Client } from '../../functions/commons/clients.ts';
import { DynamoReportStore, ensureReportTable } from '../../functions/commons/dynamodb-report-store.ts';
import { S3ObjectStore } from '../../functions/commons/s3-object-store.ts';
import { makeIngestHandler } from '../../functions/ingest/handler.ts';
import { lambdaContext, startLocalPipeline, type LocalPipeline } from '../../infra/local/runner.ts';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import type { IngestDeps } from '../../shared/ingest/ingest-upload.ts';
import type { CurrentReport, UploadRecord } from '../../shared/ingest/upload.ts';
import { lastClosedPeriod, PLAN_128_PERIODS } from '../../shared/period.ts';
import type { Mailer, MailMessage, SentMail } from '../../shared/ports.ts';
import { periodStatus } from '../../shared/status.ts';
import type { ReportStore } from '../../shared/store/report-store.ts';
import { plan128Registry, PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { UnitRegistry } from '../../shared/units/registry.ts';
import { fixedUnits } from '../../shared/units/units-in-force.ts';
import { badCsvReport, csvReport, randomCsvReport, removeTempHomes, SAMPLE_COUNTS, SAMPLES, seeded, tempHome } from './helpers.ts';

// The handler logs and emits metrics per record (Powertools, read at import): keep test output readable.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
});

afterAll(removeTempHomes);

const PERIOD = '2022-06';
/** The feedback keys the units' policy and download tools rely on (spelled out: a contract). */
const feedbackKeysOf = (r: Pick<UploadRecord, 'unit' | 'uploadId'>) => ({ json: `results/${r.unit}/${r.uploadId}.json`, text: `results/${r.unit}/${r.uploadId}.txt` });
const sample = (name: string) => readFile(new URL(name, SAMPLES));

async function getText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString('utf-8');
}

async function getBytes(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (e) {
    if (e instanceof NoSuchKey) return false;
    throw e;
  }
}

interface FeedbackJson {
  upload_id: string;
  file: string;
  status: string;
  unit: string;
  period: string;
  counts: unknown;
  errors: Array<{ code: string; sheet: string | null; row: number | null; column: string | null; message: string }>;
}

describe('the local pipeline: s3rver event → real Lambda handler → DynamoDB', () => {
  let pipeline: LocalPipeline;
  let s3: S3Client;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    pipeline = await startLocalPipeline({ home: await tempHome(), dynamo: 'dynalite' });
    s3 = s3Client(pipeline.stack.endpoints.s3);
  }, 60_000);
  afterAll(async () => {
    s3?.destroy();
    await pipeline?.stack.stop();
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  });

  /** Uploads like a unit's clerk does, waits for the handler, and returns the upload's record. */
  async function upload(unit: string, fileName: string, bytes: Buffer): Promise<UploadRecord> {
    const key = `incoming/${unit}/${fileName}`;
    await s3.send(new PutObjectCommand({ Bucket: pipeline.stack.bucket, Key: key, Body: bytes }));
    await pipeline.stack.idle(); // rejects if the handler failed (after its retries)
    const verdict = pipeline.verdicts.get(key); // what the handler returned
    expect(verdict, `no verdict for ${key}`).toBeDefined();
    const record = (await pipeline.store.unitHistory(verdict!.unit)).find((r) => r.uploadId === verdict!.uploadId);
    expect(record, `no history record for ${key}`).toBeDefined();
    expect(verdict).toMatchObject({ key, unit: record!.unit, period: record!.period, outcome: record!.outcome, feedback: feedbackKeysOf(record!) });
    return record!;
  }

  async function feedback(record: UploadRecord): Promise<{ json: FeedbackJson; text: string }> {
    const base = `results/${record.unit}/${record.uploadId}`;
    return {
      json: JSON.parse(await getText(s3, pipeline.stack.bucket, `${base}.json`)) as FeedbackJson,
      text: await getText(s3, pipeline.stack.bucket, `${base}.txt`),
    };
  }

  it('an accepted file becomes the unit\'s report, with feedback JSON and Vietnamese text under results/', async () => {
    const record = await upload('S01', 'Báo cáo tháng 6 (Sở Công Thương).xlsx', await sample('06a-S01-2022-06.xlsx'));
    expect(record).toMatchObject({ unit: 'S01', period: PERIOD, outcome: 'accepted', layout: '06a', periodFromFile: true, errors: [] });
    expect(record.key).toBe('incoming/S01/Báo cáo tháng 6 (Sở Công Thương).xlsx'); // decoded from the event's form-encoding

    const current = await pipeline.store.getCurrent(PERIOD, 'S01');
    expect(current).toMatchObject({ uploadId: record.uploadId, counts: SAMPLE_COUNTS, key: record.key, contentHash: record.contentHash });
    expect(current!.procedures).toHaveLength(3);
    expect(current!.procedures[0]).toEqual({
      code: '1.001', name: 'Thông báo thực hiện khuyến mại', online_level: 'full', received_online: 40, received_direct: 0, received_postal: 0,
    });

    const { json, text } = await feedback(record);
    expect(json).toMatchObject({ upload_id: record.uploadId, status: 'accepted', unit: 'S01', period: PERIOD, counts: SAMPLE_COUNTS, errors: [] });
    expect(text).toContain('KẾT QUẢ TIẾP NHẬN BÁO CÁO HỒ SƠ TTHC');
    expect(text).toContain('Đơn vị: Sở Công Thương (S01)');
    expect(text).toContain('ĐÃ TIẾP NHẬN');
    expect(text).toContain('trực tuyến 6.064'); // vi-VN number format
    expect(text).toContain(`Mã lần gửi: ${record.uploadId}`);
  });

  it('a rejected file leaves no report, stays in the bucket, and the feedback names sheet, row and column', async () => {
    const bytes = await sample('bad-S05-2022-06-total-mismatch.xlsx');
    const record = await upload('S05', 'Báo cáo T6.xlsx', bytes);
    expect(record).toMatchObject({ unit: 'S05', period: PERIOD, outcome: 'rejected', counts: null });
    expect(await pipeline.store.getCurrent(PERIOD, 'S05')).toBeNull();
    expect((await getBytes(s3, pipeline.stack.bucket, 'incoming/S05/Báo cáo T6.xlsx')).equals(bytes)).toBe(true);

    const { json, text } = await feedback(record);
    expect(json.status).toBe('rejected');
    expect(json.counts).toBeNull();
    expect(json.errors).toContainEqual(expect.objectContaining({ code: 'total_row_mismatch', sheet: 'Biểu 06a', row: 13, column: 'D' }));
    expect(json.errors).toContainEqual(expect.objectContaining({ code: 'received_total_mismatch', sheet: 'Biểu 06a', row: 13, column: 'C' }));
    expect(text).toContain('BỊ TỪ CHỐI');
    expect(text).toContain('Lỗi (trang tính "Biểu 06a", ô D13): ');
    expect(text).toContain('(mã lỗi: total_row_mismatch)');

    const status = periodStatus([plan128Registry().get('S05')!], PERIOD, await pipeline.store.listPeriod(PERIOD), PLAN_128_PERIODS);
    expect(status[0]).toMatchObject({ status: 'rejected_only', counts: null, received_at: null });
  });

  it('a re-upload with different figures replaces the report; the history keeps both', async () => {
    const rng = seeded(601);
    const v1 = randomCsvReport(rng, 'H03', PERIOD);
    const v2 = randomCsvReport(rng, 'H03', PERIOD);
    expect(v2.counts).not.toEqual(v1.counts);
    const first = await upload('H03', 'Báo cáo tháng 6.csv', v1.bytes);
    expect((await pipeline.store.getCurrent(PERIOD, 'H03'))?.counts).toEqual(v1.counts);
    const second = await upload('H03', 'Báo cáo tháng 6.csv', v2.bytes); // same key, new object
    expect(second.uploadId).not.toBe(first.uploadId);
    expect(second.outcome).toBe('accepted');

    expect(await pipeline.store.getCurrent(PERIOD, 'H03')).toMatchObject({ uploadId: second.uploadId, counts: v2.counts });
    const history = await pipeline.store.unitHistory('H03');
    expect(history.map((r) => [r.uploadId, r.outcome])).toEqual([[second.uploadId, 'accepted'], [first.uploadId, 'accepted']]);
    expect(history[1].counts).toEqual(v1.counts); // the old figures are kept in the history
    const listed = await pipeline.store.listPeriod(PERIOD);
    expect(listed.uploads.filter((u) => u.unit === 'H03')).toHaveLength(2);
    expect(listed.current.filter((c) => c.unit === 'H03').map((c) => c.uploadId)).toEqual([second.uploadId]);
  });

  it('a rejected upload after an accepted one leaves the accepted figures in place', async () => {
    const good = randomCsvReport(seeded(602), 'H04', PERIOD);
    const accepted = await upload('H04', 'bao-cao.csv', good.bytes);
    const before = await pipeline.store.getCurrent(PERIOD, 'H04');
    const rejected = await upload('H04', 'bao-cao.csv', badCsvReport('H04', PERIOD));
    expect(rejected.outcome).toBe('rejected');
    expect(rejected.errors).toContainEqual(expect.objectContaining({ code: 'invalid_number', row: 3, column: 'E' }));

    expect(await pipeline.store.getCurrent(PERIOD, 'H04')).toEqual(before);
    expect(before).toMatchObject({ uploadId: accepted.uploadId, counts: good.counts });
    expect((await pipeline.store.unitHistory('H04')).map((r) => r.outcome)).toEqual(['rejected', 'accepted']);
    const { text } = await feedback(rejected);
    expect(text).toContain('Báo cáo hợp lệ đã gửi trước đó (nếu có) vẫn được giữ nguyên.');
    expect(text).toMatch(/Lỗi \(ô E3\): .* \(mã lỗi: invalid_number\)/);
    const status = periodStatus([plan128Registry().get('H04')!], PERIOD, await pipeline.store.listPeriod(PERIOD), PLAN_128_PERIODS);
    expect(status[0]).toMatchObject({ counts: good.counts, received_at: accepted.eventTime });
  });

  it('the identical bytes again: outcome unchanged, the figures and status do not change', async () => {
    const report = randomCsvReport(seeded(603), 'H05', PERIOD);
    const first = await upload('H05', 'Báo cáo tháng 6.csv', report.bytes);
    const before = await pipeline.store.getCurrent(PERIOD, 'H05');
    const statusBefore = periodStatus([plan128Registry().get('H05')!], PERIOD, await pipeline.store.listPeriod(PERIOD), PLAN_128_PERIODS);

    const again = await upload('H05', 'Báo cáo tháng 6.csv', report.bytes);
    expect(again.uploadId).not.toBe(first.uploadId); // a new upload, kept in the history
    expect(again.outcome).toBe('unchanged');
    expect(again.contentHash).toBe(first.contentHash);

    const after = await pipeline.store.getCurrent(PERIOD, 'H05');
    expect(after).toMatchObject({ counts: before!.counts, procedures: before!.procedures, contentHash: before!.contentHash, key: before!.key });
    // The report now points at the newest of the identical uploads: that is what makes the
    // outcome independent of delivery order (see ordering.test.ts); the figures are the same.
    expect(after!.uploadId).toBe(again.uploadId);
    const statusAfter = periodStatus([plan128Registry().get('H05')!], PERIOD, await pipeline.store.listPeriod(PERIOD), PLAN_128_PERIODS);
    expect(statusAfter).toEqual(statusBefore);
    expect(statusAfter[0].received_at).toBe(first.eventTime); // the first acceptable report decides on-time
    expect((await pipeline.store.unitHistory('H05')).map((r) => r.outcome)).toEqual(['unchanged', 'accepted']);
    expect((await feedback(again)).text).toContain('KHÔNG THAY ĐỔI');
  });

  it('a file over 5 MB is rejected from its size alone, for the period being collected when it arrived', async () => {
    const bytes = Buffer.alloc(5 * 1024 * 1024 + 1, 0x41);
    const record = await upload('S03', 'Báo cáo quá lớn.xlsx', bytes);
    expect(record).toMatchObject({ outcome: 'rejected', periodFromFile: false, contentHash: '', size: bytes.length, counts: null });
    expect(record.period).toBe(lastClosedPeriod(new Date(record.eventTime), PLAN_128_PERIODS));
    expect(record.errors.map((e) => e.code)).toEqual(['file_too_large']);
    expect(await pipeline.store.getCurrent(record.period, 'S03')).toBeNull();
    const { text } = await feedback(record);
    expect(text).toContain('vượt giới hạn 5 MB');
    expect(text).toContain('theo thời điểm gửi vì tệp không ghi được kỳ');
  });

  it('an event time set for a key (tthc ingest --at) reaches the function, whatever the key spells (spaces, diacritics, +, ~)', async () => {
    const fileName = 'Báo cáo T6 + bổ sung (bản ~2).csv';
    pipeline.eventTimes.set(`incoming/X030/${fileName}`, '2022-06-19T23:59:00+07:00');
    const record = await upload('X030', fileName, randomCsvReport(seeded(602), 'X030', PERIOD).bytes);
    expect(record).toMatchObject({ key: `incoming/X030/${fileName}`, fileName, eventTime: '2022-06-19T16:59:00.000Z', outcome: 'accepted' });
    const status = periodStatus([plan128Registry().get('X030')!], PERIOD, await pipeline.store.listPeriod(PERIOD), PLAN_128_PERIODS);
    expect(status[0].status).toBe('on_time');
  });

  it('a file of another unit (the S01 sample under incoming/S02/) is rejected as wrong_unit', async () => {
    const s01Before = await pipeline.store.getCurrent(PERIOD, 'S01');
    const record = await upload('S02', '06a-S01-2022-06.xlsx', await sample('06a-S01-2022-06.xlsx'));
    expect(record).toMatchObject({ unit: 'S02', outcome: 'rejected', counts: null });
    expect(record.errors.map((e) => e.code)).toContain('wrong_unit');
    expect(await pipeline.store.getCurrent(PERIOD, 'S02')).toBeNull();
    expect(await pipeline.store.getCurrent(PERIOD, 'S01')).toEqual(s01Before); // nor is it counted for S01
    const { json, text } = await feedback(record);
    expect(json.errors[0]).toMatchObject({ code: 'wrong_unit', sheet: 'Biểu 06a', row: 5, column: 'A' });
    expect(text).toContain('Sở Giáo dục và Đào tạo (S02)');
  });
});

/** Mail is a port, not AWS: recording what would be sent is enough here. */
class RecordingMailer implements Mailer {
  sent: MailMessage[] = [];
  async send(m: MailMessage): Promise<SentMail> {
    this.sent.push(m);
    return { messageId: `m-${this.sent.length}` };
  }
  to(unit: string): MailMessage[] {
    return this.sent.filter((m) => m.to.includes(contactOf(unit)));
  }
}
const contactOf = (unit: string) => `van-thu.${unit.toLowerCase()}@haiphong.gov.vn`;

/** The real store, except that moveCurrent throws (as a throttled DynamoDB would) for chosen units. */
class FlakyStore implements ReportStore {
  /** unit → how many moveCurrent calls still fail. */
  readonly failMoveCurrent = new Map<string, number>();
  thrown = 0;
  constructor(private readonly inner: ReportStore) {}
  putUpload(r: UploadRecord) { return this.inner.putUpload(r); }
  getUpload(period: string, unit: string, id: string) { return this.inner.getUpload(period, unit, id); }
  getCurrent(period: string, unit: string) { return this.inner.getCurrent(period, unit); }
  listPeriod(period: string) { return this.inner.listPeriod(period); }
  unitHistory(unit: string, limit?: number) { return this.inner.unitHistory(unit, limit); }
  markNotified(period: string, unit: string, id: string, at: string) { return this.inner.markNotified(period, unit, id, at); }
  claimUploadMail(period: string, unit: string, id: string, at: string) { return this.inner.claimUploadMail(period, unit, id, at); }
  releaseUploadMail(period: string, unit: string, id: string) { return this.inner.releaseUploadMail(period, unit, id); }
  claimContent(period: string, unit: string, hash: string, basedOn: string, id: string) { return this.inner.claimContent(period, unit, hash, basedOn, id); }
  claimPublication(period: string, at: string) { return this.inner.claimPublication(period, at); }
  releasePublication(period: string) { return this.inner.releasePublication(period); }
  markPublished(period: string, sentAt: string, messageId: string) { return this.inner.markPublished(period, sentAt, messageId); }
  getPublication(period: string) { return this.inner.getPublication(period); }
  async moveCurrent(report: CurrentReport) {
    const left = this.failMoveCurrent.get(report.unit) ?? 0;
    if (left > 0) {
      this.failMoveCurrent.set(report.unit, left - 1);
      this.thrown++;
      throw new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: { httpStatusCode: 400 },
      });
    }
    return this.inner.moveCurrent(report);
  }
}

describe('S3 events with several records, repeats and infrastructure failures (stack + explicit deps)', () => {
  let stack: LocalStack;
  let s3: S3Client;
  let db: DynamoDBClient;
  let store: DynamoReportStore;
  let flaky: FlakyStore;
  let mailer: RecordingMailer;
  let deps: IngestDeps;
  let flakyDeps: IngestDeps;
  const captured: S3EventRecord[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({ home: await tempHome(), dynamo: 'dynalite' });
    // Capture s3rver's real events; the tests decide how they are delivered.
    stack.onObjectCreated((event) => void captured.push(...structuredClone(event.Records)));
    s3 = s3Client(stack.endpoints.s3);
    db = dynamoClient(stack.endpoints.dynamodb);
    await ensureReportTable(db, stack.table);
    store = new DynamoReportStore(db, stack.table);
    flaky = new FlakyStore(store);
    mailer = new RecordingMailer();
    const registry = new UnitRegistry(PLAN_128_UNITS.map((u) => ({ ...u, contactEmail: contactOf(u.code) })));
    deps = { objects: new S3ObjectStore(s3, stack.bucket), reports: store, mailer, units: fixedUnits(registry), periods: PLAN_128_PERIODS };
    flakyDeps = { ...deps, reports: flaky };
  }, 60_000);
  afterAll(async () => {
    s3?.destroy();
    db?.destroy();
    await stack?.stop();
  });

  /** Puts the objects and returns the records s3rver emitted for them, as one S3 event. */
  async function put(...files: Array<{ key: string; bytes: Buffer }>): Promise<S3Event> {
    captured.length = 0;
    for (const f of files) await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: f.key, Body: f.bytes }));
    await stack.idle();
    expect(captured).toHaveLength(files.length);
    return { Records: captured.splice(0) };
  }

  // Each delivery gets the event as S3 sent it (the handler decodes keys in place).
  const deliverWith = (d: () => IngestDeps) => {
    const handler = makeIngestHandler(d);
    return (event: S3Event) => handler(structuredClone(event), lambdaContext('tthc-ingest'));
  };
  const deliver = deliverWith(() => deps);
  const deliverFlaky = deliverWith(() => flakyDeps);
  const feedbackKeys = (r: Pick<UploadRecord, 'unit' | 'uploadId'>) => [`results/${r.unit}/${r.uploadId}.json`, `results/${r.unit}/${r.uploadId}.txt`];

  it('one event with a bad file and a good one: both are processed, the bad one rejected', async () => {
    const good = randomCsvReport(seeded(701), 'X020', PERIOD);
    const event = await put(
      { key: 'incoming/X021/Báo cáo lỗi.csv', bytes: badCsvReport('X021', PERIOD) },
      { key: 'incoming/X020/Báo cáo tháng 6.csv', bytes: good.bytes },
      { key: 'incoming/không-có-đơn-vị.csv', bytes: good.bytes }, // no unit folder: refused, for nobody
    );
    expect(event.Records.map((r) => r.s3.object.key)).toContain('incoming/X020/B%C3%A1o+c%C3%A1o+th%C3%A1ng+6.csv');
    const verdicts = await deliver(event); // a bad file is a result, not a failure
    expect(verdicts.map((v) => [v.unit, v.outcome]).sort()).toEqual([['X020', 'accepted'], ['X021', 'rejected'], ['_unrecognised', 'rejected']]);

    const [bad] = await store.unitHistory('X021');
    const [ok] = await store.unitHistory('X020');
    expect(bad).toMatchObject({ outcome: 'rejected', key: 'incoming/X021/Báo cáo lỗi.csv' });
    expect(ok).toMatchObject({ outcome: 'accepted', key: 'incoming/X020/Báo cáo tháng 6.csv' });
    expect(await store.getCurrent(PERIOD, 'X021')).toBeNull();
    expect(await store.getCurrent(PERIOD, 'X020')).toMatchObject({ uploadId: ok.uploadId, counts: good.counts });
    for (const key of [...feedbackKeys(bad), ...feedbackKeys(ok)]) expect(await exists(s3, stack.bucket, key), key).toBe(true);
    expect(mailer.to('X021')).toHaveLength(1);
    expect(mailer.to('X021')[0].subject).toBe('[DVC] Báo cáo kỳ 06/2022: bị từ chối');
    expect(mailer.to('X020')[0].subject).toBe('[DVC] Báo cáo kỳ 06/2022: đã tiếp nhận');
  });

  it('the same event delivered twice: one history record, nothing changes, one mail', async () => {
    const report = randomCsvReport(seeded(702), 'X022', PERIOD);
    const event = await put({ key: 'incoming/X022/bc.csv', bytes: report.bytes });
    const first = await deliver(event);
    const current = await store.getCurrent(PERIOD, 'X022');
    const history = await store.unitHistory('X022');
    const feedbackText = await getText(s3, stack.bucket, feedbackKeys(history[0])[1]);

    const second = await deliver(event);
    expect(first.map((r) => r.firstDelivery)).toEqual([true]);
    expect(second.map((r) => r.firstDelivery)).toEqual([false]);
    expect({ ...second[0], firstDelivery: true }).toEqual(first[0]); // the first verdict
    expect(await store.unitHistory('X022')).toEqual(history);
    expect(history).toHaveLength(1);
    expect(await store.getCurrent(PERIOD, 'X022')).toEqual(current);
    expect(current).toMatchObject({ uploadId: history[0].uploadId, counts: report.counts });
    expect(await getText(s3, stack.bucket, feedbackKeys(history[0])[1])).toBe(feedbackText);
    expect(mailer.to('X022')).toHaveLength(1);

    await deliver(event); // and through the handler
    expect(await store.unitHistory('X022')).toEqual(history);
    expect(mailer.to('X022')).toHaveLength(1);
  });

  it('DynamoDB throttled mid-ingest: the event fails (Lambda retries), nothing half-written, the retry converges', async () => {
    const rng = seeded(703);
    const v1 = randomCsvReport(rng, 'X023', PERIOD);
    const v2 = randomCsvReport(rng, 'X023', PERIOD);
    await deliver(await put({ key: 'incoming/X023/bc.csv', bytes: v1.bytes }));
    const previous = await store.getCurrent(PERIOD, 'X023');
    expect(previous?.counts).toEqual(v1.counts);

    const event = await put({ key: 'incoming/X023/bc.csv', bytes: v2.bytes });
    flaky.failMoveCurrent.set('X023', 1);
    const failed = await deliverFlaky(event).then(() => null, (e: unknown) => e);
    expect(failed).toBeInstanceOf(AggregateError);
    expect((failed as AggregateError).errors[0]).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(flaky.thrown).toBe(1);
    expect(await store.getCurrent(PERIOD, 'X023')).toEqual(previous); // the previous report, whole

    // Lambda's retry: the same event again, DynamoDB healthy.
    const retried = await deliverFlaky(event);
    expect(retried[0].outcome).toBe('accepted');
    expect(await store.getCurrent(PERIOD, 'X023')).toMatchObject({ uploadId: retried[0].uploadId, counts: v2.counts });
    const history = await store.unitHistory('X023');
    expect(history.map((r) => r.outcome)).toEqual(['accepted', 'accepted']);
    expect(history[0].uploadId).toBe(retried[0].uploadId);
    for (const key of feedbackKeys(history[0])) expect(await exists(s3, stack.bucket, key), key).toBe(true);
  });

  it('a retry that arrives after a newer upload does not bring the older figures back', async () => {
    const rng = seeded(704);
    const [v1, v2] = [randomCsvReport(rng, 'X024', PERIOD), randomCsvReport(rng, 'X024', PERIOD)];
    const older = await put({ key: 'incoming/X024/bc.csv', bytes: v1.bytes });
    const newer = await put({ key: 'incoming/X024/bc.csv', bytes: v2.bytes });
    flaky.failMoveCurrent.set('X024', 1);
    await expect(deliverFlaky(older)).rejects.toBeInstanceOf(AggregateError);
    expect(await store.getCurrent(PERIOD, 'X024')).toBeNull(); // absent, not half-written
    await deliverFlaky(newer);
    await deliverFlaky(older); // the retry of the failed one
    expect((await store.getCurrent(PERIOD, 'X024'))?.counts).toEqual(v2.counts);
    expect(await store.unitHistory('X024')).toHaveLength(2);
  });

  it('a failure on one record does not stop the others of the event', async () => {
    const rng = seeded(705);
    const units = ['X025', 'X026', 'X027'];
    const reports = units.map((u) => randomCsvReport(rng, u, PERIOD));
    const event = await put(...units.map((u, i) => ({ key: `incoming/${u}/Báo cáo ${u}.csv`, bytes: reports[i].bytes })));
    flaky.failMoveCurrent.set('X026', 1);
    const failed = await deliverFlaky(event).then(() => null, (e: unknown) => e);
    expect(failed).toBeInstanceOf(AggregateError);
    expect((failed as AggregateError).message).toBe('1 of 3 records failed');
    for (const i of [0, 2]) {
      const [record] = await store.unitHistory(units[i]);
      expect(await store.getCurrent(PERIOD, units[i])).toMatchObject({ uploadId: record.uploadId, counts: reports[i].counts });
      for (const key of feedbackKeys(record)) expect(await exists(s3, stack.bucket, key), key).toBe(true);
    }
    expect(await store.getCurrent(PERIOD, 'X026')).toBeNull();

    await deliverFlaky(event); // the retry
    for (const [i, unit] of units.entries()) {
      expect(await store.unitHistory(unit)).toHaveLength(1);
      expect((await store.getCurrent(PERIOD, unit))?.counts).toEqual(reports[i].counts);
    }
    expect(mailer.to('X025')).toHaveLength(1);
    expect(mailer.to('X027')).toHaveLength(1);
  });

  it('a retry after a failure past putUpload converges for a unit with a contact address', async () => {
    const report = randomCsvReport(seeded(706), 'X028', PERIOD);
    const event = await put({ key: 'incoming/X028/bc.csv', bytes: report.bytes });
    flaky.failMoveCurrent.set('X028', 1);
    await expect(deliverFlaky(event)).rejects.toBeInstanceOf(AggregateError);
    const [retried] = await deliverFlaky(event);
    expect(retried.firstDelivery).toBe(false); // the record was written by the failed attempt
    expect((await store.getCurrent(PERIOD, 'X028'))?.counts).toEqual(report.counts);
    expect(await store.unitHistory('X028')).toHaveLength(1);
  });

  // When the first attempt fails after putUpload (above: moveCurrent throttled), the retry
  // finds the record ('exists'); the clerk must still be mailed, once (the record keeps
  // notifiedAt). Uses the state the previous test left.
  it('...and the clerk is still mailed once', () => {
    expect(mailer.to('X028')).toHaveLength(1);
  });

  it('csvReport helper sanity: a hand-made report reads back with its own counts', async () => {
    const made = csvReport('X029', PERIOD, [{ field: 'Hộ tịch', counts: SAMPLE_COUNTS }]);
    await deliver(await put({ key: 'incoming/X029/bc.csv', bytes: made.bytes }));
    expect((await store.getCurrent(PERIOD, 'X029'))?.counts).toEqual(SAMPLE_COUNTS);
  });
});

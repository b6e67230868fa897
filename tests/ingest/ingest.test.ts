// Ingest end to end over real HTTP: PutObject to s3rver → its ObjectCreated event → the
// Lambda handler (middy) → DynamoDB (dynalite) and feedback objects back in S3. No mocks of
// S3 or DynamoDB; the only test doubles are a recording mailer and, for infrastructure
// failures, a ReportStore wrapper that throws like a throttled DynamoDB. Here: the real path
// for an accepted, a rejected and a misfiled upload, a retry after DynamoDB failed, concurrent
// deliveries on DynamoDB's conditions. The use case's rules (re-uploads, same bytes, mail once,
// events with failing records, ordering) run on the memory stores: use-case.test.ts,
// hostile-uploads.test.ts, data-quality.test.ts, ordering.test.ts.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ProvisionedThroughputExceededException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamoClient, s3Client } from '../../functions/commons/clients.ts';
import { DynamoReportStore, ensureReportTable } from '../../functions/commons/dynamodb-report-store.ts';
import { S3ObjectStore } from '../../functions/commons/s3-object-store.ts';
import { makeIngestHandler } from '../../functions/ingest/handler.ts';
import { logger, metrics } from '../../functions/commons/powertools.ts';
import { lambdaContext, startLocalPipeline, type LocalPipeline } from '../../infra/local/runner.ts';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import type { IngestDeps } from '../../shared/ingest/ingest-upload.ts';
import type { UnitFigures, UploadRecord } from '../../shared/ingest/upload.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import type { Mailer, MailMessage, SentMail } from '../../shared/ports.ts';
import { periodStatus } from '../../shared/status.ts';
import { MemoryConfigStore } from '../../shared/store/memory-config-store.ts';
import type { ReportStore } from '../../shared/store/report-store.ts';
import { plan128Registry, PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { UnitRegistry } from '../../shared/units/registry.ts';
import { fixedUnits } from '../../shared/units/units-in-force.ts';
import { badCsvReport, randomCsvReport, removeTempHomes, SAMPLE_COUNTS, SAMPLES, seeded, tempHome } from './helpers.ts';

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

  it('an event time set for a key (tthc ingest --at) reaches the function, whatever the key spells (spaces, diacritics, +, ~)', async () => {
    const fileName = 'Báo cáo T6 + bổ sung (bản ~2).csv';
    pipeline.eventTimes.set(`incoming/X030/${fileName}`, '2022-06-19T23:59:00+07:00');
    const record = await upload('X030', fileName, randomCsvReport(seeded(602), 'X030', PERIOD).bytes);
    expect(record).toMatchObject({ key: `incoming/X030/${fileName}`, fileName, eventTime: '2022-06-19T16:59:00.000Z', outcome: 'accepted' });
    const status = periodStatus([plan128Registry().get('X030')!], PERIOD, await pipeline.store.listPeriod(PERIOD), PLAN_128_PERIODS);
    expect(status[0].status).toBe('on_time');
  });

});

/** Mail is a port, not AWS: recording what would be sent is enough here; an address in `refuse` is refused as SES refuses it. */
class RecordingMailer implements Mailer {
  sent: MailMessage[] = [];
  tried: MailMessage[] = [];
  readonly refuse = new Map<string, { name: string; message: string }>();
  async send(m: MailMessage): Promise<SentMail> {
    this.tried.push(m);
    const refusal = m.to.map((to) => this.refuse.get(to)).find(Boolean);
    if (refusal) throw Object.assign(new Error(refusal.message), { name: refusal.name });
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
  ingestView(period: string, unit: string, earlier: readonly string[], countsHash?: string) { return this.inner.ingestView(period, unit, earlier, countsHash); }
  noteCounts(period: string, unit: string, countsHash: string) { return this.inner.noteCounts(period, unit, countsHash); }
  currentCounts(period: string, units: readonly string[]) { return this.inner.currentCounts(period, units); }
  async moveCurrent(report: UnitFigures) {
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

  it('an upload or a configuration file deleted before it is read: nothing to ingest, not retried; the other records are', async () => {
    const good = randomCsvReport(seeded(704), 'X024', PERIOD);
    const event = await put(
      { key: 'incoming/X025/xoá nhầm.csv', bytes: good.bytes },
      { key: 'config/targets/xoá nhầm.csv', bytes: Buffer.from('unit,window_from,window_to,target_pct\nS01,2029-01,2029-12,80\n') },
      { key: 'incoming/X024/bc.csv', bytes: good.bytes },
    );
    for (const key of ['incoming/X025/xoá nhầm.csv', 'config/targets/xoá nhầm.csv']) await s3.send(new DeleteObjectCommand({ Bucket: stack.bucket, Key: key }));
    const config = new MemoryConfigStore();
    const verdicts = await deliverWith(() => ({ ...deps, config }))(event); // no throw: no retry, no dead-letter queue
    expect(verdicts.map((v) => [v.unit, v.outcome])).toEqual([['X024', 'accepted']]);
    expect(await store.unitHistory('X025')).toEqual([]);
    expect(await config.targets()).toEqual([]);
    expect(await exists(s3, stack.bucket, 'results/config/targets/xoá nhầm.csv.json')).toBe(false);
  });

  it('a feedback mail SES refuses for good (sandbox, bad address): the upload stands, the invocation succeeds, counted and never tried again', async () => {
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const warn = vi.spyOn(logger, 'warn');
    const undeliverable = () => addMetric.mock.calls.filter(([name]) => name === 'FeedbackMailsUndeliverable');
    mailer.refuse.set(contactOf('X105'), { name: 'MessageRejected', message: `Email address is not verified. The following identities failed the check in region AP-SOUTHEAST-1: ${contactOf('X105')}` });
    mailer.refuse.set(contactOf('X106'), { name: 'BadRequestException', message: 'Missing final \'@domain\'' });
    try {
      const good = randomCsvReport(seeded(711), 'X105', PERIOD);
      const event = await put({ key: 'incoming/X105/bc.csv', bytes: good.bytes }, { key: 'incoming/X106/bc.csv', bytes: badCsvReport('X106', PERIOD) });
      const verdicts = await deliver(event); // no throw: no retry, no dead-letter queue
      expect(verdicts.map((v) => [v.unit, v.outcome]).sort()).toEqual([['X105', 'accepted'], ['X106', 'rejected']]);
      const [x105] = await store.unitHistory('X105');
      expect(await store.getCurrent(PERIOD, 'X105')).toMatchObject({ uploadId: x105.uploadId, counts: good.counts });
      for (const r of [x105, (await store.unitHistory('X106'))[0]]) {
        expect(r.notifiedAt, r.unit).toBeNull(); // nothing went out
        for (const key of feedbackKeys(r)) expect(await exists(s3, stack.bucket, key), key).toBe(true);
      }
      expect(undeliverable()).toEqual([['FeedbackMailsUndeliverable', 'Count', 1], ['FeedbackMailsUndeliverable', 'Count', 1]]);
      // Ops read which unit, which upload and SES's answer in the log.
      const said = warn.mock.calls.filter(([message]) => String(message).startsWith('feedback mail refused by SES')).map(([, fields]) => fields);
      expect(said).toEqual(expect.arrayContaining([
        expect.objectContaining({ unit: 'X105', uploadId: x105.uploadId, period: PERIOD, reason: 'MessageRejected', sesMessage: expect.stringContaining('not verified') }),
        expect.objectContaining({ unit: 'X106', reason: 'BadRequestException' }),
      ]));
      expect(addMetric.mock.calls.filter(([name]) => name === 'IngestErrors')).toEqual([]);
      expect(mailer.tried.filter((m) => m.to.includes(contactOf('X105')) || m.to.includes(contactOf('X106')))).toHaveLength(2);

      // A redelivery, or ops replaying the event: the claim was kept, SES is not asked again.
      await deliver(event);
      expect(mailer.tried.filter((m) => m.to.includes(contactOf('X105')) || m.to.includes(contactOf('X106')))).toHaveLength(2);
      expect(undeliverable()).toHaveLength(2);
    } finally {
      mailer.refuse.clear();
      addMetric.mockRestore();
      warn.mockRestore();
    }
  });

  it('the same event delivered three (and ten) times at once: one history record, one mail', async () => {
    const event = await put({ key: 'incoming/X101/bc.csv', bytes: randomCsvReport(seeded(708), 'X101', PERIOD).bytes });
    const verdicts = (await Promise.all([deliver(event), deliver(event), deliver(event)])).flat();
    expect(new Set(verdicts.map((v) => v.uploadId)).size).toBe(1);
    expect(verdicts.filter((v) => v.firstDelivery)).toHaveLength(1);
    expect(mailer.to('X101')).toHaveLength(1);
    expect(await store.unitHistory('X101')).toHaveLength(1);

    const ten = await put({ key: 'incoming/X102/bc.csv', bytes: randomCsvReport(seeded(709), 'X102', PERIOD).bytes });
    await Promise.all(Array.from({ length: 10 }, () => deliver(ten)));
    expect(mailer.to('X102')).toHaveLength(1);
    expect(await store.unitHistory('X102')).toHaveLength(1);
  });

});

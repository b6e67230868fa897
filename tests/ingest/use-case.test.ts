// The ingest use case on the memory stores: what becomes of an upload (report, history,
// feedback, mail) and of S3 events with several records, repeats and store failures, as the
// Lambda runs them (processS3Event). The adapters and the real path (s3rver event → middy
// handler → dynalite) are tested in ingest.test.ts.
import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import type { IngestDeps } from '../../shared/ingest/ingest-upload.ts';
import type { UploadRecord } from '../../shared/ingest/upload.ts';
import { lastClosedPeriod, PLAN_128_PERIODS } from '../../shared/period.ts';
import { badCsvReport, CSV_HEADER, csvReport, randomCsvReport, SAMPLE_COUNTS, SAMPLES, seeded } from './helpers.ts';
import { MemoryIngest, storeFailing } from './memory-harness.ts';
import { PlanConfig } from '../../shared/config/plan-config.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
});

const PERIOD = '2022-06';
/** The feedback keys the units' policy and download tools rely on (spelled out: a contract). */
const feedbackKeysOf = (r: Pick<UploadRecord, 'unit' | 'uploadId'>) => ({ json: `results/${r.unit}/${r.uploadId}.json`, text: `results/${r.unit}/${r.uploadId}.txt` });
const sample = (name: string) => readFile(new URL(name, SAMPLES));

interface FeedbackJson {
  errors: Array<{ code: string; sheet: string | null; row: number | null; column: string | null; message: string }>;
}

describe('one upload: report, history and feedback', () => {
  const h = new MemoryIngest();

  /** Uploads like a unit's clerk does and returns the upload's record. */
  async function upload(unit: string, fileName: string, bytes: Buffer): Promise<UploadRecord> {
    const key = `incoming/${unit}/${fileName}`;
    const verdict = await h.upload(key, bytes);
    const record = (await h.store.unitHistory(verdict.unit)).find((r) => r.uploadId === verdict.uploadId);
    expect(record, `no history record for ${key}`).toBeDefined();
    expect(verdict).toMatchObject({ key, unit: record!.unit, period: record!.period, outcome: record!.outcome, feedback: feedbackKeysOf(record!) });
    return record!;
  }

  async function feedback(record: UploadRecord): Promise<{ json: FeedbackJson; text: string }> {
    const keys = feedbackKeysOf(record);
    return { json: JSON.parse((await h.text(keys.json))!) as FeedbackJson, text: (await h.text(keys.text))! };
  }

  it('a re-upload with different figures replaces the report; the history keeps both', async () => {
    const rng = seeded(601);
    const v1 = randomCsvReport(rng, 'H03', PERIOD);
    const v2 = randomCsvReport(rng, 'H03', PERIOD);
    expect(v2.counts).not.toEqual(v1.counts);
    const first = await upload('H03', 'Báo cáo tháng 6.csv', v1.bytes);
    expect((await h.store.getCurrent(PERIOD, 'H03'))?.counts).toEqual(v1.counts);
    const second = await upload('H03', 'Báo cáo tháng 6.csv', v2.bytes); // same key, new object
    expect(second.uploadId).not.toBe(first.uploadId);
    expect(second.outcome).toBe('accepted');

    expect(await h.store.getCurrent(PERIOD, 'H03')).toMatchObject({ uploadId: second.uploadId, counts: v2.counts });
    const history = await h.store.unitHistory('H03');
    expect(history.map((r) => [r.uploadId, r.outcome])).toEqual([[second.uploadId, 'accepted'], [first.uploadId, 'accepted']]);
    expect(history[1].counts).toEqual(v1.counts); // the old figures are kept in the history
    const listed = await h.store.listPeriod(PERIOD);
    expect(listed.uploads.filter((u) => u.unit === 'H03')).toHaveLength(2);
    expect(listed.current.filter((c) => c.unit === 'H03').map((c) => c.uploadId)).toEqual([second.uploadId]);
  });

  it('a rejected upload after an accepted one leaves the accepted figures in place', async () => {
    const good = randomCsvReport(seeded(602), 'H04', PERIOD);
    const accepted = await upload('H04', 'bao-cao.csv', good.bytes);
    const before = await h.store.getCurrent(PERIOD, 'H04');
    const rejected = await upload('H04', 'bao-cao.csv', badCsvReport('H04', PERIOD));
    expect(rejected.outcome).toBe('rejected');
    expect(rejected.errors).toContainEqual(expect.objectContaining({ code: 'invalid_number', row: 3, column: 'E' }));

    expect(await h.store.getCurrent(PERIOD, 'H04')).toEqual(before);
    expect(before).toMatchObject({ uploadId: accepted.uploadId, counts: good.counts });
    expect((await h.store.unitHistory('H04')).map((r) => r.outcome)).toEqual(['rejected', 'accepted']);
    const { text } = await feedback(rejected);
    expect(text).toContain('Báo cáo hợp lệ đã gửi trước đó (nếu có) vẫn được giữ nguyên.');
    expect(text).toMatch(/Lỗi \(ô E3\): .* \(mã lỗi: invalid_number\)/);
    expect(await h.statusOf('H04', PERIOD)).toMatchObject({ counts: good.counts, received_at: accepted.eventTime });
  });

  it('the identical bytes again: outcome unchanged, the figures and status do not change', async () => {
    const report = randomCsvReport(seeded(603), 'H05', PERIOD);
    const first = await upload('H05', 'Báo cáo tháng 6.csv', report.bytes);
    const before = await h.store.getCurrent(PERIOD, 'H05');
    const statusBefore = await h.statusOf('H05', PERIOD);

    const again = await upload('H05', 'Báo cáo tháng 6.csv', report.bytes);
    expect(again.uploadId).not.toBe(first.uploadId); // a new upload, kept in the history
    expect(again.outcome).toBe('unchanged');
    expect(again.contentHash).toBe(first.contentHash);

    const after = await h.store.getCurrent(PERIOD, 'H05');
    expect(after).toMatchObject({ counts: before!.counts, procedures: before!.procedures, contentHash: before!.contentHash, key: before!.key });
    // The report now points at the newest of the identical uploads: that is what makes the
    // outcome independent of delivery order (see ordering.test.ts); the figures are the same.
    expect(after!.uploadId).toBe(again.uploadId);
    const statusAfter = await h.statusOf('H05', PERIOD);
    expect(statusAfter).toEqual(statusBefore);
    expect(statusAfter.received_at).toBe(first.eventTime); // the first acceptable report decides on-time
    expect((await h.store.unitHistory('H05')).map((r) => r.outcome)).toEqual(['unchanged', 'accepted']);
    expect((await feedback(again)).text).toContain('KHÔNG THAY ĐỔI');
  });

  it('a file over 5 MB is rejected from its size alone, for the period being collected when it arrived', async () => {
    const bytes = Buffer.alloc(5 * 1024 * 1024 + 1, 0x41);
    const record = await upload('S03', 'Báo cáo quá lớn.xlsx', bytes);
    expect(record).toMatchObject({ outcome: 'rejected', periodFromFile: false, contentHash: '', size: bytes.length, counts: null });
    expect(record.period).toBe(lastClosedPeriod(new Date(record.eventTime), PLAN_128_PERIODS));
    expect(record.errors.map((e) => e.code)).toEqual(['file_too_large']);
    expect(await h.store.getCurrent(record.period, 'S03')).toBeNull();
    const { text } = await feedback(record);
    expect(text).toContain('lớn hơn giới hạn 5 MB');
    expect(text).toContain('theo thời điểm gửi vì tệp không ghi được kỳ');
  });

  it('a file of another unit (the S01 sample under incoming/S02/) is rejected as wrong_unit', async () => {
    const s01 = await upload('S01', 'Báo cáo tháng 6.xlsx', await sample('06a-S01-2022-06.xlsx'));
    const s01Before = await h.store.getCurrent(PERIOD, 'S01');
    expect(s01Before).toMatchObject({ uploadId: s01.uploadId });
    const record = await upload('S02', '06a-S01-2022-06.xlsx', await sample('06a-S01-2022-06.xlsx'));
    expect(record).toMatchObject({ unit: 'S02', outcome: 'rejected', counts: null });
    expect(record.errors.map((e) => e.code)).toContain('wrong_unit');
    expect(await h.store.getCurrent(PERIOD, 'S02')).toBeNull();
    expect(await h.store.getCurrent(PERIOD, 'S01')).toEqual(s01Before); // nor is it counted for S01
    const { json, text } = await feedback(record);
    expect(json.errors[0]).toMatchObject({ code: 'wrong_unit', sheet: 'Biểu 06a', row: 5, column: 'A' });
    expect(text).toContain('Sở Giáo dục và Đào tạo (S02)');
  });
});

describe('S3 events with several records, repeats and store failures', () => {
  const h = new MemoryIngest();
  const { mailer, store } = h;
  const deliver = (event: Parameters<MemoryIngest['deliver']>[0], deps?: IngestDeps) => h.deliver(event, deps);
  /** The memory store whose moveCurrent throws, as a throttled DynamoDB would, once for the unit. */
  const flakyFor = (unit: string): IngestDeps => ({ ...h.deps, reports: storeFailing(store, 'moveCurrent', 1, unit) });
  const feedbackKeys = (r: Pick<UploadRecord, 'unit' | 'uploadId'>) => Object.values(feedbackKeysOf(r));

  it('the same event delivered twice: one history record, nothing changes, one mail', async () => {
    const report = randomCsvReport(seeded(702), 'X022', PERIOD);
    const event = await h.put({ key: 'incoming/X022/bc.csv', bytes: report.bytes });
    const first = await deliver(event);
    const current = await store.getCurrent(PERIOD, 'X022');
    const history = await store.unitHistory('X022');
    const feedbackText = await h.text(feedbackKeys(history[0])[1]);

    const second = await deliver(event);
    expect(first.map((r) => r.firstDelivery)).toEqual([true]);
    expect(second.map((r) => r.firstDelivery)).toEqual([false]);
    expect({ ...second[0], firstDelivery: true }).toEqual(first[0]); // the first verdict
    expect(await store.unitHistory('X022')).toEqual(history);
    expect(history).toHaveLength(1);
    expect(await store.getCurrent(PERIOD, 'X022')).toEqual(current);
    expect(current).toMatchObject({ uploadId: history[0].uploadId, counts: report.counts });
    expect(await h.text(feedbackKeys(history[0])[1])).toBe(feedbackText);
    expect(mailer.to('X022')).toHaveLength(1);

    await deliver(event); // a third time
    expect(await store.unitHistory('X022')).toEqual(history);
    expect(mailer.to('X022')).toHaveLength(1);
  });

  it('a retry that arrives after a newer upload does not bring the older figures back', async () => {
    const rng = seeded(704);
    const [v1, v2] = [randomCsvReport(rng, 'X024', PERIOD), randomCsvReport(rng, 'X024', PERIOD)];
    const older = await h.put({ key: 'incoming/X024/bc.csv', bytes: v1.bytes });
    const newer = await h.put({ key: 'incoming/X024/bc.csv', bytes: v2.bytes });
    const flaky = flakyFor('X024');
    await expect(deliver(older, flaky)).rejects.toBeInstanceOf(AggregateError);
    expect(await store.getCurrent(PERIOD, 'X024')).toBeNull(); // absent, not half-written
    await deliver(newer, flaky);
    await deliver(older, flaky); // the retry of the failed one
    expect((await store.getCurrent(PERIOD, 'X024'))?.counts).toEqual(v2.counts);
    expect(await store.unitHistory('X024')).toHaveLength(2);
  });

  it('a failure on one record does not stop the others of the event', async () => {
    const rng = seeded(705);
    const units = ['X025', 'X026', 'X027'];
    const reports = units.map((u) => randomCsvReport(rng, u, PERIOD));
    const event = await h.put(...units.map((u, i) => ({ key: `incoming/${u}/Báo cáo ${u}.csv`, bytes: reports[i].bytes })));
    const flaky = flakyFor('X026');
    const failed = await deliver(event, flaky).then(() => null, (e: unknown) => e);
    expect(failed).toBeInstanceOf(AggregateError);
    expect((failed as AggregateError).message).toBe('1 of 3 records failed');
    for (const i of [0, 2]) {
      const [record] = await store.unitHistory(units[i]);
      expect(await store.getCurrent(PERIOD, units[i])).toMatchObject({ uploadId: record.uploadId, counts: reports[i].counts });
      for (const key of feedbackKeys(record)) expect(await h.objects.exists(key), key).toBe(true);
    }
    expect(await store.getCurrent(PERIOD, 'X026')).toBeNull();

    await deliver(event, flaky); // the retry
    for (const [i, unit] of units.entries()) {
      expect(await store.unitHistory(unit)).toHaveLength(1);
      expect((await store.getCurrent(PERIOD, unit))?.counts).toEqual(reports[i].counts);
    }
    expect(mailer.to('X025')).toHaveLength(1);
    expect(mailer.to('X027')).toHaveLength(1);
  });

  it('a retry after a failure past putUpload converges for a unit with a contact address', async () => {
    const report = randomCsvReport(seeded(706), 'X028', PERIOD);
    const event = await h.put({ key: 'incoming/X028/bc.csv', bytes: report.bytes });
    const flaky = flakyFor('X028');
    await expect(deliver(event, flaky)).rejects.toBeInstanceOf(AggregateError);
    const [retried] = await deliver(event, flaky);
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
    await deliver(await h.put({ key: 'incoming/X029/bc.csv', bytes: made.bytes }));
    expect((await store.getCurrent(PERIOD, 'X029'))?.counts).toEqual(SAMPLE_COUNTS);
  });
});

describe('with a versioned bucket, an event reads the exact upload it names', () => {
  it('version 1\'s event delivered after version 2 was written ingests version 1\'s figures; version 2 stays the report', async () => {
    const h = new MemoryIngest({ versioned: true, start: '2022-06-18T09:00:00+07:00' });
    const rng = seeded(707);
    const [v1, v2] = [randomCsvReport(rng, 'X031', PERIOD), randomCsvReport(rng, 'X031', PERIOD)];
    expect(v1.counts).not.toEqual(v2.counts);
    const first = await h.put({ key: 'incoming/X031/bc.csv', bytes: v1.bytes });
    const second = await h.put({ key: 'incoming/X031/bc.csv', bytes: v2.bytes });
    const [id1, id2] = h.objects.versionsOf('incoming/X031/bc.csv');
    expect([first.Records[0].s3.object.versionId, second.Records[0].s3.object.versionId]).toEqual([id1, id2]);

    const [newer] = await h.deliver(second);
    const [older] = await h.deliver(first); // S3 delivered the first upload's event late
    expect([newer.outcome, older.outcome]).toEqual(['accepted', 'accepted']);
    expect((await h.store.getUpload(PERIOD, 'X031', older.uploadId))).toMatchObject({ versionId: id1, counts: v1.counts });
    expect(await h.store.getCurrent(PERIOD, 'X031')).toMatchObject({ uploadId: newer.uploadId, counts: v2.counts });
  });
});

describe('what "unchanged" means: the report already has these bytes', () => {
  it('after an older upload\'s late event, the clerk\'s re-upload of its bytes changes the figures: accepted, and after publication a correction', async () => {
    const h = new MemoryIngest({ versioned: true, start: '2022-06-18T09:00:00+07:00' });
    const rng = seeded(708);
    const [a, b] = [randomCsvReport(rng, 'X032', PERIOD), randomCsvReport(rng, 'X032', PERIOD)];
    const key = 'incoming/X032/bao-cao.csv';
    const first = await h.put({ key, bytes: a.bytes });
    const second = await h.put({ key, bytes: b.bytes });
    await h.deliver(second);
    const [late] = await h.deliver(first); // S3 delivered A's event after B's
    expect(late.outcome).toBe('accepted');
    expect(await h.store.getCurrent(PERIOD, 'X032')).toMatchObject({ counts: b.counts });
    await h.store.claimPublication(PERIOD, '2022-06-20T01:00:00.000Z');
    await h.store.markPublished(PERIOD, '2022-06-20T01:00:05.000Z', 'msg');

    const undo = await h.upload(key, a.bytes, '2022-06-22T02:00:00.000Z'); // the clerk sends A again
    expect(undo.outcome).toBe('accepted');
    expect(await h.store.getCurrent(PERIOD, 'X032')).toMatchObject({ uploadId: undo.uploadId, counts: a.counts });
    expect((await h.store.getUpload(PERIOD, 'X032', undo.uploadId))?.warnings.map((w) => w.code)).toContain('correction_after_publication');
    // Then the very same bytes again: that is unchanged.
    expect((await h.upload(key, a.bytes, '2022-06-22T03:00:00.000Z')).outcome).toBe('unchanged');
  });
});

describe('an older upload\'s event after publication (a late delivery, a replay from the dead-letter queue)', () => {
  it('is accepted but is no correction: it never becomes the report', async () => {
    const h = new MemoryIngest({ versioned: true, start: '2022-06-18T09:00:00+07:00' });
    const rng = seeded(710);
    const [a, b] = [randomCsvReport(rng, 'X035', PERIOD), randomCsvReport(rng, 'X035', PERIOD)];
    const first = await h.put({ key: 'incoming/X035/bc.csv', bytes: a.bytes });
    await h.deliver(await h.put({ key: 'incoming/X035/bc.csv', bytes: b.bytes }));
    await h.store.claimPublication(PERIOD, '2022-06-20T01:00:00.000Z');
    await h.store.markPublished(PERIOD, '2022-06-20T01:00:05.000Z', 'msg');
    const [late] = await h.deliver(first);
    expect(late.outcome).toBe('accepted');
    expect((await h.store.getUpload(PERIOD, 'X035', late.uploadId))?.warnings.map((w) => w.code)).not.toContain('correction_after_publication');
    expect(await h.store.getCurrent(PERIOD, 'X035')).toMatchObject({ counts: b.counts });
  });
});

describe('the same new bytes under two keys at once, on top of a report', () => {
  it('one is accepted, the other unchanged', async () => {
    const h = new MemoryIngest({ start: '2022-06-18T09:00:00+07:00' });
    const rng = seeded(709);
    const [a, b] = [randomCsvReport(rng, 'X033', PERIOD), randomCsvReport(rng, 'X033', PERIOD)];
    await h.upload('incoming/X033/lan-1.csv', a.bytes);
    const event = await h.put({ key: 'incoming/X033/lan-2.csv', bytes: b.bytes }, { key: 'incoming/X033/lan-2 (1).csv', bytes: b.bytes });
    const verdicts = await h.deliver(event);
    expect(verdicts.map((v) => v.outcome).sort()).toEqual(['accepted', 'unchanged']);
    expect(await h.store.getCurrent(PERIOD, 'X033')).toMatchObject({ counts: b.counts });
  });
});

describe('a unit new in the registry', () => {
  it('sending before its first period has ended is told so as itself, not as a folder of no unit', async () => {
    const h = new MemoryIngest({ start: '2025-07-10T09:00:00+07:00' });
    const units = PlanConfig.withLoaded([{ code: 'D99', level: 'department', name: 'Sở mới', parentCode: null, contactEmail: 'd99@haiphong.gov.vn', validFrom: '2025-07', validTo: null, mergedInto: null }], []);
    const [verdict] = await h.deliver(await h.put({ key: 'incoming/D99/thang-7.csv', bytes: csvReport('D99', '2025-07', [{ field: 'Chung', counts: SAMPLE_COUNTS }]).bytes }), { ...h.deps, units });
    expect(verdict).toMatchObject({ unit: 'D99', period: '2025-07', outcome: 'rejected' });
    expect((await h.store.getUpload('2025-07', 'D99', verdict.uploadId))?.errors.map((e) => e.code)).toEqual(['period_not_ended']);
  });
});

describe('the feedback on a repeat of an upload', () => {
  it('still lists every error: the stored record keeps the first 100, the feedback all of them', async () => {
    const h = new MemoryIngest();
    const rows = Array.from({ length: 250 }, (_, i) => `X034,2022-06,"Lĩnh vực ${i + 1}",abc,1,0,0,1,0,0,0,0,0`);
    const event = await h.put({ key: 'incoming/X034/nhieu-loi.csv', bytes: Buffer.from(`${CSV_HEADER}\n${rows.join('\n')}\n`) });
    const errorsListed = async (key: string) => (JSON.parse((await h.text(key))!) as FeedbackJson).errors.length;
    const [first] = await h.deliver(event);
    expect(first.outcome).toBe('rejected');
    expect(await errorsListed(first.feedback.json)).toBe(250);
    expect((await h.store.getUpload(PERIOD, 'X034', first.uploadId))?.errors).toHaveLength(100);
    const [again] = await h.deliver(event); // S3 delivers it again, or Lambda retries
    expect(again.uploadId).toBe(first.uploadId);
    expect(await errorsListed(again.feedback.json)).toBe(250);
    expect((await h.text(again.feedback.text))!.match(/abc/g)?.length).toBeGreaterThanOrEqual(250);
  });
});

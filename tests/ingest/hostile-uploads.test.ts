// Uploads that must not be lost, doubled or misfiled: S3 events → the ingest use case as the
// Lambda runs it (processS3Event) → the memory stores, feedback back in the bucket. The mailer
// counts and can fail like SES; a store wrapper throws like a throttled DynamoDB. The same
// paths over real HTTP (s3rver → middy handler → dynalite): ingest.test.ts.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import type { S3Event } from 'aws-lambda';
import type { IngestDeps, IngestVerdict } from '../../shared/ingest/ingest-upload.ts';
import { SAMPLES } from './helpers.ts';
import { MemoryIngest, storeFailing } from './memory-harness.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
});

const PERIOD = '2022-06';
const sample = (name: string) => readFile(new URL(name, SAMPLES));

const h = new MemoryIngest();
const { mailer } = h;
const put = (...files: Array<{ key: string; bytes: Buffer }>) => h.put(...files);
const deliver = (event: S3Event, d?: IngestDeps): Promise<IngestVerdict[]> => h.deliver(event, d);
const text = (key: string) => h.text(key);
const statusOf = (unit: string) => h.statusOf(unit, PERIOD);

describe('unit folders are exact', () => {
  it('a folder that only looks like a unit code (case, long s, trailing space) is refused under results/_unrecognised/, for nobody', async () => {
    const bytes = await sample('06a-S01-2022-06.xlsx');
    for (const folder of ['s01', 'ſ01', 'S01 ']) {
      const key = `incoming/${folder}/Báo cáo tháng 6.xlsx`;
      const [verdict] = await deliver(await put({ key, bytes }));
      expect(verdict, folder).toMatchObject({ key, unit: '_unrecognised', outcome: 'rejected' });
      expect(verdict.errors.map((e) => e.code)).toEqual(['unknown_unit_folder']);
      expect(verdict.feedback).toEqual({ json: `results/_unrecognised/${verdict.uploadId}.json`, text: `results/_unrecognised/${verdict.uploadId}.txt` });
      const feedback = await text(verdict.feedback.text);
      expect(feedback).toContain(`Thư mục "incoming/${folder}/" không phải mã của đơn vị nào`);
      expect(feedback).toContain('BỊ TỪ CHỐI');
      expect(JSON.parse((await text(verdict.feedback.json))!)).toMatchObject({ upload_id: verdict.uploadId, status: 'rejected', file: key });
    }
    // Kept in the history under the marker, never as S01 nor as "S01 ".
    expect(await h.store.unitHistory('_unrecognised')).toHaveLength(3);
    for (const unit of ['S01', 'S01 ', 's01']) expect(await h.store.unitHistory(unit), unit).toEqual([]);
    expect(await h.store.getCurrent(PERIOD, 'S01')).toBeNull();
    expect(await statusOf('S01')).toMatchObject({ status: 'missing' });
    expect(mailer.sent).toHaveLength(0);
  });

  it('a file right under incoming/ is refused the same way', async () => {
    const [verdict] = await deliver(await put({ key: 'incoming/bao-cao.xlsx', bytes: await sample('06a-S01-2022-06.xlsx') }));
    expect(verdict).toMatchObject({ unit: '_unrecognised', outcome: 'rejected' });
    expect(await text(verdict.feedback.text)).toContain('không trong thư mục của đơn vị nào');
    expect(mailer.sent).toHaveLength(0);
  });

  it('a console folder marker (empty, key ending in /) is ignored: no record, no feedback, no mail', async () => {
    const before = await h.store.unitHistory('_unrecognised');
    const event = await put({ key: 'incoming/S01/2022/', bytes: Buffer.alloc(0) });
    expect(event.Records[0].s3.object.size).toBe(0);
    expect(await deliver(event)).toEqual([]);
    expect(await h.store.unitHistory('S01')).toEqual([]);
    expect(await h.store.unitHistory('_unrecognised')).toEqual(before);
    expect(mailer.sent).toHaveLength(0);
  });

  it('the unit\'s own folder, spelled as the registry spells it, is accepted and mailed', async () => {
    const [verdict] = await deliver(await put({ key: 'incoming/S01/Báo cáo tháng 6.xlsx', bytes: await sample('06a-S01-2022-06.xlsx') }));
    expect(verdict).toMatchObject({ unit: 'S01', outcome: 'accepted', feedback: { json: `results/S01/${verdict.uploadId}.json` } });
    expect(await statusOf('S01')).toMatchObject({ status: 'late' }); // the harness's clock is past the due day
    expect(mailer.to('S01')).toHaveLength(1);
  });
});

describe('each upload mailed once', () => {
  const report = (unit: string, seed: number) => Buffer.from(
    `unit_code,period,field,received_online,received_direct,received_postal,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue,returned_postal\n` +
    `${unit},${PERIOD},Hộ tịch,${seed},5,1,2,3,4,1,${seed + 1},0,0\n`, 'utf8');

  it('the same event delivered three (and ten) times at once: one mail', async () => {
    const event = await put({ key: 'incoming/X101/bc.csv', bytes: report('X101', 10) });
    const verdicts = (await Promise.all([deliver(event), deliver(event), deliver(event)])).flat();
    expect(new Set(verdicts.map((v) => v.uploadId)).size).toBe(1);
    expect(verdicts.filter((v) => v.firstDelivery)).toHaveLength(1);
    expect(mailer.to('X101')).toHaveLength(1);
    expect(await h.store.unitHistory('X101')).toHaveLength(1);

    const ten = await put({ key: 'incoming/X102/bc.csv', bytes: report('X102', 11) });
    await Promise.all(Array.from({ length: 10 }, () => deliver(ten)));
    expect(mailer.to('X102')).toHaveLength(1);
  });

  it('marking "mailed" fails after the send: the invocation fails, and its retry sends no second mail', async () => {
    const event = await put({ key: 'incoming/X103/bc.csv', bytes: report('X103', 12) });
    await expect(deliver(event, { ...h.deps, reports: storeFailing(h.store, 'markNotified', 1) })).rejects.toBeInstanceOf(AggregateError);
    expect(mailer.to('X103')).toHaveLength(1);
    const [retried] = await deliver(event); // Lambda's retry
    expect(retried).toMatchObject({ unit: 'X103', outcome: 'accepted', firstDelivery: false });
    expect(mailer.to('X103')).toHaveLength(1);
    expect(await h.store.getCurrent(PERIOD, 'X103')).toMatchObject({ uploadId: retried.uploadId });
  });

  it('the send fails once: the invocation fails, and its retry mails, once', async () => {
    const event = await put({ key: 'incoming/X104/bc.csv', bytes: report('X104', 13) });
    mailer.failures = 1;
    await expect(deliver(event)).rejects.toBeInstanceOf(AggregateError);
    expect(mailer.to('X104')).toHaveLength(0);
    const [retried] = await deliver(event);
    expect(mailer.to('X104')).toHaveLength(1);
    expect(mailer.to('X104')[0].text).toContain(`Mã lần gửi: ${retried.uploadId}`);
    expect((await h.store.getUpload(PERIOD, 'X104', retried.uploadId))?.notifiedAt).not.toBeNull();
    await deliver(event); // a late duplicate of the event
    expect(mailer.to('X104')).toHaveLength(1);
  });
});

describe('the same bytes under different keys', () => {
  const csv = (unit: string, online: number) => Buffer.from(
    `unit_code,period,field,received_online,received_direct,received_postal,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue,returned_postal\n` +
    `${unit},${PERIOD},Đất đai,${online},7,0,1,2,3,0,${online + 3},0,0\n`, 'utf8');

  it('at once, in one event or in several: one is accepted, the others unchanged', async () => {
    const bytes = csv('X105', 40);
    const one = await put(...['a.csv', 'b.csv', 'c.csv'].map((name) => ({ key: `incoming/X105/${name}`, bytes })));
    expect((await deliver(one)).map((v) => v.outcome).sort()).toEqual(['accepted', 'unchanged', 'unchanged']);

    const other = csv('X106', 41);
    const events: S3Event[] = [];
    for (const name of ['d.csv', 'e.csv', 'f.csv', 'g.csv']) events.push(await put({ key: `incoming/X106/${name}`, bytes: other })); // one invocation each
    expect(events).toHaveLength(4);
    const outcomes = (await Promise.all(events.map((e) => deliver(e)))).flat().map((v) => v.outcome).sort();
    expect(outcomes).toEqual(['accepted', 'unchanged', 'unchanged', 'unchanged']);
    expect((await h.store.unitHistory('X106')).map((r) => r.outcome).sort()).toEqual(outcomes);
  });

  it('A, B, then A again: all three accepted, the report has A\'s figures; A once more is unchanged', async () => {
    const [a, b] = [csv('X107', 50), csv('X107', 60)];
    const outcomes: string[] = [];
    for (const [name, bytes] of [['a.csv', a], ['b.csv', b], ['a-lan-2.csv', a], ['a-lan-3.csv', a]] as const) {
      const [v] = await deliver(await put({ key: `incoming/X107/${name}`, bytes }));
      outcomes.push(v.outcome);
    }
    expect(outcomes).toEqual(['accepted', 'accepted', 'accepted', 'unchanged']);
    expect((await h.store.getCurrent(PERIOD, 'X107'))?.counts?.received_online).toBe(50);
  });
});

describe('the pipeline never throws on a file', () => {
  /** The S01 sample whose title says another period. */
  async function sampleWithTitle(title: string): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await sample('06a-S01-2022-06.xlsx')) as unknown as ArrayBuffer);
    wb.getWorksheet('Biểu 06a')!.getCell('A6').value = title;
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
  const csvFor = (unit: string, period: string) => Buffer.from(
    `unit_code,period,field,received_online,received_direct,received_postal,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue,returned_postal\n` +
    `${unit},${period},Hộ tịch,10,5,1,2,3,4,1,10,0,0\n`, 'utf8');
  // What our code says to itself, never to a clerk.
  const INTERNAL = /not a period|Error\b|TypeError|undefined|NaN|\bat \w+ \(/;

  it('a file whose period is "Tháng 1/0000" (title) or 0000-01 (CSV) is recorded, refused, and told in plain Vietnamese', async () => {
    const files = [
      { key: 'incoming/S01/Báo cáo tháng 1 năm 0.xlsx', unit: 'S01', bytes: await sampleWithTitle('Kỳ báo cáo: Tháng 1/0000') },
      { key: 'incoming/X108/bao-cao-0000.csv', unit: 'X108', bytes: csvFor('X108', '0000-01') },
      { key: 'incoming/X109/bao-cao-9999.csv', unit: 'X109', bytes: csvFor('X109', '9999-12') },
    ];
    for (const f of files) {
      const verdicts = await deliver(await put(f)); // resolves: no invocation fails, nothing goes to the DLQ
      expect(verdicts, f.key).toHaveLength(1);
      const [v] = verdicts;
      expect(v, f.key).toMatchObject({ unit: f.unit, outcome: 'rejected' });
      expect(await h.store.getUpload(v.period, f.unit, v.uploadId), f.key).toMatchObject({ outcome: 'rejected', counts: null });
      const feedback = (await text(v.feedback.text))!;
      expect(feedback, f.key).toContain('BỊ TỪ CHỐI');
      expect(feedback, f.key).not.toMatch(INTERNAL);
      const json = JSON.parse((await text(v.feedback.json))!) as { errors: Array<{ code: string; message: string }> };
      expect(json.errors.length, f.key).toBeGreaterThan(0);
      for (const e of json.errors) expect(e.message, f.key).not.toMatch(INTERNAL);
      expect(mailer.to(f.unit).at(-1)?.text, f.key).toBe(feedback);
    }
  });
});

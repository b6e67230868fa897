// Property: whatever order S3 delivers a unit's upload events in, and however often, the
// unit's report for the period is its newest acceptable upload (event time, then sequencer),
// the history holds each upload exactly once, and the period status comes out the same.
// The use case on the memory stores (they pass the S3 and DynamoDB adapters' contracts);
// events built here with chosen eventTime/sequencer and fed to the use case directly.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eachLimited } from '../../shared/each-limited.ts';
import { ingestUpload, uploadIdOf, type IngestDeps } from '../../shared/ingest/ingest-upload.ts';
import type { UploadEvent } from '../../shared/ingest/upload.ts';
import { dueInstant, PLAN_128_PERIODS } from '../../shared/period.ts';
import type { Counts } from '../../shared/report-file/counts.ts';
import { periodStatus, type UnitStatus } from '../../shared/status.ts';
import { MemoryObjectStore } from '../../shared/store/memory-object-store.ts';
import { MemoryReportStore } from '../../shared/store/memory-report-store.ts';
import { plan128Registry } from '../../shared/units/plan-128-2022.ts';
import { fixedUnits } from '../../shared/units/units-in-force.ts';
import { badCsvReport, randomCsvReport, seeded, type Rng } from './helpers.ts';
import { BUCKET } from './memory-harness.ts';

const PERIOD = '2022-06';
const SCENARIOS = 30;
const DUE = dueInstant(PERIOD, PLAN_128_PERIODS).getTime(); // end of 20/06/2022, Hải Phòng time
const WINDOW_START = Date.UTC(2022, 5, 16, 0, 0); // uploads spread over ten days around the due date
const WINDOW_MINUTES = 10 * 24 * 60;

interface PlannedUpload {
  event: UploadEvent;
  bytes: Buffer;
  /** Null: the file must be rejected. */
  counts: Counts | null;
}

/** Random hex without a leading zero (S3 sequencers vary in length). */
function sequencer(rng: Rng): string {
  const length = rng.int(2, 18);
  let s = '123456789ABCDEF'[rng.int(0, 14)];
  while (s.length < length) s += '0123456789ABCDEF'[rng.int(0, 15)];
  return s;
}

/**
 * The model's order, independent of the product's orderKey: time, then sequencer as AWS says to
 * compare them ("right-pad the shorter value with zeros, then compare lexicographically").
 */
function newer(a: UploadEvent, b: UploadEvent): boolean {
  const ta = Date.parse(a.eventTime);
  const tb = Date.parse(b.eventTime);
  if (ta !== tb) return ta > tb;
  const width = Math.max(a.sequencer.length, b.sequencer.length);
  return a.sequencer.padEnd(width, '0') > b.sequencer.padEnd(width, '0');
}

function plan(scenario: number, unit: string, bucket: string): PlannedUpload[] {
  const rng = seeded(20_220_600 + scenario);
  const files: Array<{ bytes: Buffer; counts: Counts | null }> = [];
  const reports = Array.from({ length: rng.int(3, 6) }, () => randomCsvReport(rng, unit, PERIOD));
  files.push(...reports);
  // Identical bytes uploaded again later: a new upload of figures already sent.
  for (let i = rng.int(0, 2); i > 0; i--) files.push(rng.pick(reports));
  for (let i = rng.int(1, 2); i > 0; i--) files.push({ bytes: badCsvReport(unit, PERIOD), counts: null });

  const planned: PlannedUpload[] = [];
  const usedSequencers = new Set<string>();
  for (const [i, file] of rng.shuffle(files).entries()) {
    // Some uploads share an event time with an earlier one: the sequencer must decide.
    const tie = planned.length > 0 && rng.next() < 0.3;
    const eventTime = tie
      ? rng.pick(planned).event.eventTime
      : new Date(WINDOW_START + rng.int(0, WINDOW_MINUTES) * 60_000 + rng.int(0, 59_999)).toISOString();
    let seq = sequencer(rng);
    while (usedSequencers.has(seq.padEnd(32, '0'))) seq = sequencer(rng);
    usedSequencers.add(seq.padEnd(32, '0'));
    planned.push({
      bytes: file.bytes, counts: file.counts,
      event: { bucket, key: `incoming/${unit}/Báo cáo tháng 6 lần ${i + 1}.csv`, size: file.bytes.length, etag: '', versionId: null, sequencer: seq, eventTime },
    });
  }
  // Make sure both edge cases occur: the newest upload is a rejected one, and the earliest
  // upload (before the due date) is a rejected one while every acceptable one came later.
  const rejected = planned.find((p) => p.counts === null)!;
  if (scenario % 3 === 0) rejected.event.eventTime = new Date(WINDOW_START + WINDOW_MINUTES * 60_000 + 3_600_000).toISOString();
  if (scenario % 3 === 1) {
    rejected.event.eventTime = new Date(WINDOW_START - 3_600_000).toISOString();
    for (const p of planned) if (p !== rejected && Date.parse(p.event.eventTime) < DUE) p.event.eventTime = new Date(DUE + rng.int(1, 4 * 24 * 60) * 60_000).toISOString();
  }
  return planned;
}

function expectedStatus(unit: string, uploads: PlannedUpload[]): Omit<UnitStatus, 'period'> & { uploadId: string } {
  const acceptable = uploads.filter((u) => u.counts !== null);
  const newest = acceptable.reduce((a, b) => (newer(b.event, a.event) ? b : a));
  const first = Math.min(...acceptable.map((u) => Date.parse(u.event.eventTime)));
  return {
    unit, uploadId: uploadIdOf(newest.event), counts: newest.counts,
    status: first < DUE ? 'on_time' : 'late', received_at: new Date(first).toISOString(),
  };
}

describe(`ingest order: ${SCENARIOS} seeded scenarios, events in random order with repeats`, () => {
  const registry = plan128Registry();
  const units = registry.units.filter((u) => u.level === 'commune').slice(100, 100 + SCENARIOS).map((u) => u.code);
  // One bucket; one report store per delivery style: the two runs of a scenario never see each other's writes.
  const objects = new MemoryObjectStore();
  const deps = (): IngestDeps => ({
    objects, reports: new MemoryReportStore(), mailer: null, units: fixedUnits(registry), periods: PLAN_128_PERIODS,
  });
  const sequential = deps();
  const concurrent = deps();

  it.each(Array.from({ length: SCENARIOS }, (_, i) => i))('scenario %i', async (scenario) => {
    const unit = units[scenario];
    const uploads = plan(scenario, unit, BUCKET);
    for (const u of uploads) {
      await objects.put(u.event.key, u.bytes, 'text/csv');
      u.event.etag = createHash('md5').update(u.bytes).digest('hex'); // S3's ETag of a single-part upload
    }
    const ids = new Set(uploads.map((u) => uploadIdOf(u.event)));
    expect(ids.size).toBe(uploads.length);
    const expected = expectedStatus(unit, uploads);

    const rng = seeded(scenario * 7919 + 1);
    const deliveries = (): UploadEvent[] => {
      const repeats = Array.from({ length: rng.int(1, 4) }, () => rng.pick(uploads).event);
      return rng.shuffle([...uploads.map((u) => u.event), ...repeats]).map((e) => ({ ...e }));
    };

    const statuses: UnitStatus[] = [];
    for (const [style, run] of [['sequential', sequential], ['concurrent', concurrent]] as const) {
      const order = deliveries();
      if (style === 'sequential') for (const e of order) await ingestUpload(run, e);
      else await eachLimited(order, 3, (e) => ingestUpload(run, e)); // overlapping deliveries race on the same items
      const label = `${style}, order ${order.map((e) => uploads.findIndex((u) => u.event.key === e.key)).join(' ')}`;

      const current = await run.reports.getCurrent(PERIOD, unit);
      expect(current?.uploadId, label).toBe(expected.uploadId);
      expect(current?.counts, label).toEqual(expected.counts);

      const history = await run.reports.unitHistory(unit, 1000);
      expect(history.map((r) => r.uploadId).sort(), label).toEqual([...ids].sort());
      for (const r of history) {
        const planned = uploads.find((u) => uploadIdOf(u.event) === r.uploadId)!;
        if (planned.counts === null) expect(r.outcome, label).toBe('rejected');
        else {
          expect(['accepted', 'unchanged'], label).toContain(r.outcome);
          expect(r.counts, label).toEqual(planned.counts);
        }
      }
      const listed = await run.reports.listPeriod(PERIOD);
      expect(listed.uploads.filter((u) => u.unit === unit), label).toHaveLength(uploads.length);

      const [status] = periodStatus([registry.get(unit)!], PERIOD, listed, PLAN_128_PERIODS);
      const { uploadId: _, ...want } = expected;
      expect(status, label).toEqual({ ...want, period: PERIOD });
      statuses.push(status);
    }
    expect(statuses[1]).toEqual(statuses[0]);
  });
});

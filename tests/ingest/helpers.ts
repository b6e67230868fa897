// Shared by the ingest integration tests: temp homes, seeded randomness, CSV-template report
// files built inline (valid by construction, or broken on purpose), and upload records.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { makeRng, type Rng } from '../../scripts/generate/report-files.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COUNT_KEYS, type Counts } from '../../shared/report-file/counts.ts';
import type { Procedure } from '../../shared/report-file/detail.ts';
import { orderKey, type UploadRecord } from '../../shared/ingest/upload.ts';

export { SAMPLES } from '../fixtures/samples.ts';

export const CSV_HEADER =
  'unit_code,period,field,received_online,received_direct,received_postal,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue,returned_postal';

const homes: string[] = [];
export async function tempHome(prefix = 'tthc-ingest-'): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), prefix));
  homes.push(home);
  return home;
}
export async function removeTempHomes(): Promise<void> {
  await Promise.all(homes.splice(0).map((h) => rm(h, { recursive: true, force: true })));
}

/** The generator's seeded RNG: the same sequence on every machine for a seed. */
export const seeded = (seed: number): Rng => makeRng(seed);
export type { Rng };

/** One field row, balanced: online + direct + postal + carried = resolved + pending. */
export function randomRowCounts(rng: Rng, scale = 200): Counts {
  const online = rng.int(0, scale);
  const direct = rng.int(0, scale);
  const postal = rng.int(0, Math.ceil(scale / 20));
  const carried = rng.int(0, Math.ceil(scale / 3));
  const total = online + direct + postal + carried;
  const resolved = rng.int(0, total);
  const early = rng.int(0, resolved);
  const overdue = rng.int(0, resolved - early);
  const overduePending = rng.int(0, total - resolved);
  return {
    received_online: online, received_direct: direct, received_postal: postal, carried_over: carried,
    resolved_early: early, resolved_on_time: resolved - early - overdue, resolved_overdue: overdue,
    pending_within: total - resolved - overduePending, pending_overdue: overduePending,
    returned_postal: rng.int(0, postal),
  };
}

export function sumRows(rows: Counts[]): Counts {
  const out = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as unknown as Counts;
  for (const row of rows) for (const k of COUNT_KEYS) (out as unknown as Record<string, number>)[k] += row[k] ?? 0;
  return out;
}

export interface CsvField {
  field: string;
  counts: Counts;
}

const FIELDS = ['Hộ tịch', 'Chứng thực', 'Đất đai', 'Tư pháp', 'Xây dựng', 'Đăng ký kinh doanh', 'Lao động – Thương binh và Xã hội'];

/** A valid CSV-template report and the counts the reader must find in it. */
export function csvReport(unit: string, period: string, fields: CsvField[]): { bytes: Buffer; counts: Counts } {
  const lines = [CSV_HEADER, ...fields.map(({ field, counts: c }) =>
    [unit, period, `"${field}"`, ...COUNT_KEYS.map((k) => String(c[k] ?? 0))].join(','))];
  return { bytes: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8'), counts: sumRows(fields.map((f) => f.counts)) };
}

export function randomCsvReport(rng: Rng, unit: string, period: string): { bytes: Buffer; counts: Counts } {
  const n = rng.int(1, 4);
  const names = rng.shuffle(FIELDS).slice(0, n);
  return csvReport(unit, period, names.map((field) => ({ field, counts: randomRowCounts(rng) })));
}

/** A CSV report that must be rejected: a non-number in row 3, column E (received_direct). */
export function badCsvReport(unit: string, period: string): Buffer {
  return Buffer.from([
    CSV_HEADER,
    `${unit},${period},Hộ tịch,10,5,1,2,3,4,1,9,1,0`,
    `${unit},${period},Đất đai,10,mười hai,1,2,3,4,1,9,1,0`,
  ].join('\n') + '\n', 'utf8');
}

/** A procedure list of roughly `bytes` of JSON, with Vietnamese names and the nulls the type allows. */
export function bigProcedures(count: number, seed = 1): Procedure[] {
  return Array.from({ length: count }, (_, i) => ({
    code: i % 5 === 0 ? null : `1.${String(seed).padStart(3, '0')}.${String(i).padStart(4, '0')}`,
    // A hash in each name keeps the list incompressible (the store gzips procedure lists), so
    // items stay large enough to push a period past DynamoDB's 1 MB query page.
    name: `Thủ tục cấp giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu số ${i} (${seed}) ${createHash('sha256').update(`${seed}/${i}`).digest('hex')}`,
    online_level: i % 3 === 0 ? 'full' : i % 3 === 1 ? 'partial' : null,
    received_online: i * 3 + seed,
    received_direct: i,
    received_postal: i % 4 === 0 ? null : i % 7,
  }));
}

export const SAMPLE_COUNTS: Counts = {
  received_online: 6064, received_direct: 5584, received_postal: 424, carried_over: 3326, resolved_early: 4053,
  resolved_on_time: 7460, resolved_overdue: 304, pending_within: 3373, pending_overdue: 208, returned_postal: 13,
};

export function uploadRecord(over: Partial<UploadRecord> & { unit: string; period: string; uploadId: string }): UploadRecord {
  const eventTime = over.eventTime ?? '2022-06-18T02:00:00.000Z';
  const sequencer = over.sequencer ?? '0062A1B2C3D4E5F6A7';
  return {
    periodFromFile: true,
    key: `incoming/${over.unit}/Báo cáo tháng ${over.period.slice(5)}.csv`,
    fileName: `Báo cáo tháng ${over.period.slice(5)}.csv`,
    size: 1234,
    etag: 'd41d8cd98f00b204e9800998ecf8427e',
    versionId: null,
    contentHash: 'ab'.repeat(32),
    outcome: 'accepted',
    notifiedAt: null,
    layout: 'csv',
    counts: SAMPLE_COUNTS,
    procedures: [],
    errors: [],
    warnings: [],
    processedAt: '2022-06-18T02:00:01.234Z',
    ...over,
    eventTime,
    sequencer,
    orderKey: orderKey(eventTime, sequencer),
  };
}


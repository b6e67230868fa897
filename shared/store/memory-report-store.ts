// The report store in memory: the domain's test double, with the DynamoDB adapter's
// semantics (tests/ingest/store-contract.test.ts runs the same contract on both). Records go
// in and out as copies, so a caller's later change never reaches what was stored.
import type { UnitFigures, UploadRecord, UploadSummary } from '../ingest/upload.ts';
import type { Counts } from '../report-file/counts.ts';
import { storedCurrent, storedUpload } from './item-limits.ts';
import type { IngestView, PeriodReports, Publication, ReportStore } from './report-store.ts';

const copy = <T>(value: T): T => structuredClone(value);
/** Text order, as DynamoDB orders string sort keys (by UTF-8 bytes; our keys are ASCII). */
const byKey = <T>(entries: Iterable<[string, T]>): T[] =>
  [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);

export class MemoryReportStore implements ReportStore {
  private readonly uploads = new Map<string, UploadRecord>();
  private readonly current = new Map<string, UnitFigures>();
  private readonly mails = new Set<string>();
  private readonly contents = new Map<string, string>();
  private readonly publications = new Map<string, Publication>();
  private readonly countNotes = new Map<string, Set<string>>();

  async putUpload(record: UploadRecord): Promise<'created' | 'exists'> {
    const key = uploadKey(record.period, record.unit, record.uploadId);
    if (this.uploads.has(key)) return 'exists';
    this.uploads.set(key, copy(storedUpload(record).stored));
    return 'created';
  }

  async getUpload(period: string, unit: string, uploadId: string): Promise<UploadRecord | null> {
    const r = this.uploads.get(uploadKey(period, unit, uploadId));
    return r ? copy(r) : null;
  }

  async markNotified(period: string, unit: string, uploadId: string, at: string): Promise<void> {
    const r = this.uploads.get(uploadKey(period, unit, uploadId));
    if (!r) throw new Error(`no upload ${period}/${unit}/${uploadId} to mark notified`);
    r.notifiedAt = at;
  }

  async moveCurrent(report: UnitFigures): Promise<'moved' | 'newer_exists'> {
    const key = `${report.period}#${report.unit}`;
    const held = this.current.get(key);
    if (held && !(held.orderKey < report.orderKey || (held.orderKey === report.orderKey && held.uploadId === report.uploadId))) {
      return 'newer_exists';
    }
    this.current.set(key, copy(storedCurrent(report).stored));
    return 'moved';
  }

  async getCurrent(period: string, unit: string): Promise<UnitFigures | null> {
    const c = this.current.get(`${period}#${unit}`);
    return c ? copy(c) : null;
  }

  async claimUploadMail(period: string, unit: string, uploadId: string): Promise<boolean> {
    const key = uploadKey(period, unit, uploadId);
    if (this.mails.has(key)) return false;
    this.mails.add(key);
    return true;
  }

  async releaseUploadMail(period: string, unit: string, uploadId: string): Promise<void> {
    this.mails.delete(uploadKey(period, unit, uploadId));
  }

  async claimContent(period: string, unit: string, contentHash: string, basedOn: string, uploadId: string): Promise<string> {
    const key = `${period}#${unit}#${contentHash}#${basedOn}`;
    const holder = this.contents.get(key);
    if (holder !== undefined) return holder;
    this.contents.set(key, uploadId);
    return uploadId;
  }

  async claimPublication(period: string, at: string): Promise<boolean> {
    if (this.publications.has(period)) return false;
    this.publications.set(period, { period, claimedAt: at, sentAt: null, messageId: null });
    return true;
  }

  async releasePublication(period: string): Promise<void> {
    // A report already sent stays published: only an unsent claim is given back.
    if (this.publications.get(period)?.sentAt === null) this.publications.delete(period);
  }

  async markPublished(period: string, sentAt: string, messageId: string, readAt?: string): Promise<void> {
    const claimedAt = readAt ?? this.publications.get(period)?.claimedAt ?? sentAt;
    this.publications.set(period, { period, claimedAt, sentAt, messageId });
  }

  async getPublication(period: string): Promise<Publication | null> {
    const p = this.publications.get(period);
    return p ? copy(p) : null;
  }

  async listPeriod(period: string): Promise<PeriodReports> {
    const current = byKey([...this.current.values()].filter((c) => c.period === period).map((c) => [c.unit, copy(c)] as [string, UnitFigures]));
    const uploads = byKey([...this.uploads.values()].filter((u) => u.period === period).map((u): [string, UploadSummary] =>
      [`${u.unit}#${u.uploadId}`, {
        uploadId: u.uploadId, unit: u.unit, period: u.period, eventTime: u.eventTime, processedAt: u.processedAt, outcome: u.outcome,
        counts: copy(u.counts), warnings: u.warnings.map((w) => ({ code: w.code, message: w.message })),
      }]));
    return { current, uploads };
  }

  async ingestView(period: string, unit: string, earlierPeriods: readonly string[], countsHash?: string): Promise<IngestView> {
    const current = this.current.get(`${period}#${unit}`);
    const earlier = earlierPeriods.flatMap((p) => {
      const c = this.current.get(`${p}#${unit}`);
      return c ? [{ period: p, counts: copy(c.counts) }] : [];
    });
    return {
      current: current ? { uploadId: current.uploadId, orderKey: current.orderKey, contentHash: current.contentHash } : null,
      publication: await this.getPublication(period),
      earlier,
      notedUnits: countsHash === undefined ? [] : [...this.countNotes.get(`${period}#${countsHash}`) ?? []].sort(),
    };
  }

  async noteCounts(period: string, unit: string, countsHash: string): Promise<void> {
    const key = `${period}#${countsHash}`;
    const units = this.countNotes.get(key) ?? new Set<string>();
    this.countNotes.set(key, units.add(unit));
  }

  async currentCounts(period: string, units: readonly string[]): Promise<Array<{ unit: string; counts: Counts }>> {
    return [...new Set(units)].flatMap((unit) => {
      const c = this.current.get(`${period}#${unit}`);
      return c ? [{ unit, counts: copy(c.counts) }] : [];
    });
  }

  async unitHistory(unit: string, limit = 100): Promise<UploadRecord[]> {
    const mine = [...this.uploads.values()].filter((u) => u.unit === unit).map((u): [string, UploadRecord] => [`${u.orderKey}#${u.uploadId}`, u]);
    return byKey(mine).reverse().slice(0, limit).map(copy);
  }
}

function uploadKey(period: string, unit: string, uploadId: string): string {
  return `${period}#${unit}#${uploadId}`;
}

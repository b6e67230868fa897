// The ingest use case without emulators: IngestDeps on the memory stores (which pass the same
// contracts as S3 and DynamoDB: tests/store/object-store-contract.test.ts,
// tests/ingest/store-contract.test.ts), a mailer that counts and can fail like SES, and a clock
// the test owns. Events are built as S3 sends them once the handler's normalizer has decoded
// the key, and go through processS3Event, as the Lambda does: a record that fails makes the
// invocation fail (AggregateError) after the others are done. The adapters and the real path
// (s3rver event → middy handler → dynalite) stay tested in ingest.test.ts.
import { createHash } from 'node:crypto';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { processS3Event } from '../../functions/ingest/process-event.ts';
import { verdictOf, type IngestDeps, type IngestVerdict } from '../../shared/ingest/ingest-upload.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import type { Mailer, MailMessage, SentMail } from '../../shared/ports.ts';
import { periodStatus, type UnitStatus } from '../../shared/status.ts';
import { MemoryObjectStore } from '../../shared/store/memory-object-store.ts';
import { MemoryReportStore } from '../../shared/store/memory-report-store.ts';
import type { ReportStore } from '../../shared/store/report-store.ts';
import { PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { UnitRegistry } from '../../shared/units/registry.ts';
import { fixedUnits } from '../../shared/units/units-in-force.ts';

export const contactOf = (unit: string) => `van-thu.${unit.toLowerCase()}@haiphong.gov.vn`;

/** Counts what would be sent; the next `failures` sends throw, as a throttled SES does. */
export class CountingMailer implements Mailer {
  sent: MailMessage[] = [];
  failures = 0;
  async send(m: MailMessage): Promise<SentMail> {
    if (this.failures > 0) {
      this.failures--;
      throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'TooManyRequestsException' });
    }
    this.sent.push(m);
    return { messageId: `m-${this.sent.length}` };
  }
  to(unit: string): MailMessage[] {
    return this.sent.filter((m) => m.to.includes(contactOf(unit)));
  }
}

/** The store, with one method throwing (as a throttled DynamoDB does) its next `times` calls, for chosen units or all. */
export function storeFailing(inner: ReportStore, method: keyof ReportStore, times: number, unit?: string): ReportStore {
  let left = times;
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        // Each method's unit is its second argument, or the record's (putUpload, moveCurrent).
        const about = typeof args[1] === 'string' ? args[1] : (args[0] as { unit?: string } | undefined)?.unit;
        if (prop === method && left > 0 && (unit === undefined || about === unit)) {
          left--;
          throw Object.assign(new Error('The level of configured provisioned throughput for the table was exceeded.'), { name: 'ProvisionedThroughputExceededException' });
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export const BUCKET = 'tthc-reports';

export class MemoryIngest {
  readonly objects: MemoryObjectStore;
  readonly store = new MemoryReportStore();
  readonly mailer = new CountingMailer();
  /** The test's clock: S3's receive time of the next put, and the use case's "now". Each put moves it one second on. */
  now: Date;
  readonly deps: IngestDeps;
  private sequence = 0x62a1b2c3d4e5;

  /**
   * Every unit of the 2022 plan, each with a contact address. The clock starts after the due
   * day of 06/2022 unless told; versioned: the bucket keeps versions and events name them.
   */
  constructor({ start = '2022-06-22T09:00:00+07:00', versioned = false }: { start?: string; versioned?: boolean } = {}) {
    this.now = new Date(start);
    this.objects = new MemoryObjectStore({ versioned });
    const registry = new UnitRegistry(PLAN_128_UNITS.map((u) => ({ ...u, contactEmail: contactOf(u.code) })));
    this.deps = {
      objects: this.objects, reports: this.store, mailer: this.mailer,
      units: fixedUnits(registry), periods: PLAN_128_PERIODS, clock: () => new Date(this.now),
    };
  }

  /** Stores the objects and returns the records S3 would send for them, as one event (eventTime: the clock, or the one given). */
  async put(...files: Array<{ key: string; bytes: Buffer; eventTime?: string; size?: number }>): Promise<S3Event> {
    const records: S3EventRecord[] = [];
    for (const f of files) {
      await this.objects.put(f.key, f.bytes, 'application/octet-stream');
      this.now = new Date(this.now.getTime() + 1000);
      records.push(this.record(f.key, f.bytes, f.eventTime ?? this.now.toISOString(), f.size));
    }
    return { Records: records };
  }

  /** One Lambda invocation's work on the event (a copy: deliveries never share state). */
  async deliver(event: S3Event, deps: IngestDeps = this.deps): Promise<IngestVerdict[]> {
    return (await processS3Event(deps, structuredClone(event))).map(verdictOf);
  }

  /** put() then deliver() of one object: its verdict. */
  async upload(key: string, bytes: Buffer, eventTime?: string): Promise<IngestVerdict> {
    const [verdict] = await this.deliver(await this.put({ key, bytes, eventTime }));
    return verdict;
  }

  async text(key: string): Promise<string | null> {
    return await this.objects.exists(key) ? (await this.objects.get(key)).bytes.toString('utf8') : null;
  }

  async statusOf(unit: string, period: string): Promise<UnitStatus> {
    return periodStatus([PLAN_128_UNITS.find((u) => u.code === unit)!], period, await this.store.listPeriod(period), PLAN_128_PERIODS)[0];
  }

  /** An ObjectCreated:Put record as S3 sends it, key decoded (the handler's normalizer has run). */
  private record(key: string, bytes: Buffer, eventTime: string, size = bytes.length): S3EventRecord {
    const versionId = this.objects.versionsOf(key).at(-1);
    return {
      eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'ap-southeast-1', eventTime, eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:clerk' }, requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'memory', 'x-amz-id-2': 'memory' },
      s3: {
        s3SchemaVersion: '1.0', configurationId: 'ingest',
        bucket: { name: BUCKET, ownerIdentity: { principalId: 'tthc' }, arn: `arn:aws:s3:::${BUCKET}` },
        object: {
          key, size, eTag: createHash('md5').update(bytes).digest('hex'),
          ...(versionId && versionId !== 'null' ? { versionId } : {}),
          sequencer: (this.sequence++).toString(16).toUpperCase().padStart(18, '0'),
        },
      },
    };
  }
}

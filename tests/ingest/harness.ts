// The ingest function on the emulators, for tests that decide how events are delivered:
// s3rver's real events are captured, then handed to the middy handler (once, concurrently,
// again) with a store and a mailer the test may swap. The mailer counts and can fail like SES.
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { dynamoClient, s3Client } from '../../functions/commons/clients.ts';
import { DynamoReportStore, ensureReportTable } from '../../functions/commons/dynamodb-report-store.ts';
import { S3ObjectStore } from '../../functions/commons/s3-object-store.ts';
import { makeIngestHandler } from '../../functions/ingest/handler.ts';
import { lambdaContext } from '../../infra/local/runner.ts';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import type { IngestDeps, IngestVerdict } from '../../shared/ingest/ingest-upload.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import type { Mailer, MailMessage, SentMail } from '../../shared/ports.ts';
import { periodStatus, type UnitStatus } from '../../shared/status.ts';
import { PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { UnitRegistry } from '../../shared/units/registry.ts';
import { fixedUnits } from '../../shared/units/units-in-force.ts';
import { tempHome } from './helpers.ts';

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

export class IngestHarness {
  stack!: LocalStack;
  s3!: S3Client;
  db!: DynamoDBClient;
  store!: DynamoReportStore;
  mailer = new CountingMailer();
  deps!: IngestDeps;
  /** Records s3rver emitted since the last put(). */
  readonly captured: S3EventRecord[] = [];

  /** Every unit of the 2022 plan, each with a contact address. */
  async start(over: Partial<IngestDeps> = {}): Promise<void> {
    this.stack = await startLocalStack({ home: await tempHome(), dynamo: 'dynalite' });
    this.stack.onObjectCreated((event) => void this.captured.push(...structuredClone(event.Records)));
    this.s3 = s3Client(this.stack.endpoints.s3);
    this.db = dynamoClient(this.stack.endpoints.dynamodb);
    await ensureReportTable(this.db, this.stack.table);
    this.store = new DynamoReportStore(this.db, this.stack.table);
    const registry = new UnitRegistry(PLAN_128_UNITS.map((u) => ({ ...u, contactEmail: contactOf(u.code) })));
    this.deps = {
      objects: new S3ObjectStore(this.s3, this.stack.bucket), reports: this.store, mailer: this.mailer,
      units: fixedUnits(registry), periods: PLAN_128_PERIODS, ...over,
    };
  }

  async stop(): Promise<void> {
    this.s3?.destroy();
    this.db?.destroy();
    await this.stack?.stop();
  }

  /** Puts the objects and returns the records s3rver emitted for them, as one S3 event. */
  async put(...files: Array<{ key: string; bytes: Buffer }>): Promise<S3Event> {
    await this.stack.idle();
    this.captured.length = 0;
    for (const f of files) await this.s3.send(new PutObjectCommand({ Bucket: this.stack.bucket, Key: f.key, Body: f.bytes }));
    await this.stack.idle();
    expect(this.captured).toHaveLength(files.length);
    return { Records: this.captured.splice(0) };
  }

  /** One Lambda invocation with the event as S3 sent it (eventTime: as if S3 had received the objects then). */
  deliver(event: S3Event, deps: IngestDeps = this.deps, eventTime?: string): Promise<IngestVerdict[]> {
    const copy = structuredClone(event);
    if (eventTime) for (const r of copy.Records) r.eventTime = new Date(eventTime).toISOString();
    return makeIngestHandler(() => deps)(copy, lambdaContext('tthc-ingest'));
  }

  /** put() then deliver() of one object: its verdict. */
  async upload(key: string, bytes: Buffer, eventTime?: string): Promise<IngestVerdict> {
    const [verdict] = await this.deliver(await this.put({ key, bytes }), this.deps, eventTime);
    return verdict;
  }

  async text(key: string): Promise<string | null> {
    try {
      return await (await this.s3.send(new GetObjectCommand({ Bucket: this.stack.bucket, Key: key }))).Body!.transformToString('utf-8');
    } catch (e) {
      if (e instanceof NoSuchKey) return null;
      throw e;
    }
  }

  async statusOf(unit: string, period: string): Promise<UnitStatus> {
    return periodStatus([PLAN_128_UNITS.find((u) => u.code === unit)!], period, await this.store.listPeriod(period), PLAN_128_PERIODS)[0];
  }
}

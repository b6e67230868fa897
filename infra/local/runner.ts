// The pipeline on this machine: the local AWS stack under TTHC_HOME, with S3 events fed to
// the very handler Lambda runs. Only endpoints and the mail transport differ from AWS.
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Context, S3Event } from 'aws-lambda';
import { dynamoClient, s3Client } from '../../functions/commons/clients.ts';
import { ensureReportTable, DynamoReportStore } from '../../functions/commons/dynamodb-report-store.ts';
import { S3ObjectStore } from '../../functions/commons/s3-object-store.ts';
import type { IngestVerdict } from '../../shared/ingest/ingest-upload.ts';
import { isNotifiedKey } from '../../shared/bucket-layout.ts';
import { applyLocalEnv, encodeS3EventKey, startLocalStack, type DynamoBackend, type LocalStack } from './stack.ts';

export const DEFAULT_MAIL_FROM = 'bao-cao-dvc@haiphong.gov.vn';
export const DEFAULT_RECIPIENTS = 'lanh-dao-ubnd@haiphong.gov.vn,van-phong-ubnd@haiphong.gov.vn';

export function tthcHome(): string {
  return resolve(process.env.TTHC_HOME ?? '.tthc');
}

export interface LocalPipeline {
  home: string;
  stack: LocalStack;
  store: DynamoReportStore;
  objects: S3ObjectStore;
  /** Event times (ISO-8601) to put on the next events for these keys (`tthc ingest --at`). */
  eventTimes: { set(key: string, at: string): void };
  /** The ingest handler's verdict on the latest upload under this key, once it has run. */
  verdicts: Map<string, IngestVerdict>;
}

/** Lambda's async invocation: the first try and two retries. */
const ATTEMPTS = 3;

export function lambdaContext(functionName: string): Context {
  return {
    functionName, functionVersion: '$LATEST', awsRequestId: randomUUID(), memoryLimitInMB: '1024',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    logGroupName: `/aws/lambda/${functionName}`, logStreamName: 'local', callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 60_000, done: () => undefined, fail: () => undefined, succeed: () => undefined,
  };
}

// The ingest function (its readers, middy, Powertools) loads with the first upload, as a Lambda
// container starts on its first event: `tthc status` and the other readers upload nothing.
const ingestHandler = async () => (await import('../../functions/ingest/handler.ts')).handler;

export async function startLocalPipeline(options: { home?: string; dynamo?: DynamoBackend } = {}): Promise<LocalPipeline> {
  const home = options.home ?? tthcHome();
  const started = await startLocalStack({ home, persist: true, dynamo: options.dynamo });
  // The functions' settings, as the stack gives them to each Lambda; a person's own
  // TTHC_OUTBOX_DIR, TTHC_MAIL_FROM or TTHC_REPORT_RECIPIENTS wins. Until the stack stops:
  // a second pipeline in the same process (tests) gets its own home's outbox.
  const restoreEnv = applyLocalEnv(started, {
    TTHC_OUTBOX_DIR: process.env.TTHC_OUTBOX_DIR ?? join(home, 'outbox'),
    TTHC_MAIL_FROM: process.env.TTHC_MAIL_FROM ?? DEFAULT_MAIL_FROM,
    TTHC_REPORT_RECIPIENTS: process.env.TTHC_REPORT_RECIPIENTS ?? DEFAULT_RECIPIENTS,
  });
  const stack: LocalStack = {
    ...started,
    stop: async () => {
      try {
        await started.stop();
      } finally {
        restoreEnv();
      }
    },
  };
  await ensureReportTable(dynamoClient(), stack.table);

  // Keyed as the event spells the key (URL-encoded): only the handler decodes keys.
  const eventTimes = new Map<string, string>();
  const verdicts = new Map<string, IngestVerdict>();
  stack.onObjectCreated(async (raw: S3Event) => {
    // As the bucket's notification filters do in AWS: only incoming/ and config/ reach the function.
    const event: S3Event = { Records: raw.Records.filter((r) => isNotifiedKey(r.s3.object.key)) };
    if (event.Records.length === 0) return;
    for (const record of event.Records) {
      const at = eventTimes.get(record.s3.object.key);
      if (at) record.eventTime = new Date(at).toISOString();
    }
    for (let attempt = 1; ; attempt++) {
      try {
        // Each attempt gets the event as S3 sent it (the handler's normalizer decodes in place).
        const results = await (await ingestHandler())(structuredClone(event), lambdaContext('tthc-ingest'));
        for (const r of results) verdicts.set(r.key, r);
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS) throw error;
      }
    }
  });
  return {
    home, stack, verdicts,
    eventTimes: { set: (key, at) => void eventTimes.set(encodeS3EventKey(key), at) },
    store: new DynamoReportStore(dynamoClient(), stack.table),
    objects: new S3ObjectStore(s3Client(), stack.bucket),
  };
}

// The local AWS stack for the demo, the CLI and integration tests: s3rver (S3, ./s3.ts),
// dynalite or AWS DynamoDB Local (DynamoDB, ./dynamodb.ts) and aws-ses-v2-local (SES v2,
// ./ses.ts), all on free loopback ports. README.md, 'Local emulators', says what each lacks.
// S3 and SES listen at once but load their emulator on the first request (servers.ts,
// startDeferred): each command pays only for the services it calls.
import { join } from 'node:path';
import { startDynamo, type DynamoBackend } from './dynamodb.ts';
import { ObjectCreatedListeners, type ObjectCreatedListener } from './listeners.ts';
import { startS3, type S3Service } from './s3.ts';
import type { Service } from './servers.ts';
import { startSes } from './ses.ts';

export { waitForDynamo, type DynamoBackend } from './dynamodb.ts';
export { encodeS3EventKey } from './s3.ts';
export type { ObjectCreatedListener };

export interface LocalStackOptions {
  /** Root for emulator data: `${home}/s3` (always on disk), `${home}/dynamodb` (dynalite + persist). */
  home: string;
  /** dynalite: in-process, starts in ms. dynamodb-local: AWS's jar (java), ~3 s, has transactions/TTL. */
  dynamo?: DynamoBackend;
  bucket?: string;
  table?: string;
  /** Keep dynalite data on disk between runs. DynamoDB Local is always in memory. */
  persist?: boolean;
}

export interface LocalStack {
  endpoints: { s3: string; dynamodb: string; ses: string };
  bucket: string;
  /** Name for the app's table; the store creates it (it owns the schema). */
  table: string;
  dynamo: DynamoBackend;
  /** Called for every ObjectCreated:* in any bucket, with AWS's event shape (key URL-encoded). */
  onObjectCreated(listener: ObjectCreatedListener): void;
  /** Resolves when no listener call is in flight; rejects (AggregateError) if any failed since the last idle(). */
  idle(): Promise<void>;
  /** Waits for in-flight listeners, then closes every server/process. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const bucket = opts.bucket ?? 'tthc-reports';
  const table = opts.table ?? 'tthc-reports';
  const backend = opts.dynamo ?? 'dynalite';

  // Start all three at once (DynamoDB Local dominates); if one fails, stop the others.
  const settled = await Promise.allSettled([
    startS3(join(opts.home, 's3'), bucket),
    startDynamo(backend, opts.persist ? join(opts.home, 'dynamodb') : undefined),
    startSes(),
  ]);
  const services = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(services.map((s) => s.stop()));
    throw failed.reason;
  }
  const [s3, dynamodb, ses] = services as [S3Service, Service, Service];

  const listeners = new ObjectCreatedListeners();
  s3.onEvent((event) => {
    if (event.Records.every((r) => r.eventName.startsWith('ObjectCreated:'))) listeners.dispatch(event);
  });
  const idle = () => listeners.idle();

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await idle().catch(() => undefined); // already logged
      const results = await Promise.allSettled([s3.stop(), dynamodb.stop(), ses.stop()]);
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
      if (errors.length) throw new AggregateError(errors, 'local stack did not stop cleanly');
    })());

  return {
    endpoints: { s3: s3.endpoint, dynamodb: dynamodb.endpoint, ses: ses.endpoint },
    bucket,
    table,
    dynamo: backend,
    onObjectCreated: (listener) => listeners.add(listener),
    idle,
    stop,
  };
}

/** Points the clients of functions/commons/clients.ts at the stack (and sets `more`). Returns a function restoring the previous env. */
export function applyLocalEnv(stack: LocalStack, more: Record<string, string> = {}): () => void {
  const values: Record<string, string> = {
    TTHC_S3_ENDPOINT: stack.endpoints.s3,
    TTHC_DYNAMODB_ENDPOINT: stack.endpoints.dynamodb,
    TTHC_SES_ENDPOINT: stack.endpoints.ses,
    TTHC_BUCKET: stack.bucket,
    TTHC_TABLE: stack.table,
    ...more,
  };
  const previous = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  let restored = false;
  return () => {
    if (restored) return; // once: a later stack's settings may be in place by a second call
    restored = true;
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

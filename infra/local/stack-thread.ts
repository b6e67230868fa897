// The local stack on its own thread: the emulators (s3rver, dynalite, SES) get a core of
// their own while the function code runs on the main thread, as S3 and DynamoDB run apart
// from Lambda in AWS. Same LocalStack interface; used by the benchmarks.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { S3Event } from 'aws-lambda';
import { ObjectCreatedListeners } from './listeners.ts';
import { startLocalStack, type LocalStack, type LocalStackOptions } from './stack.ts';

type FromWorker =
  | { type: 'ready'; endpoints: LocalStack['endpoints']; bucket: string; table: string; dynamo: LocalStack['dynamo'] }
  | { type: 'event'; event: S3Event }
  | { type: 'stopped' }
  | { type: 'error'; message: string };

if (!isMainThread && workerData?.tthcLocalStack) {
  const stack = await startLocalStack(workerData.options as LocalStackOptions).catch((e: Error) => {
    parentPort!.postMessage({ type: 'error', message: e.message } satisfies FromWorker);
    throw e;
  });
  stack.onObjectCreated((event) => parentPort!.postMessage({ type: 'event', event } satisfies FromWorker));
  parentPort!.on('message', async (m: { type: 'stop' }) => {
    if (m.type !== 'stop') return;
    await stack.stop();
    parentPort!.postMessage({ type: 'stopped' } satisfies FromWorker);
  });
  parentPort!.postMessage({ type: 'ready', endpoints: stack.endpoints, bucket: stack.bucket, table: stack.table, dynamo: stack.dynamo } satisfies FromWorker);
}

export async function startLocalStackThread(options: LocalStackOptions): Promise<LocalStack> {
  const worker = new Worker(new URL('./stack-worker.mjs', import.meta.url), { workerData: { tthcLocalStack: true, options } });
  const listeners = new ObjectCreatedListeners();
  let stopped: (() => void) | undefined;
  const ready = await new Promise<Extract<FromWorker, { type: 'ready' }>>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') resolve(m);
      else if (m.type === 'error') reject(new Error(m.message));
      else if (m.type === 'stopped') stopped?.();
      else if (m.type === 'event') listeners.dispatch(m.event);
    });
  });
  const idle = () => listeners.idle();
  let stopping: Promise<void> | undefined;
  return {
    endpoints: ready.endpoints, bucket: ready.bucket, table: ready.table, dynamo: ready.dynamo,
    onObjectCreated: (listener) => listeners.add(listener),
    idle,
    stop: () => (stopping ??= (async () => {
      await idle().catch(() => undefined);
      await new Promise<void>((resolve) => { stopped = resolve; worker.postMessage({ type: 'stop' }); });
      await worker.terminate();
    })()),
  };
}

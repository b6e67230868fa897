// S3 on this machine: s3rver, storing objects on disk, with its ObjectCreated events turned
// into the shape AWS sends (key URL-encoded, our region). s3rver (and Koa) load on the first
// request: a command that touches no object never pays for them.
import { createRequire } from 'node:module';
import type { RequestListener } from 'node:http';
import type { S3Event } from 'aws-lambda';
import { startDeferred, type Service } from './servers.ts';

// s3rver ships no types: load it with require and describe what we use.
const require = createRequire(import.meta.url);
interface S3rver {
  configureBuckets(): Promise<void>;
  callback(): RequestListener;
  logger: { close(): void };
  on(event: 'event', listener: (event: S3Event) => void): void;
}

const region = () => process.env.AWS_REGION ?? 'ap-southeast-1';

export interface S3Service extends Service {
  /** Every event s3rver raises, as AWS would send it. */
  onEvent(listener: (event: S3Event) => void): void;
}

export async function startS3(directory: string, bucket: string): Promise<S3Service> {
  const listeners: ((event: S3Event) => void)[] = [];
  const service = await startDeferred(async () => {
    const S3rverCtor = require('s3rver') as new (options: Record<string, unknown>) => S3rver;
    const s3rver = new S3rverCtor({
      silent: true,
      directory, // s3rver's only store is the file system: objects survive restarts
      vhostBuckets: false, // clients use path style
      configureBuckets: [{ name: bucket }], // created if missing, kept otherwise
    });
    s3rver.on('event', (raw) => { for (const listener of listeners) listener(toAwsEvent(raw)); });
    // What s3rver's run() does before it listens; our server is the one listening.
    await s3rver.configureBuckets();
    return { handle: s3rver.callback(), stop: async () => s3rver.logger.close() };
  });
  return { ...service, onEvent: (listener) => void listeners.push(listener) };
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

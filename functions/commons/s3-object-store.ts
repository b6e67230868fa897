// The ObjectStore port on S3: uploaded files in, feedback and workbooks out.
import { GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ObjectNotFound, type ObjectStore, type StoredObject } from '../../shared/ports.ts';

/**
 * S3's answers for a key or version that is not there. S3 answers 404 only to a caller allowed
 * s3:ListBucket (infra/constructs/ingest-function.ts); to others, 403, like any refusal. A
 * missing bucket (NoSuchBucket, also 404) is a broken deployment, not a missing object.
 */
const MISSING = new Set(['NoSuchKey', 'NoSuchVersion', 'NotFound']);

export class S3ObjectStore implements ObjectStore {
  constructor(private readonly client: S3Client, private readonly bucket: string) {}

  async get(key: string, versionId?: string | null): Promise<StoredObject> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId ?? undefined }))
      .catch((e: Error) => { throw MISSING.has(e.name) ? new ObjectNotFound(key, versionId, { cause: e }) : e; });
    const bytes = Buffer.from(await out.Body!.transformToByteArray());
    return { bytes, contentType: out.ContentType, versionId: out.VersionId ?? null };
  }

  async put(key: string, body: Buffer | string, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (e) {
      if (e instanceof NotFound || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw e;
    }
  }
}

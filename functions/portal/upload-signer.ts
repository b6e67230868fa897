// Presigned POSTs for the clerks' uploads: the policy pins the exact key the server chose
// (under incoming/<unit>/) and a body of 1 byte to the size limit, so S3 itself refuses a
// form whose key was moved to another unit's folder or whose file is too large.
import type { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import type { PresignedPost, UploadSigner } from '../../shared/portal/portal.ts';

/** A clerk has a quarter of an hour to start sending after choosing the file. */
export const UPLOAD_POST_EXPIRES_SECONDS = 900;

export class S3UploadSigner implements UploadSigner {
  constructor(private readonly client: S3Client, private readonly bucket: string) {}

  async presignPost(key: string, maxBytes: number): Promise<PresignedPost> {
    // s3-presigned-post pins its own client-s3 build; the client's shape is the same.
    const client = this.client as unknown as Parameters<typeof createPresignedPost>[0];
    const { url, fields } = await createPresignedPost(client, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [['eq', '$key', key], ['content-length-range', 1, maxBytes]],
      Expires: UPLOAD_POST_EXPIRES_SECONDS,
    });
    return { url, fields };
  }
}

// S3 notification records → the domain's UploadEvent. S3 URL-encodes keys in events
// (spaces as '+'), so a key must be decoded before it is used to fetch the object.
import type { S3EventRecord } from 'aws-lambda';
import type { UploadEvent } from '../../shared/ingest/upload.ts';

export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

export function toUploadEvent(record: S3EventRecord): UploadEvent {
  const { bucket, object } = record.s3;
  return {
    bucket: bucket.name,
    key: decodeS3Key(object.key),
    size: object.size,
    etag: (object.eTag ?? '').replace(/"/g, ''),
    versionId: object.versionId ?? null,
    sequencer: object.sequencer,
    eventTime: record.eventTime,
  };
}

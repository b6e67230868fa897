// What of an upload record the store keeps, so every item stays under DynamoDB's 400 KB:
// at most MAX_ISSUES issues of each kind (the unit's feedback in S3 carries them all).
// Both stores apply it, so the memory store reads back what DynamoDB would.
import type { UploadRecord } from '../ingest/upload.ts';

export const MAX_ISSUES = 100;

/** The record as stored and read back. */
export function storedUpload(r: UploadRecord): UploadRecord {
  return { ...r, errors: r.errors.slice(0, MAX_ISSUES), warnings: r.warnings.slice(0, MAX_ISSUES) };
}

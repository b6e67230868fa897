// The object store in memory: the domain's test double for the bucket, with the S3 adapter's
// semantics (tests/store/object-store-contract.test.ts runs the same contract on both). Bytes
// go in and out as copies, so a caller's later change never reaches what was stored.
import { ObjectNotFound, type ObjectStore, type StoredObject } from '../ports.ts';

interface Version {
  versionId: string;
  bytes: Buffer;
  contentType: string;
}

export class MemoryObjectStore implements ObjectStore {
  /** key → its versions, oldest first (one, replaced on each put, unless versioned). */
  private readonly objects = new Map<string, Version[]>();
  private nextVersion = 1;

  /** versioned: keep every put as a version, as a bucket with versioning enabled does. */
  constructor(private readonly options: { versioned?: boolean } = {}) {}

  async get(key: string, versionId?: string | null): Promise<StoredObject> {
    const versions = this.objects.get(key);
    // Without versioning, S3 stores every object as version "null" and keeps no other.
    const found = versionId && this.options.versioned ? versions?.find((v) => v.versionId === versionId) : versions?.at(-1);
    if (!found || (versionId && !this.options.versioned && versionId !== 'null')) throw new ObjectNotFound(key, versionId);
    return { bytes: Buffer.from(found.bytes), contentType: found.contentType, versionId: found.versionId };
  }

  async put(key: string, body: Buffer | string, contentType: string): Promise<void> {
    const version: Version = {
      versionId: this.options.versioned ? `v${String(this.nextVersion++).padStart(6, '0')}` : 'null',
      bytes: Buffer.from(typeof body === 'string' ? Buffer.from(body, 'utf8') : body),
      contentType,
    };
    const versions = this.options.versioned ? (this.objects.get(key) ?? []) : [];
    this.objects.set(key, [...versions, version]);
  }

  async exists(key: string): Promise<boolean> {
    return this.objects.has(key);
  }

  /** The version ids of a key, oldest first (what an S3 event's versionId would name); [] when absent. */
  versionsOf(key: string): string[] {
    return (this.objects.get(key) ?? []).map((v) => v.versionId);
  }

  /** Keys under a prefix, in S3's listing order (UTF-8 byte order). */
  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((k) => k.startsWith(prefix))
      .sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  }
}

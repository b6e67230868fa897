// The ObjectStore contract (shared/ports.ts), run against the S3 adapter over real HTTP on
// s3rver and against the in-memory store the use-case tests use. s3rver keeps no versions,
// so the version cases run on the memory store's versioned bucket only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '../../functions/commons/clients.ts';
import { S3ObjectStore } from '../../functions/commons/s3-object-store.ts';
import { startS3, type S3Service } from '../../infra/local/s3.ts';
import { ObjectNotFound, type ObjectStore } from '../../shared/ports.ts';
import { MemoryObjectStore } from '../../shared/store/memory-object-store.ts';

type Backend = 's3rver' | 'memory';

describe.each<Backend>(['s3rver', 'memory'])('ObjectStore contract: %s', (backend) => {
  let home: string | undefined;
  let s3: S3Service | undefined;
  let client: S3Client | undefined;
  let store: ObjectStore;

  beforeAll(async () => {
    if (backend === 'memory') {
      store = new MemoryObjectStore();
      return;
    }
    home = await mkdtemp(join(tmpdir(), 'tthc-objects-'));
    s3 = await startS3(join(home, 's3'), 'tthc-contract');
    client = s3Client(s3.endpoint);
    store = new S3ObjectStore(client, 'tthc-contract');
  });
  afterAll(async () => {
    client?.destroy();
    await s3?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('put then get: the same bytes and content type; text is stored as UTF-8', async () => {
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x80, 0x0a]);
    await store.put('incoming/S01/Báo cáo tháng 6.xlsx', bytes, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const back = await store.get('incoming/S01/Báo cáo tháng 6.xlsx');
    expect(back.bytes.equals(bytes)).toBe(true);
    expect(back.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    const text = 'KẾT QUẢ TIẾP NHẬN BÁO CÁO HỒ SƠ TTHC\nĐơn vị: Sở Công Thương (S01)\n';
    await store.put('results/S01/abc.txt', text, 'text/plain; charset=utf-8');
    const got = await store.get('results/S01/abc.txt');
    expect(got.bytes.toString('utf8')).toBe(text);
    expect(got.bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(got.contentType).toBe('text/plain; charset=utf-8');
  });

  it('a second put of the key replaces the object; no version asked for reads the newest', async () => {
    await store.put('incoming/H03/bc.csv', 'lần 1', 'text/csv');
    await store.put('incoming/H03/bc.csv', 'lần 2, dài hơn', 'text/csv; charset=utf-8');
    const got = await store.get('incoming/H03/bc.csv');
    expect(got.bytes.toString('utf8')).toBe('lần 2, dài hơn');
    expect(got.contentType).toBe('text/csv; charset=utf-8');
    expect((await store.get('incoming/H03/bc.csv', null)).bytes.toString('utf8')).toBe('lần 2, dài hơn');
  });

  it('exists: true for a stored key, false for one never written or only a prefix of one', async () => {
    await store.put('results/X020/u1.json', '{}\n', 'application/json; charset=utf-8');
    expect(await store.exists('results/X020/u1.json')).toBe(true);
    expect(await store.exists('results/X020/u2.json')).toBe(false);
    expect(await store.exists('results/X020/u1')).toBe(false);
    expect(await store.exists('results/X020/')).toBe(false);
  });

  it('get of a key never written rejects with ObjectNotFound', async () => {
    await expect(store.get('incoming/S09/không có.csv')).rejects.toBeInstanceOf(ObjectNotFound);
    await expect(store.get('incoming/S09/không có.csv')).rejects.toMatchObject({ key: 'incoming/S09/không có.csv' });
  });

  it('keys S3 must encode (spaces, diacritics, +, ~, parentheses) are distinct and read back', async () => {
    const keys = ['incoming/X030/Báo cáo T6 + bổ sung (bản ~2).csv', 'incoming/X030/Báo cáo T6   bổ sung (bản ~2).csv', 'incoming/X030/Bao cao T6.csv'];
    for (const [i, key] of keys.entries()) await store.put(key, `tệp ${i}`, 'text/csv');
    for (const [i, key] of keys.entries()) expect((await store.get(key)).bytes.toString('utf8'), key).toBe(`tệp ${i}`);
  });

  it('an empty body is an object of zero bytes', async () => {
    await store.put('incoming/S01/2022/', Buffer.alloc(0), 'application/x-directory');
    expect(await store.exists('incoming/S01/2022/')).toBe(true);
    expect((await store.get('incoming/S01/2022/')).bytes).toHaveLength(0);
  });

  it('what was put or got is a copy: changing the caller\'s buffer later changes nothing stored', async () => {
    const bytes = Buffer.from('unit_code,period\nS01,2022-06\n', 'utf8');
    await store.put('incoming/S01/copy.csv', bytes, 'text/csv');
    bytes.fill(0x21);
    const first = await store.get('incoming/S01/copy.csv');
    expect(first.bytes.toString('utf8')).toBe('unit_code,period\nS01,2022-06\n');
    first.bytes.fill(0x21);
    expect((await store.get('incoming/S01/copy.csv')).bytes.toString('utf8')).toBe('unit_code,period\nS01,2022-06\n');
  });
});

describe('MemoryObjectStore with versioning (as S3 with versioning enabled; s3rver has none)', () => {
  it('each put is a version: get(key, versionId) reads that exact upload, get(key) the newest', async () => {
    const store = new MemoryObjectStore({ versioned: true });
    await store.put('incoming/S01/bc.csv', 'lần 1', 'text/csv');
    await store.put('incoming/S01/bc.csv', 'lần 2', 'text/csv');
    const [v1, v2] = store.versionsOf('incoming/S01/bc.csv');
    expect(v1).not.toBe(v2);
    expect((await store.get('incoming/S01/bc.csv', v1)).bytes.toString('utf8')).toBe('lần 1');
    expect((await store.get('incoming/S01/bc.csv', v2)).bytes.toString('utf8')).toBe('lần 2');
    expect((await store.get('incoming/S01/bc.csv')).bytes.toString('utf8')).toBe('lần 2');
    await expect(store.get('incoming/S01/bc.csv', 'v-never')).rejects.toBeInstanceOf(ObjectNotFound);
    expect(store.versionsOf('incoming/S01/khac.csv')).toEqual([]);
  });

  it('without versioning a key has the one version "null", and no other version can be read', async () => {
    const store = new MemoryObjectStore();
    await store.put('incoming/S01/bc.csv', 'lần 1', 'text/csv');
    await store.put('incoming/S01/bc.csv', 'lần 2', 'text/csv');
    expect(store.versionsOf('incoming/S01/bc.csv')).toEqual(['null']);
    expect((await store.get('incoming/S01/bc.csv', 'null')).bytes.toString('utf8')).toBe('lần 2');
    await expect(store.get('incoming/S01/bc.csv', 'v000001')).rejects.toBeInstanceOf(ObjectNotFound);
  });

  it('keys(prefix) lists what was written under a folder, in S3\'s order', async () => {
    const store = new MemoryObjectStore();
    for (const key of ['results/S01/b.txt', 'results/S01/a.json', 'results/S02/a.json', 'incoming/S01/x.csv']) await store.put(key, '', 'text/plain');
    expect(store.keys('results/S01/')).toEqual(['results/S01/a.json', 'results/S01/b.txt']);
  });
});

// tthc upload-url: the presigned URL signs no checksum (the unit's file is not known yet), and
// the unit comes from the loaded registry, not only the built-in one. Real HTTP: s3rver and
// dynalite; signing needs no network.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { presignClient, presignUpload, unitForUpload } from '../../cli/presign.ts';
import { uploadUrlCommand } from '../../cli/upload-url.ts';
import { dynamoClient, s3Client } from '../../functions/commons/clients.ts';
import { DynamoConfigStore } from '../../functions/commons/dynamodb-config-store.ts';
import { ensureReportTable } from '../../functions/commons/dynamodb-report-store.ts';
import { forgetPlan } from '../../functions/commons/deps.ts';
import { applyLocalEnv, startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import { removeTempHomes, tempHome } from '../ingest/helpers.ts';

const FAKE_AWS = { region: 'ap-southeast-1', credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'example-secret-key-example-secret-key-000' } };
const checksumParams = (url: string) => [...new URL(url).searchParams.keys()].filter((k) => /^x-amz-(checksum-|sdk-checksum-algorithm)/i.test(k));

describe('presigned upload URLs against AWS', () => {
  it('carry no x-amz-checksum-* or x-amz-sdk-checksum-algorithm parameter', async () => {
    const client = new S3Client({ ...FAKE_AWS, requestChecksumCalculation: 'WHEN_REQUIRED' });
    const url = await presignUpload('tthc-reports-bucket', 'incoming/S01/Báo cáo tháng 06.xlsx', 3600, client);
    const parsed = new URL(url);
    expect(parsed.hostname).toMatch(/amazonaws\.com$/);
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(parsed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(checksumParams(url)).toEqual([]);
  });

  it('the client tthc uses for AWS asks for checksums only when required', async () => {
    expect(await presignClient(undefined).config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
  });

  it('(the SDK default would sign a checksum of the empty body: what the setting avoids)', async () => {
    const url = await getSignedUrl(new S3Client(FAKE_AWS), new PutObjectCommand({ Bucket: 'tthc-reports-bucket', Key: 'incoming/S01/a.xlsx' }), { expiresIn: 60 });
    expect(checksumParams(url).length).toBeGreaterThan(0);
  });
});

describe('against the local stack', () => {
  let stack: LocalStack;
  let restoreEnv: () => void;

  beforeAll(async () => {
    stack = await startLocalStack({ home: await tempHome('tthc-upload-url-') });
    restoreEnv = applyLocalEnv(stack);
    await ensureReportTable(dynamoClient(), stack.table);
    // A loaded registry: a commune created in 2025, which the built-in 2022 plan does not know.
    await new DynamoConfigStore(dynamoClient(), stack.table).putRegistryRows([{
      code: 'X900', level: 'commune', name: 'Phường Thủy Nguyên', parentCode: null, contactEmail: null,
      validFrom: '2025-07', validTo: null, mergedInto: null,
    }], 'test-load');
    forgetPlan();
  }, 60_000);
  afterAll(async () => {
    restoreEnv?.();
    forgetPlan();
    await stack?.stop();
    await removeTempHomes();
  });

  it('accepts a unit of the loaded registry and of the built-in plan; refuses an unknown code', async () => {
    const at = new Date('2025-08-18T03:00:00Z');
    expect((await unitForUpload('X900', at))?.name).toBe('Phường Thủy Nguyên');
    expect((await unitForUpload('x900', at))?.code).toBe('X900');
    expect((await unitForUpload('S01', at))?.code).toBe('S01');
    expect(await unitForUpload('ZZZ', at)).toBeNull();
    // Before its registry row takes effect the new unit may not upload.
    expect(await unitForUpload('X900', new Date('2025-05-18T03:00:00Z'))).toBeNull();
  });

  it('tthc upload-url in AWS mode: a unit of the loaded registry (the table) gets a URL for the real bucket, signing no checksum', async () => {
    const saved = { ...process.env };
    // AWS mode: a bucket name and credentials; the table is read through the emulator's endpoint.
    Object.assign(process.env, {
      TTHC_BUCKET: 'tthc-reports-bucket', AWS_REGION: 'ap-southeast-1',
      AWS_ACCESS_KEY_ID: FAKE_AWS.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: FAKE_AWS.credentials.secretAccessKey,
    });
    delete process.env.TTHC_S3_ENDPOINT;
    const out: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    try {
      expect(await uploadUrlCommand(['--unit', 'x900', '--file', 'Báo cáo 07.xlsx', '--json'])).toBe(0);
      const line = JSON.parse(out.join('')) as { unit: string; key: string; url: string };
      expect(line).toMatchObject({ unit: 'X900', key: 'incoming/X900/Báo cáo 07.xlsx' });
      expect(new URL(line.url).hostname).toMatch(/^tthc-reports-bucket\.s3\.ap-southeast-1\.amazonaws\.com$/);
      expect(checksumParams(line.url)).toEqual([]);
      await expect(uploadUrlCommand(['--unit', 'ZZZ'])).rejects.toThrow('--unit: "ZZZ" không phải mã đơn vị trong danh mục');
      delete process.env.TTHC_TABLE;
      await expect(uploadUrlCommand(['--unit', 'X900'])).rejects.toThrow(/TTHC_TABLE/);
    } finally {
      write.mockRestore();
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it('a file put to the URL is stored under the unit\'s prefix, whatever its bytes', async () => {
    const key = 'incoming/X900/Báo cáo tháng 07.csv';
    const url = await presignUpload(stack.bucket, key, 600);
    expect(checksumParams(url)).toEqual([]);
    const body = Buffer.from('unit_code,period\r\nX900,2025-07\r\n', 'utf8');
    const res = await fetch(url, { method: 'PUT', body });
    expect(res.status).toBe(200);
    const s3 = s3Client();
    const stored = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
    expect(Buffer.from(await stored.Body!.transformToByteArray())).toEqual(body);
    s3.destroy();
  });
});

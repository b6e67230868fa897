// The POST-policy check that stands in front of s3rver, on forms signed by the same
// @aws-sdk/s3-presigned-post the portal uses: what S3 refuses, it refuses.
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3UploadSigner } from '../../functions/portal/upload-signer.ts';
import { checkPostPolicy, parseMultipart, PolicyRefusal } from '../../infra/local/post-policy.ts';

const client = new S3Client({ region: 'ap-southeast-1', endpoint: 'http://127.0.0.1:9', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
const secretFor = (id: string) => (id === 'S3RVER' ? 'S3RVER' : undefined);
const KEY = 'incoming/S01/bao-cao.xlsx';

async function form(key = KEY) {
  return new S3UploadSigner(client, 'tthc-reports').presignPost(key, 100);
}

/** The form as multipart parts, as a browser sends it: fields, then the file. */
function parts(fields: Record<string, string>, file: Buffer) {
  return [...Object.entries(fields).map(([name, v]) => ({ name, filename: null, body: Buffer.from(v) })), { name: 'file', filename: 'f.xlsx', body: file }];
}

function refusal(run: () => void): PolicyRefusal {
  try {
    run();
  } catch (e) {
    if (e instanceof PolicyRefusal) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('POST policy check', () => {
  it('passes the form as signed', async () => {
    const f = await form();
    expect(() => checkPostPolicy('tthc-reports', parts(f.fields, Buffer.alloc(10)), secretFor)).not.toThrow();
  });

  it('refuses a key moved to another folder, another bucket, an extra field', async () => {
    const f = await form();
    expect(refusal(() => checkPostPolicy('tthc-reports', parts({ ...f.fields, key: 'incoming/S02/bao-cao.xlsx' }, Buffer.alloc(10)), secretFor)))
      .toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(refusal(() => checkPostPolicy('other-bucket', parts(f.fields, Buffer.alloc(10)), secretFor)).status).toBe(403);
    const extra = refusal(() => checkPostPolicy('tthc-reports', parts({ ...f.fields, 'x-amz-meta-unit': 'S02' }, Buffer.alloc(10)), secretFor));
    expect(extra.message).toContain('Extra input fields: x-amz-meta-unit');
  });

  it('refuses a body outside the range: too large, empty', async () => {
    const f = await form();
    expect(refusal(() => checkPostPolicy('tthc-reports', parts(f.fields, Buffer.alloc(101)), secretFor))).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect(refusal(() => checkPostPolicy('tthc-reports', parts(f.fields, Buffer.alloc(0)), secretFor))).toMatchObject({ status: 400, code: 'EntityTooSmall' });
  });

  it('refuses a policy edited after signing, a wrong secret, an expired policy', async () => {
    const f = await form();
    const policy = JSON.parse(Buffer.from(f.fields.Policy, 'base64').toString());
    const widened = Buffer.from(JSON.stringify({ ...policy, conditions: policy.conditions.filter((c: unknown) => !Array.isArray(c)) })).toString('base64');
    expect(refusal(() => checkPostPolicy('tthc-reports', parts({ ...f.fields, Policy: widened }, Buffer.alloc(10)), secretFor)).code).toBe('SignatureDoesNotMatch');
    expect(refusal(() => checkPostPolicy('tthc-reports', parts(f.fields, Buffer.alloc(10)), () => 'another-secret')).code).toBe('SignatureDoesNotMatch');
    const later = new Date(Date.parse(policy.expiration) + 1000);
    expect(refusal(() => checkPostPolicy('tthc-reports', parts(f.fields, Buffer.alloc(10)), secretFor, later)).message).toContain('Policy expired');
  });

  it('reads multipart bodies as browsers write them', () => {
    const body = Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="key"\r\n\r\nincoming/S01/a.csv\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\na,b\r\n1,2\r\n--XyZ--\r\n');
    expect(parseMultipart(body, 'multipart/form-data; boundary=XyZ')).toEqual([
      { name: 'key', filename: null, body: Buffer.from('incoming/S01/a.csv') },
      { name: 'file', filename: 'a.csv', body: Buffer.from('a,b\r\n1,2') },
    ]);
  });
});

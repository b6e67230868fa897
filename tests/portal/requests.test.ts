// What a signed-in clerk may send the portal's handler, drawn from an adversarial review: the
// key of a presigned POST stays the server's (no "${filename}", no disguising characters),
// periods stay within the plan's years, and the token's claims are read strictly. The handler
// in-process, on the memory store and the real presigned-POST signer (no request is sent).
import type { Context } from 'aws-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { makePortalHandler, type PortalEvent } from '../../functions/portal/handler.ts';
import { S3UploadSigner } from '../../functions/portal/upload-signer.ts';
import { PlanConfig } from '../../shared/config/plan-config.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import { MemoryReportStore } from '../../shared/store/memory-report-store.ts';

const client = new S3Client({ region: 'ap-southeast-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'SECRET' } });
afterAll(() => client.destroy());
const handler = makePortalHandler(() => ({
  store: new MemoryReportStore(), units: PlanConfig.builtin(), periods: PLAN_128_PERIODS,
  signer: new S3UploadSigner(client, 'tthc-reports'), now: () => new Date('2022-06-18T02:00:00Z'),
}));
const context = { functionName: 'tthc-portal', awsRequestId: 'test' } as Context;

const S01 = { token_use: 'id', 'cognito:username': 'S01', 'custom:unit_code': 'S01' };

async function call(method: string, path: string, options: { claims?: Record<string, unknown>; query?: Record<string, string>; body?: unknown } = {}) {
  const event = {
    version: '2.0', routeKey: '$default', rawPath: path, rawQueryString: '', headers: {},
    queryStringParameters: options.query,
    requestContext: { http: { method, path }, authorizer: { jwt: { claims: options.claims ?? S01, scopes: null } } },
    body: options.body === undefined ? undefined : JSON.stringify(options.body), isBase64Encoded: false,
  } as unknown as PortalEvent;
  const res = (await handler(event, context)) as { statusCode: number; body: string; headers: Record<string, string> };
  const json = res.headers['content-type']?.startsWith('application/json') ? JSON.parse(res.body) : null;
  return { status: res.statusCode, json };
}

const upload = (fileName: string) => call('POST', '/api/uploads', { body: { file_name: fileName, size: 1000 } });
const policyOf = (fields: Record<string, string>) => JSON.parse(Buffer.from(fields.Policy, 'base64').toString('utf8')) as { conditions: unknown[] };

describe('POST /api/uploads: the key is the server\'s', () => {
  it('a name ending in "${filename}" does not let the browser name the key', async () => {
    const { status, json } = await upload('bao-cao-${filename}');
    expect(status).toBe(200);
    expect(json.fields.key).toBe('incoming/S01/bao-cao-_{filename}');
    const conditions = policyOf(json.fields).conditions;
    expect(conditions).toContainEqual(['eq', '$key', 'incoming/S01/bao-cao-_{filename}']);
    expect(conditions.filter((c) => Array.isArray(c) && c[0] === 'starts-with')).toEqual([]);
  });

  it('control and format characters (a right-to-left override, a zero-width space, NEL) never reach the key', async () => {
    for (const [name, key] of [['bao\u202ecao.xlsx', 'bao_cao.xlsx'], ['a\u200bb.csv', 'a_b.csv'], ['a\u0085b\u2028c.csv', 'a_b_c.csv'], ['../S02/x.xlsx', '.._S02_x.xlsx']]) {
      const { status, json } = await upload(name);
      expect(status, name).toBe(200);
      expect(json.fields.key, name).toBe(`incoming/S01/${key}`);
    }
  });

  it('a name of dots alone, or with half a UTF-16 pair, is refused with a clear 400', async () => {
    for (const name of ['.', '..', ' . ', '\u202e', 'bao-cao-\ud800.xlsx']) {
      const { status, json } = await upload(name);
      expect(status, JSON.stringify(name)).toBe(400);
      expect(json.error.code).toBe('invalid_file_name');
    }
  });
});

describe('periods', () => {
  it('a period outside 2000–2100 is a 400, as on the command line; one inside is served', async () => {
    const far = await call('GET', '/api/template', { query: { period: '9999-12', format: 'csv' } });
    expect(far.status).toBe(400);
    expect(far.json.error).toMatchObject({ code: 'invalid_period', message: 'Kỳ báo cáo 9999-12 nằm ngoài các năm 2000–2100.' });
    expect((await call('GET', '/api/uploads', { query: { period: '1999-12' } })).status).toBe(400);
    expect((await call('GET', '/api/template', { query: { period: '2022-06', format: 'csv' } })).status).toBe(200);
  });
});

describe('the token\'s claims, read strictly', () => {
  it('a unit claim that is not a unit code as written (padded, lower case, with a slash) is no unit', async () => {
    for (const unit of [' S02', 's02', 'S02/x', 'ſ01']) {
      const { status } = await call('POST', '/api/uploads', { claims: { ...S01, 'custom:unit_code': unit }, body: { file_name: 'x.xlsx', size: 10 } });
      expect(status, unit).toBe(403);
    }
  });

  it('a unit code with a dot, as the registry allows, is the unit; one past the account attribute\'s 32 characters is not', async () => {
    const status = (unit: string) => call('POST', '/api/uploads', { claims: { ...S01, 'custom:unit_code': unit }, body: { file_name: 'x.xlsx', size: 10 } }).then((r) => r.status);
    expect(await status('XA.01')).toBe(200);
    expect(await status('X'.repeat(32))).toBe(200);
    expect(await status('X'.repeat(33))).toBe(403);
  });

  it('groups: "[admin other]" and an array hold admin; one group named "x,admin" does not', async () => {
    const status = (groups: unknown) => call('GET', '/api/status', { claims: { ...S01, 'cognito:groups': groups }, query: { period: '2022-06' } }).then((r) => r.status);
    expect(await status('[admin other]')).toBe(200);
    expect(await status('[admin, other]')).toBe(200);
    expect(await status(['admin'])).toBe(200);
    expect(await status('[x,admin]')).toBe(403);
    expect(await status([['admin']])).toBe(403);
  });
});

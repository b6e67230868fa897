// tthc accounts against the local pool: sync creates one account per unit with a contact
// address in the registry (and only the missing ones when run again); create adds one.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../functions/commons/clients.ts';
import { cognitoClient, ensurePortalPool, startLocalCognito } from '../../infra/local/cognito.ts';
import { startLocalPipeline } from '../../infra/local/runner.ts';
import { configKey } from '../../shared/bucket-layout.ts';
import { PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { removeTempHomes, tempHome } from '../ingest/helpers.ts';
import { tthc as run, tthcInProcess } from '../fixtures/tthc.ts';

let home: string;

const tthc = (args: string[]) => run(args, { home });

beforeAll(async () => {
  home = await tempHome('tthc-accounts-');
  const pipeline = await startLocalPipeline({ home });
  try {
    const rows = PLAN_128_UNITS.filter((u) => ['S01', 'S02', 'H03'].includes(u.code))
      .map((u) => `${u.code},${u.level},"${u.name}",${u.parentCode ?? ''},${u.code.toLowerCase()}@haiphong.gov.vn,2022-01`);
    await s3Client().send(new PutObjectCommand({
      Bucket: pipeline.stack.bucket, Key: configKey('registry', 'lien-he.csv'), Body: ['code,level,name,parent_code,contact_email,valid_from', ...rows].join('\n'),
    }));
    await pipeline.stack.idle();
  } finally {
    await pipeline.stack.stop();
  }
}, 120_000);
afterAll(removeTempHomes);

describe('tthc accounts', () => {
  it('sync creates the accounts of units with a contact, then only the missing ones; create adds one', async () => {
    const first = await tthc(['accounts', 'sync', '--json']);
    expect(first.stderr).toBe('');
    const r1 = JSON.parse(first.stdout);
    expect(r1.created.sort()).toEqual(['H03', 'S01', 'S02']);
    expect(r1.no_contact).toHaveLength(249);

    const created = JSON.parse((await tthc(['accounts', 'create', '--unit', 's04', '--email', 'van-thu@so-s04.gov.vn', '--json'])).stdout);
    expect(created).toMatchObject({ created: ['S04'], existing: [] });

    // Asked again with another address: the account stays as it is, and says so.
    const kept = await tthc(['accounts', 'create', '--unit', 'S04', '--email', 'moi@so-s04.gov.vn']);
    expect(kept.stdout).toContain('Tài khoản S04 đã có: giữ nguyên, địa chỉ thư không đổi thành moi@so-s04.gov.vn.');

    const again = JSON.parse((await tthc(['accounts', 'sync', '--json'])).stdout);
    expect(again.created).toEqual([]);
    expect(again.existing.sort()).toEqual(['H03', 'S01', 'S02']);

    const cognito = await startLocalCognito(home);
    try {
      const pool = await ensurePortalPool(cognito.endpoint);
      const user = await cognitoClient(pool.endpoint).send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: 'S04' }));
      const attrs = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
      expect(attrs).toMatchObject({ 'custom:unit_code': 'S04', email: 'van-thu@so-s04.gov.vn' });
    } finally {
      await cognito.stop();
    }
  }, 120_000);

  it('a missing address is a command-line mistake (exit 2), said before anything starts', async () => {
    const missing = await tthc(['accounts', 'create', '--unit', 'S01']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--email: bắt buộc');
    const bad = await tthcInProcess(['accounts', 'create', '--unit', 'S01', '--email', 'notanemail'], { home });
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('--email: "notanemail" không phải địa chỉ thư hợp lệ') });
  }, 60_000);
});

// `tthc remind` end to end on the local stack: a registry with a contact for all 252 units,
// S01 reported; the 19th at 08:00 mails the other 251 through the local SES (one .eml each in
// the outbox), and a second run at 15:00 the same day mails no one. The reminder log's
// DynamoDB adapter claims once per unit and day on the emulator.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient, s3Client } from '../../functions/commons/clients.ts';
import { DynamoReminderLog } from '../../functions/commons/dynamodb-reminder-log.ts';
import { startLocalPipeline } from '../../infra/local/runner.ts';
import { configKey, uploadKey } from '../../shared/bucket-layout.ts';
import { PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { SAMPLES } from '../fixtures/samples.ts';
import { removeTempHomes, tempHome } from '../ingest/helpers.ts';
import { tthc as run, tthcInProcess } from '../fixtures/tthc.ts';

let home: string;

const tthc = (args: string[]) => run(args, { home });

const emls = async () => (await readdir(join(home, 'outbox')).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));

beforeAll(async () => {
  home = await tempHome('tthc-remind-');
  const pipeline = await startLocalPipeline({ home });
  try {
    const csv = ['code,level,name,parent_code,contact_email,valid_from',
      ...PLAN_128_UNITS.map((u) => `${u.code},${u.level},"${u.name}",${u.parentCode ?? ''},${u.code.toLowerCase()}@haiphong.gov.vn,2022-01`)].join('\n');
    const s3 = s3Client();
    await s3.send(new PutObjectCommand({ Bucket: pipeline.stack.bucket, Key: configKey('registry', 'don-vi.csv'), Body: csv }));
    await pipeline.stack.idle();
    const key = uploadKey('S01', '06a-S01-2022-06.xlsx');
    pipeline.eventTimes.set(key, '2022-06-18T02:00:00.000Z');
    await s3.send(new PutObjectCommand({ Bucket: pipeline.stack.bucket, Key: key, Body: await readFile(new URL('06a-S01-2022-06.xlsx', SAMPLES)) }));
    await pipeline.stack.idle();
    expect((await pipeline.store.getCurrent('2022-06', 'S01'))?.counts.received_online).toBe(6064);

    const log = new DynamoReminderLog(dynamoClient(), pipeline.stack.table);
    expect(await log.claim('2022-01-01', 'X001', '2022-01-01T01:00:00Z')).toBe(true);
    expect(await log.claim('2022-01-01', 'X001', '2022-01-01T08:00:00Z')).toBe(false);
    expect(await log.claim('2022-01-02', 'X001', '2022-01-02T01:00:00Z')).toBe(true);
    await log.release('2022-01-01', 'X001');
    expect(await log.claim('2022-01-01', 'X001', '2022-01-01T09:00:00Z')).toBe(true);
  } finally {
    await pipeline.stack.stop();
  }
}, 180_000);
afterAll(removeTempHomes);

describe('tthc remind', () => {
  it('the 19th at 08:00 reminds the 251 units that have not reported; at 15:00 the same day, none', async () => {
    const before = (await emls()).length;
    const first = await tthc(['remind', '--at', '2022-06-19T08:00:00+07:00', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const r1 = JSON.parse(first.stdout);
    expect(r1.period).toBe('2022-06');
    expect(r1.reminded).toHaveLength(251);
    expect(r1.reminded).not.toContain('S01');
    expect(r1.no_contact).toEqual([]);
    expect(r1.already_today).toEqual([]);
    expect((await emls()).length - before).toBe(251);

    const second = JSON.parse((await tthc(['remind', '--at', '2022-06-19T15:00:00+07:00', '--json'])).stdout);
    expect(second.reminded).toEqual([]);
    expect(second.already_today).toHaveLength(251);
    expect((await emls()).length - before).toBe(251);
  }, 300_000);

  it('a day that is no reminder day says so, instead of a bare "0 đơn vị"', async () => {
    const quiet = await tthcInProcess(['remind', '--at', '2022-06-05T08:00:00+07:00'], { home });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toContain('đã gửi thư cho 0 đơn vị\n  Hôm nay không phải ngày nhắc: thư nhắc gửi từ ngày 17 đến hết ngày trước hạn nộp (ngày 20)');
    const busy = await tthcInProcess(['remind', '--at', '2022-06-19T16:00:00+07:00'], { home });
    expect(busy.stdout).not.toContain('không phải ngày nhắc');
  }, 120_000);
});

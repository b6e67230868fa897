// The ReminderLog contract (shared/reminders/reminders.ts) on the DynamoDB adapter over real
// HTTP (dynalite, and DynamoDB Local where Java is) and on the in-memory log the use case's
// tests use: one claim per day and unit, given back on a passing fault, and a claim kept after
// SES refused the send remembers it, so a rerun that day tells it from a mail that went. Then
// the reminders themselves on the DynamoDB log, with a mailer that refuses like SES.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoReminderLog } from '../../functions/commons/dynamodb-reminder-log.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import type { MailMessage } from '../../shared/ports.ts';
import { MemoryReminderLog } from '../../shared/reminders/memory-reminder-log.ts';
import { runReminders, type ReminderLog } from '../../shared/reminders/reminders.ts';
import { UnitRegistry } from '../../shared/units/registry.ts';
import { fixedUnits } from '../../shared/units/units-in-force.ts';
import { DYNAMO_BACKENDS, reportStoreFor, type TestReportStore } from '../fixtures/dynamo-backends.ts';

describe.each([...DYNAMO_BACKENDS, 'memory' as const])('ReminderLog contract: %s', (backend) => {
  let under: TestReportStore | undefined;
  let log: ReminderLog;

  beforeAll(async () => {
    if (backend === 'memory') {
      log = new MemoryReminderLog();
      return;
    }
    under = await reportStoreFor(backend, 'reminder-log');
    log = new DynamoReminderLog(under.dynamo!.client, under.dynamo!.table);
  }, 60_000);
  afterAll(async () => under?.stop());

  it('one claim per day and unit; a mailed claim has no refusal; a refused one says why until it is given back', async () => {
    expect(await log.claim('2022-06-19', 'S01', '2022-06-19T01:00:00.000Z')).toBe(true);
    expect(await log.claim('2022-06-19', 'S01', '2022-06-19T08:00:00.000Z')).toBe(false);
    expect(await log.claim('2022-06-18', 'S01', '2022-06-18T01:00:00.000Z')).toBe(true);
    expect(await log.refusal('2022-06-19', 'S01')).toBeNull(); // mailed, or on its way

    expect(await log.claim('2022-06-19', 'S02', '2022-06-19T01:00:00.000Z')).toBe(true);
    await log.markRefused('2022-06-19', 'S02', 'MessageRejected', '2022-06-19T01:00:01.000Z');
    expect(await log.refusal('2022-06-19', 'S02')).toBe('MessageRejected');
    expect(await log.claim('2022-06-19', 'S02', '2022-06-19T08:00:00.000Z')).toBe(false); // still claimed
    expect(await log.refusal('2022-06-18', 'S02')).toBeNull(); // another day
    expect(await log.refusal('2022-06-19', 'S03')).toBeNull(); // never claimed

    await log.release('2022-06-19', 'S02');
    expect(await log.refusal('2022-06-19', 'S02')).toBeNull();
    expect(await log.claim('2022-06-19', 'S02', '2022-06-19T09:00:00.000Z')).toBe(true);
    expect(await log.refusal('2022-06-19', 'S02')).toBeNull(); // the new claim starts clean
  });

  it('mailedOn: a day with a claim kept unrefused; not a day of refusals only, nor one given back', async () => {
    expect(await log.mailedOn('2022-07-17')).toBe(false);
    expect(await log.claim('2022-07-17', 'S01', '2022-07-17T01:00:00.000Z')).toBe(true);
    await log.markRefused('2022-07-17', 'S01', 'MessageRejected', '2022-07-17T01:00:01.000Z');
    expect(await log.mailedOn('2022-07-17')).toBe(false);
    expect(await log.claim('2022-07-17', 'S02', '2022-07-17T01:00:00.000Z')).toBe(true);
    expect(await log.mailedOn('2022-07-17')).toBe(true);
    expect(await log.mailedOn('2022-07-18')).toBe(false);
    await log.release('2022-07-17', 'S02');
    expect(await log.mailedOn('2022-07-17')).toBe(false);
  });

  it('only a claim held can be marked refused: no mark claims a day', async () => {
    await expect(log.markRefused('2022-06-17', 'S09', 'MessageRejected', '2022-06-17T01:00:00.000Z')).rejects.toThrow();
    expect(await log.claim('2022-06-17', 'S09', '2022-06-17T01:00:00.000Z')).toBe(true);
  });
});

describe('reminders on the DynamoDB log (dynalite)', () => {
  let under: TestReportStore;
  beforeAll(async () => {
    under = await reportStoreFor('dynalite', 'reminders');
  }, 60_000);
  afterAll(async () => under?.stop());

  it('a second run the same day lists the refused unit as undeliverable, not as reminded today', async () => {
    const tried: string[] = [];
    const mailer = {
      send: async (m: MailMessage) => {
        tried.push(m.to[0]);
        if (m.to[0] === 's02@hp.gov.vn') throw Object.assign(new Error('Email address is on the suppression list'), { name: 'MessageRejected' });
        return { messageId: 'm' };
      },
    };
    const unit = (code: string) => ({ code, level: 'department' as const, name: `Sở thử ${code}`, parentCode: null, contactEmail: `${code.toLowerCase()}@hp.gov.vn` });
    const deps = {
      store: { listPeriod: async () => ({ current: [], uploads: [] }) }, units: fixedUnits(new UnitRegistry([unit('S01'), unit('S02')])),
      periods: PLAN_128_PERIODS, mailer, log: new DynamoReminderLog(under.dynamo!.client, under.dynamo!.table),
      portalUrl: 'https://portal.example/', adminRecipients: [],
    };
    expect(await runReminders(new Date('2022-06-19T08:00:00+07:00'), deps)).toMatchObject({ reminded: ['S01'], undeliverable: ['S02'], already_today: [] });
    expect(await runReminders(new Date('2022-06-19T15:00:00+07:00'), deps)).toMatchObject({ reminded: [], undeliverable: ['S02'], already_today: ['S01'] });
    expect([...tried].sort()).toEqual(['s01@hp.gov.vn', 's02@hp.gov.vn']); // once each: the rerun asked SES nothing
  });
});

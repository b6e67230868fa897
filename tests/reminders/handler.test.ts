// The reminder Lambda entry: the schedule's event ({"mode":"remind"}) runs at the clock's
// instant, a replay names its instant, and a bad instant is answered rather than guessed. SES's
// refusals for good are counted (RemindersUndeliverable); a run whose every send SES refused fails.
import { describe, expect, it, vi } from 'vitest';
import { metrics } from '../../functions/commons/powertools.ts';
import { makeRemindHandler } from '../../functions/remind/handler.ts';
import { lambdaContext } from '../../infra/local/runner.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import type { MailMessage } from '../../shared/ports.ts';
import { MemoryReminderLog } from '../../shared/reminders/memory-reminder-log.ts';
import type { ReminderDeps, ReminderResult } from '../../shared/reminders/reminders.ts';
import { UnitRegistry } from '../../shared/units/registry.ts';
import { fixedUnits } from '../../shared/units/units-in-force.ts';
import type { Unit } from '../../shared/units/unit.ts';

const S01: Unit = { code: 'S01', level: 'department', name: 'Sở Công Thương', parentCode: null, contactEmail: 's01@hp.gov.vn' };

function deps(sent: MailMessage[]): ReminderDeps {
  return {
    store: { listPeriod: async () => ({ current: [], uploads: [] }) },
    units: fixedUnits(new UnitRegistry([S01])),
    periods: PLAN_128_PERIODS,
    mailer: { send: async (m) => (sent.push(m), { messageId: 'm' }) },
    log: new MemoryReminderLog(),
    portalUrl: 'https://portal.example/',
    adminRecipients: [],
  };
}

describe('remind handler', () => {
  it('runs at the clock on the schedule, at the given instant on a replay', async () => {
    const sent: MailMessage[] = [];
    const d = deps(sent);
    const handler = makeRemindHandler(() => d, () => new Date('2022-06-18T01:00:00Z'));
    const scheduled = (await handler({ mode: 'remind' }, lambdaContext('tthc-report'))) as ReminderResult;
    expect(scheduled).toMatchObject({ period: '2022-06', reminded: ['S01'] });
    const outside = (await handler({ mode: 'remind', at: '2022-06-10T08:00:00+07:00' }, lambdaContext('tthc-report'))) as ReminderResult;
    expect(outside).toMatchObject({ period: '2022-05', reminded: [] });
    expect(sent).toHaveLength(1);
  });

  it('a replay that no run can serve is answered, not retried: no instant, no zone, a future day', async () => {
    const sent: MailMessage[] = [];
    const now = new Date('2022-06-18T01:00:00Z'); // 08:00 on the 18th
    const handler = makeRemindHandler(() => deps(sent), () => now);
    const run = (at: unknown) => handler({ mode: 'remind', at } as never, lambdaContext('tthc-remind'));
    expect(await run('hôm qua')).toEqual({ rejected: 'at must be an instant with its zone (2022-06-18T08:00:00+07:00), not "hôm qua"' });
    expect(await run('2022-06-17T08:00:00')).toMatchObject({ rejected: expect.stringContaining('with its zone') });
    expect(await run(true)).toMatchObject({ rejected: expect.stringContaining('not true') });
    expect(await run('2022-06-19T08:00:00+07:00')).toEqual({ rejected: 'at 2022-06-19T08:00:00+07:00 is in the future' });
    expect(await run('0001-06-18T08:00:00+07:00')).toEqual({ rejected: 'at 0001-06-18T08:00:00+07:00 is outside the years 2000–2100' });
    expect(sent).toHaveLength(0);
    // The day before, replayed the same day: it runs.
    expect(await run('2022-06-17T08:00:00+07:00')).toMatchObject({ period: '2022-06', reminded: ['S01'] });
  });

  it('a reminder day replayed after its deadline is refused (it would remind of a deadline gone); the administrators\' day after still runs', async () => {
    const sent: MailMessage[] = [];
    const handler = makeRemindHandler(() => deps(sent), () => new Date('2022-06-22T03:00:00Z')); // 10:00 on the 22nd
    const run = (at: string) => handler({ mode: 'remind', at }, lambdaContext('tthc-remind'));
    expect(await run('2022-06-18T08:00:00+07:00')).toEqual({ rejected: 'at 2022-06-18T08:00:00+07:00: the reminders of 2022-06 are for a deadline already passed (2022-06-19T17:00:00.000Z); nothing is mailed' });
    expect(sent).toHaveLength(0);
    expect(await run('2022-06-21T08:00:00+07:00')).toMatchObject({ period: '2022-06', reminded: [] });
  });

  it('an address SES refuses for good is listed, kept claimed for the day (a rerun says so again), counted, and does not fail the run; a passing fault does', async () => {
    const refused = Object.assign(new Error('Email address is on the suppression list'), { name: 'MessageRejected' });
    const throttled = Object.assign(new Error('Maximum sending rate exceeded'), { name: 'TooManyRequestsException' });
    let fault: Error = refused;
    const two = { ...deps([]), units: fixedUnits(new UnitRegistry([S01, { ...S01, code: 'S02', name: 'Sở Tư pháp', contactEmail: 's02@hp.gov.vn' }])) };
    const d = { ...two, mailer: { send: async (m: MailMessage) => { if (m.to.includes('s01@hp.gov.vn')) throw fault; return { messageId: 'm' }; } } };
    const addMetric = vi.spyOn(metrics, 'addMetric');
    const undeliverable = () => addMetric.mock.calls.filter(([name]) => name === 'RemindersUndeliverable');
    try {
      const handler = makeRemindHandler(() => d, () => new Date('2022-06-18T01:00:00Z'));
      expect(await handler({ mode: 'remind' }, lambdaContext('tthc-remind'))).toMatchObject({ reminded: ['S02'], undeliverable: ['S01'] });
      expect(undeliverable()).toEqual([['RemindersUndeliverable', 'Count', 1]]);
      // The same day again: not "already reminded", and SES is not asked (nor counted) again.
      expect(await handler({ mode: 'remind' }, lambdaContext('tthc-remind'))).toMatchObject({ reminded: [], already_today: ['S02'], undeliverable: ['S01'] });
      expect(undeliverable()).toHaveLength(1);
      fault = throttled;
      const next = makeRemindHandler(() => d, () => new Date('2022-06-19T01:00:00Z'));
      await expect(next({ mode: 'remind' }, lambdaContext('tthc-remind'))).rejects.toThrow('1 reminder(s) not sent');
    } finally {
      addMetric.mockRestore();
    }
  });

  it('SES refuses every send (sandbox, unverified sender): the run fails naming SES\'s error, each refusal counted, so the alarms fire', async () => {
    const notVerified = Object.assign(new Error('Email address is not verified. The following identities failed the check in region AP-SOUTHEAST-1: bao-cao-dvc@haiphong.gov.vn'), { name: 'MessageRejected' });
    const d = { ...deps([]), mailer: { send: async () => { throw notVerified; } } };
    const addMetric = vi.spyOn(metrics, 'addMetric');
    try {
      const handler = makeRemindHandler(() => d, () => new Date('2022-06-18T01:00:00Z'));
      await expect(handler({ mode: 'remind' }, lambdaContext('tthc-remind'))).rejects.toThrow(/SES refused every reminder of the run \(1 unit\(s\)\) for good: MessageRejected: Email address is not verified/);
      expect(addMetric.mock.calls.filter(([name]) => name === 'RemindersUndeliverable')).toEqual([['RemindersUndeliverable', 'Count', 1]]);
      // The claim was given back: Lambda's retry (and a run by hand after the fix) tries again.
      await expect(handler({ mode: 'remind' }, lambdaContext('tthc-remind'))).rejects.toThrow(/SES refused every reminder/);
      expect(addMetric.mock.calls.filter(([name]) => name === 'RemindersUndeliverable')).toHaveLength(2);
    } finally {
      addMetric.mockRestore();
    }
  });
});

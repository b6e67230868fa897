// The reminder Lambda entry: the schedule's event ({"mode":"remind"}) runs at the clock's
// instant, a replay names its instant, and a bad instant is an error rather than a guess.
import { describe, expect, it } from 'vitest';
import { makeRemindHandler } from '../../functions/remind/handler.ts';
import { lambdaContext } from '../../infra/local/runner.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import type { MailMessage } from '../../shared/ports.ts';
import { MemoryReminderLog } from '../../shared/reminders/memory-reminder-log.ts';
import type { ReminderDeps, ReminderResult } from '../../shared/reminders/reminders.ts';
import { UnitRegistry } from '../../shared/units/registry.ts';
import { fixedUnits } from '../../shared/units/units-in-force.ts';

function deps(sent: MailMessage[]): ReminderDeps {
  return {
    store: { listPeriod: async () => ({ current: [], uploads: [] }) },
    units: fixedUnits(new UnitRegistry([{ code: 'S01', level: 'department', name: 'Sở Công Thương', parentCode: null, contactEmail: 's01@hp.gov.vn' }])),
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

  it('a replay with an instant that is none fails', async () => {
    const handler = makeRemindHandler(() => deps([]));
    await expect(handler({ mode: 'remind', at: 'hôm qua' }, lambdaContext('tthc-report'))).rejects.toThrow('not an instant');
  });
});

// The reminder use case on its ports: which days mail, who is mailed, once per unit per day
// (also when the schedule fires twice at once), and the administrators' day-after list.
import { describe, expect, it } from 'vitest';
import type { UnitFigures, UploadSummary } from '../../shared/ingest/upload.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import type { Mailer, MailMessage } from '../../shared/ports.ts';
import { MemoryReminderLog } from '../../shared/reminders/memory-reminder-log.ts';
import { reminderDay, RemindersRefused, runReminders, type ReminderDeps } from '../../shared/reminders/reminders.ts';
import type { PeriodReports } from '../../shared/store/report-store.ts';
import { UnitRegistry } from '../../shared/units/registry.ts';
import { fixedUnits } from '../../shared/units/units-in-force.ts';
import type { Unit } from '../../shared/units/unit.ts';

const unit = (code: string, contactEmail: string | null): Unit => ({ code, level: 'department', name: `Sở thử ${code}`, parentCode: null, contactEmail });
const UNITS = [unit('S01', 's01@hp.gov.vn'), unit('S02', 's02@hp.gov.vn'), unit('S03', null), unit('S04', 's04@hp.gov.vn'), unit('S05', 's05@hp.gov.vn')];

/** SES's answer to a sandboxed account for an unverified recipient (or an unverified sender). */
const NOT_VERIFIED = (address: string) => Object.assign(
  new Error(`Email address is not verified. The following identities failed the check in region AP-SOUTHEAST-1: ${address}`), { name: 'MessageRejected' });

class Outbox implements Mailer {
  sent: MailMessage[] = [];
  tried: MailMessage[] = [];
  failFor = new Set<string>();
  /** Addresses SES refuses for good (MessageRejected), as the sandbox does. */
  refuse = new Set<string>();
  async send(m: MailMessage) {
    this.tried.push(m);
    await new Promise((r) => setImmediate(r)); // a send takes time: concurrent runs interleave
    if (m.to.some((t) => this.failFor.has(t))) throw new Error('SES throttled');
    const refused = m.to.find((t) => this.refuse.has(t));
    if (refused) throw NOT_VERIFIED(refused);
    this.sent.push(m);
    return { messageId: `m${this.sent.length}` };
  }
}

function upload(unitCode: string, outcome: UploadSummary['outcome'], eventTime: string): UploadSummary {
  return { uploadId: `${unitCode}-${eventTime}`, unit: unitCode, period: '2022-06', eventTime, processedAt: eventTime, outcome };
}

/** S01 reported on time; S05 only sent a rejected file; S02, S03, S04 nothing. */
function reports(extra: Partial<PeriodReports> = {}): PeriodReports {
  return {
    current: [{ unit: 'S01', period: '2022-06', eventTime: '2022-06-17T03:00:00Z', counts: {} } as unknown as UnitFigures, ...(extra.current ?? [])],
    uploads: [upload('S01', 'accepted', '2022-06-17T03:00:00Z'), upload('S05', 'rejected', '2022-06-17T04:00:00Z'), ...(extra.uploads ?? [])],
  };
}

function deps(outbox = new Outbox(), log = new MemoryReminderLog(), data = reports()): ReminderDeps & { outbox: Outbox } {
  return {
    store: { listPeriod: async () => data },
    units: fixedUnits(new UnitRegistry(UNITS)),
    periods: PLAN_128_PERIODS,
    mailer: outbox,
    outbox,
    log,
    portalUrl: 'https://portal.example/',
    adminRecipients: ['quan-tri@hp.gov.vn'],
  };
}

const at = (local: string) => new Date(`${local}+07:00`);

describe('reminder days', () => {
  it('remind from the 17th to the day before the due day; the admin list the day after the due day', () => {
    const kind = (local: string) => reminderDay(at(local), PLAN_128_PERIODS).kind;
    expect(kind('2022-06-16T08:00:00')).toBe('none');
    expect(kind('2022-06-17T08:00:00')).toBe('remind');
    expect(kind('2022-06-19T08:00:00')).toBe('remind');
    expect(kind('2022-06-20T08:00:00')).toBe('none');
    expect(reminderDay(at('2022-06-21T08:00:00'), PLAN_128_PERIODS)).toEqual({ kind: 'admin_notice', period: '2022-06', day: '2022-06-21' });
    expect(kind('2022-06-22T08:00:00')).toBe('none');
    expect(reminderDay(at('2022-06-19T08:00:00'), PLAN_128_PERIODS).period).toBe('2022-06');
    // The start day is configuration.
    expect(reminderDay(at('2022-06-16T08:00:00'), PLAN_128_PERIODS, 16).kind).toBe('remind');
  });

  it('calendar-month periods: the month just ended is reminded in the next one, up to its due day', () => {
    const calendar = { startDay: 1, dueDay: 5, timeZone: 'Asia/Ho_Chi_Minh' };
    expect(reminderDay(at('2022-07-02T08:00:00'), calendar, 1)).toEqual({ kind: 'remind', period: '2022-06', day: '2022-07-02' });
    expect(reminderDay(at('2022-07-05T08:00:00'), calendar, 1).kind).toBe('none');
    expect(reminderDay(at('2022-07-06T08:00:00'), calendar, 1)).toEqual({ kind: 'admin_notice', period: '2022-06', day: '2022-07-06' });
  });
});

describe('reminders', () => {
  it('mails each unit without an accepted report, with the deadline and the portal link; counts those without a contact', async () => {
    const d = deps();
    const r = await runReminders(at('2022-06-19T08:00:00'), d);
    expect(r).toEqual({ period: '2022-06', reminded: ['S02', 'S04', 'S05'], no_contact: ['S03'], already_today: [], undeliverable: [], admin_notice: null });
    expect(d.outbox.sent.map((m) => m.to[0]).sort()).toEqual(['s02@hp.gov.vn', 's04@hp.gov.vn', 's05@hp.gov.vn']);
    const s02 = d.outbox.sent.find((m) => m.to[0] === 's02@hp.gov.vn')!;
    expect(s02.subject).toBe('Nhắc nộp báo cáo TTHC kỳ 06/2022: hạn hết ngày 19/06/2022 (trước 00:00 ngày 20/06/2022)');
    expect(s02.text).toContain('https://portal.example/');
    expect(s02.text).toContain('Tên đăng nhập: S02');
    expect(s02.html).toContain('<a href="https://portal.example/">');
    expect(d.outbox.sent.find((m) => m.to[0] === 's05@hp.gov.vn')!.text).toContain('đều bị từ chối');
  });

  it('at most once per unit per day: a second run the same day mails no one, the next day mails again', async () => {
    const d = deps();
    await runReminders(at('2022-06-19T08:00:00'), d);
    const again = await runReminders(at('2022-06-19T15:00:00'), d);
    expect(again.reminded).toEqual([]);
    expect(again.already_today).toEqual(['S02', 'S04', 'S05']);
    expect(d.outbox.sent).toHaveLength(3);
    expect((await runReminders(at('2022-06-18T08:00:00'), d)).reminded).toEqual(['S02', 'S04', 'S05']);
  });

  it('a schedule that fires twice at once mails each unit once', async () => {
    const d = deps();
    const [a, b] = await Promise.all([runReminders(at('2022-06-19T08:00:00'), d), runReminders(at('2022-06-19T08:00:01'), d)]);
    expect([...a.reminded, ...b.reminded].sort()).toEqual(['S02', 'S04', 'S05']);
    expect([...a.already_today, ...b.already_today].sort()).toEqual(['S02', 'S04', 'S05']);
    expect(d.outbox.sent).toHaveLength(3);
  });

  it('a unit that has reported since is not reminded', async () => {
    const d = deps(undefined, undefined, reports({
      current: [{ unit: 'S04', period: '2022-06', eventTime: '2022-06-18T03:00:00Z', counts: {} } as unknown as UnitFigures],
      uploads: [upload('S04', 'accepted', '2022-06-18T03:00:00Z')],
    }));
    expect((await runReminders(at('2022-06-19T08:00:00'), d)).reminded).toEqual(['S02', 'S05']);
  });

  it('a send that fails gives its claim back: the next run mails that unit, and only it', async () => {
    const d = deps();
    d.outbox.failFor.add('s04@hp.gov.vn');
    await expect(runReminders(at('2022-06-19T08:00:00'), d)).rejects.toThrow('1 reminder(s) not sent');
    expect(d.outbox.sent.map((m) => m.to[0]).sort()).toEqual(['s02@hp.gov.vn', 's05@hp.gov.vn']);
    d.outbox.failFor.clear();
    const retry = await runReminders(at('2022-06-19T09:00:00'), d);
    expect(retry.reminded).toEqual(['S04']);
    expect(retry.already_today).toEqual(['S02', 'S05']);
  });

  it('an address SES refuses for good: undeliverable, kept claimed; a rerun that day says undeliverable again (not reminded) and asks SES nothing', async () => {
    const d = deps();
    d.outbox.refuse.add('s04@hp.gov.vn');
    const first = await runReminders(at('2022-06-19T08:00:00'), d);
    expect(first).toMatchObject({ reminded: ['S02', 'S05'], undeliverable: ['S04'], already_today: [] });
    const again = await runReminders(at('2022-06-19T15:00:00'), d);
    expect(again).toMatchObject({ reminded: [], undeliverable: ['S04'], already_today: ['S02', 'S05'] });
    expect(d.outbox.tried.filter((m) => m.to[0] === 's04@hp.gov.vn')).toHaveLength(1);
    // The next day is tried again: the address may have been mended in the registry.
    d.outbox.refuse.clear();
    expect((await runReminders(at('2022-06-18T08:00:00'), d)).reminded).toEqual(['S02', 'S04', 'S05']);
  });

  it('SES refuses every send (sandbox, unverified sender): the run fails naming SES\'s answer and gives the claims back, so a run after the fix mails them that day', async () => {
    const d = deps();
    for (const a of ['s02@hp.gov.vn', 's04@hp.gov.vn', 's05@hp.gov.vn']) d.outbox.refuse.add(a);
    const failed = await runReminders(at('2022-06-19T08:00:00'), d).then(() => null, (e: unknown) => e as Error);
    expect(failed).toBeInstanceOf(RemindersRefused);
    expect(failed?.message).toMatch(/^SES refused every reminder of the run \(3 unit\(s\)\) for good: MessageRejected: Email address is not verified\./);
    expect(failed?.message).toContain('sandbox');
    expect(d.outbox.sent).toEqual([]);
    d.outbox.refuse.clear(); // ops took the account out of the sandbox
    const rerun = await runReminders(at('2022-06-19T10:00:00'), d);
    expect(rerun).toMatchObject({ reminded: ['S02', 'S04', 'S05'], already_today: [], undeliverable: [] });
  });

  it('a rerun whose only send is refused, the others mailed earlier that day: one bad address, not a failed run', async () => {
    const d = deps();
    d.outbox.failFor.add('s04@hp.gov.vn');
    await expect(runReminders(at('2022-06-19T08:00:00'), d)).rejects.toThrow('1 reminder(s) not sent');
    d.outbox.failFor.clear();
    d.outbox.refuse.add('s04@hp.gov.vn'); // the retry learns the address is refused for good
    expect(await runReminders(at('2022-06-19T08:01:00'), d)).toMatchObject({ reminded: [], already_today: ['S02', 'S05'], undeliverable: ['S04'] });
  });

  it('a later reminder day whose only units left have refused addresses: reminders went on the days before, so it is those addresses, not SES', async () => {
    const data = reports();
    const d = deps(new Outbox(), new MemoryReminderLog(), data);
    d.outbox.refuse.add('s04@hp.gov.vn'); // on SES's suppression list
    expect(await runReminders(at('2022-06-17T08:00:00'), d)).toMatchObject({ reminded: ['S02', 'S05'], undeliverable: ['S04'] });
    // S02 and S05 report on the 17th: on the 18th only S04 is left, and refused again.
    data.current.push(...['S02', 'S05'].map((u) => ({ unit: u, period: '2022-06', eventTime: '2022-06-17T09:00:00Z', counts: {} } as unknown as UnitFigures)));
    data.uploads.push(upload('S02', 'accepted', '2022-06-17T09:00:00Z'), upload('S05', 'accepted', '2022-06-17T09:00:00Z'));
    expect(await runReminders(at('2022-06-18T08:00:00'), d)).toMatchObject({ reminded: [], already_today: [], undeliverable: ['S04'] });
  });

  it('outside the window nothing is sent', async () => {
    const d = deps();
    expect(await runReminders(at('2022-06-20T08:00:00'), d)).toMatchObject({ reminded: [], no_contact: [], admin_notice: null });
    expect(d.outbox.sent).toEqual([]);
  });

  it('the day after the due day: one mail to the administrators listing missing and late units', async () => {
    const d = deps(undefined, undefined, reports({
      current: [{ unit: 'S02', period: '2022-06', eventTime: '2022-06-20T05:00:00Z', counts: {} } as unknown as UnitFigures],
      uploads: [upload('S02', 'accepted', '2022-06-20T05:00:00Z')],
    }));
    const r = await runReminders(at('2022-06-21T08:00:00'), d);
    expect(r.reminded).toEqual([]);
    expect(r.admin_notice).toEqual({ recipients: ['quan-tri@hp.gov.vn'], missing: ['S03', 'S04', 'S05'], late: ['S02'], sent: true });
    expect(d.outbox.sent).toHaveLength(1);
    const mail = d.outbox.sent[0];
    expect(mail.to).toEqual(['quan-tri@hp.gov.vn']);
    expect(mail.subject).toBe('Kỳ 06/2022: 3 đơn vị chưa báo cáo, 1 đơn vị nộp muộn');
    expect(mail.text).toContain('- Sở thử S05 (S05): tệp đã gửi đều bị từ chối');
    expect(mail.text).toContain('Nộp muộn (1):\n- Sở thử S02 (S02)');
    expect((await runReminders(at('2022-06-21T15:00:00'), d)).admin_notice?.sent).toBe(false);
    expect(d.outbox.sent).toHaveLength(1);
  });
});

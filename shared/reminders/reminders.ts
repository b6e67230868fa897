// Follow-up and urging (theo dõi, đôn đốc): every morning from the reminder start day (the
// 17th) to the day before the due day, each unit in force without an accepted report for the
// period being collected gets a mail with the deadline and the portal link; units without a
// contact address are counted. At most one mail per unit per day, however often the schedule
// fires (a claim per day and unit). The day after the due day, one mail to the administrators
// lists the units still missing and those that reported late.
import { eachLimited } from '../each-limited.ts';
import { addMonths, dueInstant, formatDate, isoDay, lastClosedPeriod, localDateOf, periodBounds, periodLabel, startOfLocalDay, type LocalDate, type PeriodConfig } from '../period.ts';
import { isPermanentMailError, type Mailer, type MailMessage } from '../ports.ts';
import { periodStatus, type UnitStatus } from '../status.ts';
import type { ReportStore } from '../store/report-store.ts';
import type { Unit } from '../units/unit.ts';
import type { UnitsInForce } from '../units/units-in-force.ts';

/** Who has been mailed on a day. A claim is kept once the mail has gone, or SES refused it for good. */
export interface ReminderLog {
  /** True for exactly one caller per (day, key) until released. */
  claim(day: string, key: string, at: string): Promise<boolean>;
  /** A send that failed gives the claim back, so the next run mails. */
  release(day: string, key: string): Promise<void>;
  /**
   * A send SES refused for good: the claim is kept and remembers why (the SES error's name), so
   * a second run that day says the unit is undeliverable, not that it was reminded.
   */
  markRefused(day: string, key: string, reason: string, at: string): Promise<void>;
  /** Why SES refused the kept claim's send, or null: the mail went, or a send is on its way. */
  refusal(day: string, key: string): Promise<string | null>;
  /** Whether any claim of the day is kept unrefused: a mail went (or is on its way) that day. */
  mailedOn(day: string): Promise<boolean>;
}

export interface ReminderDeps {
  store: Pick<ReportStore, 'listPeriod'>;
  units: UnitsInForce;
  periods: PeriodConfig;
  mailer: Mailer;
  log: ReminderLog;
  /** The clerks' portal, linked from every reminder. */
  portalUrl: string;
  /** Who gets the day-after-deadline list of missing and late units. */
  adminRecipients: string[];
  /** First day of the month reminders go out (default 17). */
  startDay?: number;
}

export const DEFAULT_REMINDER_START_DAY = 17;
/** The claim key of the administrators' day-after mail (no unit code starts with '_'). */
export const ADMIN_NOTICE_KEY = '_ADMIN';

export interface AdminNotice {
  recipients: string[];
  missing: string[];
  late: string[];
  /** False when it had already gone today (or there is no one to send it to). */
  sent: boolean;
}

export interface ReminderResult {
  period: string;
  reminded: string[];
  no_contact: string[];
  already_today: string[];
  /** Units whose address SES refused for good today (rejected, not an address), in this run or an earlier one: not retried today. */
  undeliverable: string[];
  /** Only on the day after the due day. */
  admin_notice: AdminNotice | null;
}

const addDays = (d: LocalDate, n: number): LocalDate => {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};

/** What the daily run does at `at`: remind for a period, send the admin notice, or nothing. */
export function reminderDay(at: Date, periods: PeriodConfig, startDay = DEFAULT_REMINDER_START_DAY):
  { kind: 'remind' | 'admin_notice' | 'none'; period: string; day: string } {
  const today = localDateOf(at, periods.timeZone);
  const period = lastClosedPeriod(at, periods);
  const due = localDateOf(dueInstant(period, periods), periods.timeZone);
  const inMonth = today.year === due.year && today.month === due.month;
  if (inMonth && today.day >= startDay && today.day < due.day) return { kind: 'remind', period, day: isoDay(today) };
  // The day after the due day: of the previous period's due date when the window has turned.
  const previous = addMonths(period, -1);
  for (const p of [period, previous]) {
    const dueDay = localDateOf(dueInstant(p, periods), periods.timeZone);
    if (isoDay(addDays(dueDay, 1)) === isoDay(today)) return { kind: 'admin_notice', period: p, day: isoDay(today) };
  }
  return { kind: 'none', period, day: isoDay(today) };
}

export async function runReminders(at: Date, deps: ReminderDeps): Promise<ReminderResult> {
  const { kind, period, day } = reminderDay(at, deps.periods, deps.startDay);
  const result: ReminderResult = { period, reminded: [], no_contact: [], already_today: [], undeliverable: [], admin_notice: null };
  if (kind === 'none') return result;

  const registry = deps.units.registryFor(period);
  const statuses = periodStatus(registry.units, period, await deps.store.listPeriod(period), deps.periods);
  if (kind === 'admin_notice') {
    result.admin_notice = await adminNotice(at, day, period, statuses, deps);
    return result;
  }

  const pending = statuses.filter((s) => s.status === 'missing' || s.status === 'rejected_only');
  const due = dueInstant(period, deps.periods);
  const toMail: Array<{ unit: Unit; status: UnitStatus }> = [];
  for (const s of pending) {
    const unit = registry.get(s.unit)!;
    if (unit.contactEmail) toMail.push({ unit, status: s });
    else result.no_contact.push(unit.code);
  }
  const failures: unknown[] = [];
  const refused: Array<{ unit: string; error: unknown }> = [];
  // SES takes a few sends per second per account at the least.
  await eachLimited(toMail, 8, async ({ unit, status }) => {
    if (!(await deps.log.claim(day, unit.code, at.toISOString()))) {
      // Claimed earlier today: mailed (or on its way), or kept after SES refused the address.
      (await deps.log.refusal(day, unit.code) ? result.undeliverable : result.already_today).push(unit.code);
      return;
    }
    try {
      await deps.mailer.send(reminderMail(unit, status, period, due, deps));
      result.reminded.push(unit.code);
    } catch (e) {
      // Refused for good: kept claimed, so that one bad address does not fail every day's run.
      if (isPermanentMailError(e)) {
        await deps.log.markRefused(day, unit.code, errorName(e), at.toISOString());
        refused.push({ unit: unit.code, error: e });
        result.undeliverable.push(unit.code);
        return;
      }
      await deps.log.release(day, unit.code);
      failures.push(e);
    }
  });
  // The others went out; the failed ones are mailed by the next run (the claim was given back).
  if (failures.length) throw new AggregateError(failures, `${failures.length} reminder(s) not sent`);
  // Refusals with no mail gone this reminder cycle (today, or an earlier reminder day of the period) point
  // at SES itself. Once mails have gone, the units left may well be the ones with bad addresses.
  if (refused.length && !result.reminded.length && !result.already_today.length && !(await mailedEarlier(at, deps))) await refusedAll(day, refused, deps);
  for (const list of [result.reminded, result.no_contact, result.already_today, result.undeliverable]) list.sort();
  return result;
}

const errorName = (e: unknown): string => String((e as { name?: unknown }).name);

/** Whether a reminder went on an earlier reminder day of the same due month (the 17th and 18th, on the 19th). */
async function mailedEarlier(at: Date, deps: ReminderDeps): Promise<boolean> {
  const today = localDateOf(at, deps.periods.timeZone);
  const days: string[] = [];
  for (let d = deps.startDay ?? DEFAULT_REMINDER_START_DAY; d < today.day; d++) days.push(isoDay({ ...today, day: d }));
  return (await Promise.all(days.map((d) => deps.log.mailedOn(d)))).some(Boolean);
}

/** What SES answered, once per kind of refusal: "MessageRejected: Email address is not verified…". */
function refusalsSaid(refused: ReadonlyArray<{ error: unknown }>): string {
  const said = new Map<string, string>();
  for (const { error } of refused) said.set(errorName(error), `${errorName(error)}: ${String((error as Error).message ?? '').slice(0, 300)}`);
  return [...said.values()].join('; ');
}

/**
 * Every send of the run refused for good, and none accepted that day or on an earlier reminder
 * day of the period, is no unit's bad address: the SES account is in the sandbox, or the sender
 * identity is not verified. (Units mailed earlier prove SES sends: the refusals are then those
 * addresses'.) The
 * run fails, so it is retried and then alarmed, naming SES's answer. The claims are given back:
 * a run after ops mend SES mails those units the same day, as the alarms tell ops to do (the
 * next day's run has claims of its own anyway).
 */
async function refusedAll(day: string, refused: ReadonlyArray<{ unit: string; error: unknown }>, deps: ReminderDeps): Promise<never> {
  await Promise.all(refused.map(({ unit }) => deps.log.release(day, unit)));
  throw new RemindersRefused(`SES refused every reminder of the run (${refused.length} unit(s)) for good: ${refusalsSaid(refused)}. `
    + 'Check that the SES account is out of the sandbox and the sender identity (TTHC_MAIL_FROM) is verified; the claims were given back, so a run after the fix mails them today.');
}

/** A run whose every send SES refused for good (sandbox, unverified sender): an account fault, not one unit's. */
export class RemindersRefused extends Error {
  override readonly name = 'RemindersRefused';
}

function deadlineText(due: Date, periods: PeriodConfig): string {
  const lastDay = localDateOf(new Date(due.getTime() - 1), periods.timeZone);
  return `hết ngày ${formatDate(lastDay)} (trước 00:00 ngày ${formatDate(localDateOf(due, periods.timeZone))})`;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function reminderMail(unit: Unit, status: UnitStatus, period: string, due: Date, deps: Pick<ReminderDeps, 'periods' | 'portalUrl'>): MailMessage {
  const { from, to } = periodBounds(period, deps.periods);
  const deadline = deadlineText(due, deps.periods);
  const lines = [
    `Kính gửi ${unit.name},`,
    '',
    `Đến nay hệ thống chưa nhận được báo cáo hợp lệ của đơn vị cho kỳ ${periodLabel(period)} (từ ngày ${formatDate(from)} đến ngày ${formatDate(to)}).`,
    ...(status.status === 'rejected_only' ? ['Các tệp đơn vị đã gửi trong kỳ đều bị từ chối; lỗi cần sửa được ghi ở cổng báo cáo.'] : []),
    `Hạn nộp: ${deadline}.`,
    '',
    `Gửi báo cáo tại: ${deps.portalUrl}`,
    `Tên đăng nhập: ${unit.code}. Trên cổng có sẵn mẫu Biểu 06a đã ghi tên đơn vị và kỳ báo cáo.`,
    '',
    'Thư này được gửi tự động mỗi sáng đến khi đơn vị nộp báo cáo; đơn vị đã nộp thì không nhận thư này nữa.',
  ];
  return {
    to: [unit.contactEmail!],
    subject: `Nhắc nộp báo cáo TTHC kỳ ${periodLabel(period)}: hạn ${deadline}`,
    text: `${lines.join('\n')}\n`,
    html: lines.map((l) => (l ? `<p>${escapeHtml(l).replace(escapeHtml(deps.portalUrl), `<a href="${escapeHtml(deps.portalUrl)}">${escapeHtml(deps.portalUrl)}</a>`)}</p>` : '')).join('\n'),
  };
}

async function adminNotice(at: Date, day: string, period: string, statuses: UnitStatus[], deps: ReminderDeps): Promise<AdminNotice> {
  const registry = deps.units.registryFor(period);
  const missing = statuses.filter((s) => s.status === 'missing' || s.status === 'rejected_only').map((s) => s.unit);
  const late = statuses.filter((s) => s.status === 'late').map((s) => s.unit);
  const notice: AdminNotice = { recipients: deps.adminRecipients, missing, late, sent: false };
  if (deps.adminRecipients.length === 0 || !(await deps.log.claim(day, ADMIN_NOTICE_KEY, at.toISOString()))) return notice;
  const name = (code: string) => `${registry.get(code)?.name ?? code} (${code})`;
  const due = dueInstant(period, deps.periods);
  const lines = [
    `Kỳ ${periodLabel(period)}, hạn nộp ${deadlineText(due, deps.periods)}; ${statuses.length} đơn vị.`,
    '',
    `Chưa có báo cáo hợp lệ (${missing.length}):`,
    ...missing.map((c) => `- ${name(c)}${statuses.find((s) => s.unit === c)?.status === 'rejected_only' ? ': tệp đã gửi đều bị từ chối' : ''}`),
    '',
    `Nộp muộn (${late.length}):`,
    ...late.map((c) => `- ${name(c)}`),
  ];
  try {
    await deps.mailer.send({
      to: deps.adminRecipients,
      subject: `Kỳ ${periodLabel(period)}: ${missing.length} đơn vị chưa báo cáo, ${late.length} đơn vị nộp muộn`,
      text: `${lines.join('\n')}\n`,
      html: `<pre>${escapeHtml(lines.join('\n'))}</pre>`,
    });
  } catch (e) {
    await deps.log.release(day, ADMIN_NOTICE_KEY);
    throw e;
  }
  return { ...notice, sent: true };
}

/** The instant the daily schedule fires on a local day (08:00), for tests and the CLI's defaults. */
export function scheduleInstant(day: LocalDate, periods: PeriodConfig, hour = 8): Date {
  return new Date(startOfLocalDay(day, periods.timeZone).getTime() + hour * 3_600_000);
}

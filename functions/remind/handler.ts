// Lambda entry for the daily reminders (EventBridge Scheduler, 08:00 Asia/Ho_Chi_Minh):
// {"mode":"remind"} or {"mode":"remind","at":"ISO-8601"} to replay a day. Its own function
// and schedule in the stack (infra/constructs/remind-function.ts).
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { dueInstant, FIRST_YEAR, isPlanYear, isZonedInstant, LAST_YEAR } from '../../shared/period.ts';
import { isPermanentMailError, type Mailer } from '../../shared/ports.ts';
import { reminderDay, runReminders, DEFAULT_REMINDER_START_DAY, type ReminderDeps, type ReminderResult } from '../../shared/reminders/reminders.ts';
import { dynamoClient } from '../commons/clients.ts';
import { perSettings, planFromEnv, reportDepsFromEnv, required } from '../commons/deps.ts';
import { DynamoReminderLog } from '../commons/dynamodb-reminder-log.ts';
import { logger, metrics } from '../commons/powertools.ts';

export interface RemindEvent {
  mode?: 'remind';
  /** Run as if at this instant (default: now). */
  at?: string;
}

const list = (text: string | undefined) => (text ?? '').split(',').map((s) => s.trim()).filter(Boolean);

// Its client once per container, as the other stores': a client per invocation opens new connections each time.
const reminderLogFromEnv = perSettings(['TTHC_TABLE', 'TTHC_DYNAMODB_ENDPOINT'], () => new DynamoReminderLog(dynamoClient(), required('TTHC_TABLE')));

/** TTHC_PORTAL_URL, TTHC_ADMIN_EMAILS (comma-separated), TTHC_REMINDER_START_DAY (default 17). */
export async function reminderDepsFromEnv(): Promise<ReminderDeps> {
  const d = await reportDepsFromEnv();
  if (!d.mailer) throw new Error('missing configuration: TTHC_MAIL_FROM (reminders are mail)');
  return {
    store: d.store, units: await planFromEnv(), periods: d.periods, mailer: d.mailer,
    log: reminderLogFromEnv(),
    portalUrl: process.env.TTHC_PORTAL_URL ?? 'https://bao-cao-dvc.haiphong.gov.vn',
    adminRecipients: list(process.env.TTHC_ADMIN_EMAILS),
    startDay: Number(process.env.TTHC_REMINDER_START_DAY ?? DEFAULT_REMINDER_START_DAY),
  };
}

/** A replay no run can serve: said, logged, not retried. */
function rejected(reason: string): { rejected: string } {
  logger.error('reminder event rejected', { reason });
  return { rejected: reason };
}

/**
 * The mailer, counting SES's refusals for good as they happen (RemindersUndeliverable, alarmed):
 * also those of a run that then fails because SES refused every send, and only this run's (a
 * rerun that finds a refusal in the log asks SES nothing).
 */
function countingRefusals(mailer: Mailer): Mailer {
  return {
    send: async (m) => {
      try {
        return await mailer.send(m);
      } catch (e) {
        if (isPermanentMailError(e)) {
          metrics.addMetric('RemindersUndeliverable', MetricUnit.Count, 1);
          logger.warn('reminder refused by SES for good: check the contact_email in the registry, or SES (sandbox, sender identity)', { to: m.to, reason: (e as Error).name, sesMessage: (e as Error).message });
        }
        throw e;
      }
    },
  };
}

/** A run of the day at `at` (default now). A replay may name a past day, never a future one, nor a reminder day whose deadline has passed. */
export async function remindFromEvent(event: RemindEvent, deps: () => ReminderDeps | Promise<ReminderDeps> = reminderDepsFromEnv, clock: () => Date = () => new Date()): Promise<ReminderResult | { rejected: string }> {
  const now = clock();
  if (event.at !== undefined && (typeof event.at !== 'string' || !isZonedInstant(event.at))) {
    return rejected(`at must be an instant with its zone (2022-06-18T08:00:00+07:00), not ${JSON.stringify(event.at)}`);
  }
  const at = event.at ? new Date(event.at) : now;
  if (at.getTime() > now.getTime() + 5 * 60_000) return rejected(`at ${event.at} is in the future`);
  if (!isPlanYear(at.getUTCFullYear())) return rejected(`at ${event.at} is outside the years ${FIRST_YEAR}–${LAST_YEAR}`);
  const d = await deps();
  // A replay after the deadline would remind units of a deadline gone ("hạn hết ngày 19/07" on the 22nd).
  const day = reminderDay(at, d.periods, d.startDay);
  const due = dueInstant(day.period, d.periods);
  if (day.kind === 'remind' && due.getTime() <= now.getTime()) {
    return rejected(`at ${event.at}: the reminders of ${day.period} are for a deadline already passed (${due.toISOString()}); nothing is mailed`);
  }
  const result = await runReminders(at, { ...d, mailer: countingRefusals(d.mailer) });
  logger.info('reminders', { period: result.period, reminded: result.reminded.length, noContact: result.no_contact.length, alreadyToday: result.already_today.length, undeliverable: result.undeliverable, adminNotice: result.admin_notice?.sent ?? null });
  return result;
}

export function makeRemindHandler(deps: () => ReminderDeps | Promise<ReminderDeps> = reminderDepsFromEnv, clock?: () => Date) {
  return middy(async (event: RemindEvent = {}) => remindFromEvent(event, deps, clock))
    .use(injectLambdaContext(logger))
    // Flushed also when the run fails: its refusals are what the alarm needs.
    .use(logMetrics(metrics));
}

export const handler = makeRemindHandler();

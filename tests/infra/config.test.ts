// Deployment settings from CDK context: what a real deployment must name, and what a dry run may leave out.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError, deploymentEnv, readConfig } from '../../infra/config.ts';
import { reminderSchedule } from '../../infra/constructs/remind-function.ts';
import { dayOfMonth, reportSchedules } from '../../infra/constructs/report-function.ts';
import { TthcStack } from '../../infra/stack.ts';

// No bundling: these tests look at configuration and the template, not at the functions' code.
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
// A whole stack takes seconds to synthesize, and much longer on a busy machine.
const SYNTH_TIMEOUT = 120_000;
const configOf = (context: Record<string, unknown>) => readConfig(new App({ context }).node);
const EMAILS = { reportRecipients: 'lanh-dao@haiphong.gov.vn, van-phong@haiphong.gov.vn', alarmEmail: 'ops@haiphong.gov.vn' };

describe('deployment configuration', () => {
  it('refuses to synthesize without report recipients or an alarm address, naming what is missing', () => {
    expect(() => configOf({})).toThrow(ConfigError);
    expect(() => configOf({})).toThrow(/reportRecipients and alarmEmail must be set.*dryRun=true/);
    expect(() => configOf({ reportRecipients: '', alarmEmail: '' })).toThrow(/reportRecipients and alarmEmail must be set/);
    expect(() => configOf({ reportRecipients: 'a@haiphong.gov.vn' })).toThrow(/: alarmEmail must be set/);
    expect(() => configOf({ alarmEmail: 'ops@haiphong.gov.vn', reportRecipients: ' , ' })).toThrow(/: reportRecipients must be set/);
    expect(() => new TthcStack(new App({ context: NO_BUNDLING }), 'S')).toThrow(ConfigError);
  }, SYNTH_TIMEOUT);

  it('reads the recipients list and the alarm address', () => {
    const config = configOf(EMAILS);
    expect(config.reportRecipients).toEqual(['lanh-dao@haiphong.gov.vn', 'van-phong@haiphong.gov.vn']);
    expect(config.alarmEmail).toBe('ops@haiphong.gov.vn');
    expect(config.dryRun).toBe(false);
  });

  it('refuses something that is not an email address', () => {
    expect(() => configOf({ ...EMAILS, alarmEmail: 'ops' })).toThrow(/not an email address: "ops"/);
    expect(() => configOf({ ...EMAILS, reportRecipients: 'a@haiphong.gov.vn;b@haiphong.gov.vn' })).toThrow(/not an email address/);
    expect(() => configOf({ ...EMAILS, adminEmails: 'van-phong@haiphong.gov.vn,ops' })).toThrow(/not an email address: "ops"/);
  });

  it('the reminders\' administrators: adminEmails, or the leadership list when it is not set', () => {
    expect(configOf({ ...EMAILS, adminEmails: 'van-phong@haiphong.gov.vn , tthc@haiphong.gov.vn' }).adminEmails)
      .toEqual(['van-phong@haiphong.gov.vn', 'tthc@haiphong.gov.vn']);
    expect(configOf(EMAILS).adminEmails).toEqual(['lanh-dao@haiphong.gov.vn', 'van-phong@haiphong.gov.vn']);
    expect(configOf({ ...EMAILS, adminEmails: '' }).adminEmails).toEqual(['lanh-dao@haiphong.gov.vn', 'van-phong@haiphong.gov.vn']);
  });

  it('-c dryRun=true synthesizes a stack that mails nobody and has no alarm subscription', () => {
    const app = new App({ context: { ...NO_BUNDLING, dryRun: 'true' } });
    const template = Template.fromStack(new TthcStack(app, 'Dry', { env: { account: '123456789012', region: 'ap-southeast-1' } }));
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    expect(JSON.stringify(template.toJSON())).toContain('"TTHC_REPORT_RECIPIENTS":""');
  }, SYNTH_TIMEOUT);
});

describe('schedules from the configured period', () => {
  const cronOf = (context: Record<string, unknown>) =>
    Object.fromEntries([...reportSchedules(configOf({ ...EMAILS, ...context })), { id: 'Reminders', ...reminderSchedule(configOf({ ...EMAILS, ...context })) }]
      .map((s) => [s.id, s.cron]));

  it('by default: report on the 20th at 08:00, deadline check at 09:00, status daily, reminders the 17th to the 21st (the day after the due day), quarter and year after the last period\'s report', () => {
    expect(cronOf({})).toEqual({
      Monthly: 'cron(0 8 20 * ? *)', DeadlineCheck: 'cron(0 9 20 * ? *)', DailyStatus: 'cron(0 7 * * ? *)', Reminders: 'cron(0 8 17-21 * ? *)',
      Quarterly: 'cron(0 10 20 3,6,9,12 ? *)', Annual: 'cron(0 11 20 12 ? *)',
    });
  });

  it('-c periodDueDay=25 moves the report, the deadline check and the end of the reminders', () => {
    expect(cronOf({ periodDueDay: '25' })).toEqual({
      Monthly: 'cron(0 8 25 * ? *)', DeadlineCheck: 'cron(0 9 25 * ? *)', DailyStatus: 'cron(0 7 * * ? *)', Reminders: 'cron(0 8 17-26 * ? *)',
      Quarterly: 'cron(0 10 25 3,6,9,12 ? *)', Annual: 'cron(0 11 25 12 ? *)',
    });
    expect(cronOf({ periodDueDay: 25, reminderStartDay: 24 }).Reminders).toBe('cron(0 8 24-26 * ? *)');
    expect(cronOf({ periodDueDay: 18 }).Reminders).toBe('cron(0 8 17-19 * ? *)');
    // Due on the 28th: the day after is the 1st of March in a common year.
    expect(cronOf({ periodDueDay: 28 }).Reminders).toBe('cron(0 8 17-29,1 * ? *)');
  });

  it('calendar-month periods (periodStartDay 1) are due in the month after: so are the quarter\'s and the year\'s reports', () => {
    expect(cronOf({ periodStartDay: '1', periodDueDay: '5', reminderStartDay: '1' })).toMatchObject({
      Monthly: 'cron(0 8 5 * ? *)', Quarterly: 'cron(0 10 5 1,4,7,10 ? *)', Annual: 'cron(0 11 5 1 ? *)', Reminders: 'cron(0 8 1-6 * ? *)',
    });
  });

  it('the reminder schedule says what each day does', () => {
    expect(reminderSchedule(configOf(EMAILS)).description).toBe(
      'Daily at 08:00 from the 17th to the 19th: reminders to units that have not reported; on the 21st, the list of missing and late units to the administrators');
    expect(reminderSchedule(configOf({ ...EMAILS, reminderStartDay: 19 })).description).toMatch(/^On the 19th at 08:00: reminders/);
  });

  it('refuses days that are not in every month, a due day before the period closes, and reminders outside the window', () => {
    expect(() => configOf({ ...EMAILS, periodDueDay: '31' })).toThrow(/periodDueDay must be a day from 17 to 28/);
    expect(() => configOf({ ...EMAILS, periodDueDay: '10' })).toThrow(/periodDueDay/);
    expect(() => configOf({ ...EMAILS, periodDueDay: 'x' })).toThrow(/periodDueDay/);
    expect(() => configOf({ ...EMAILS, reminderStartDay: '20' })).toThrow(/reminderStartDay must be a day from 16 to 19/);
    expect(() => configOf({ ...EMAILS, periodStartDay: '0' })).toThrow(/periodStartDay/);
  });

  it('descriptions name the days as English does', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 15, 21, 22, 23, 28].map(dayOfMonth)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '15th', '21st', '22nd', '23rd', '28th']);
    const monthly = reportSchedules(configOf({ ...EMAILS, periodDueDay: '22' })).find((s) => s.id === 'Monthly')!;
    expect(monthly.description).toBe('Monthly leadership report, on the 22nd at 08:00, for the period that closed on the 15th');
  });

  it('the report function has no reminder schedule: the reminders have their own function', () => {
    expect(reportSchedules(configOf(EMAILS)).map((s) => s.input.mode)).toEqual(['report', 'deadline_check', 'status', 'quarter', 'year']);
  });
});

describe('alarm thresholds', () => {
  it('rejectedUploadsPerHour defaults to 20 and takes a whole number', () => {
    expect(configOf(EMAILS).rejectedUploadsPerHour).toBe(20);
    expect(configOf({ ...EMAILS, rejectedUploadsPerHour: '50' }).rejectedUploadsPerHour).toBe(50);
    expect(() => configOf({ ...EMAILS, rejectedUploadsPerHour: '0' })).toThrow(/rejectedUploadsPerHour must be a whole number/);
    expect(() => configOf({ ...EMAILS, ingestConcurrency: 'lots' })).toThrow(/ingestConcurrency/);
  });
});

describe('where the stack deploys', () => {
  const node = (context: Record<string, unknown>) => new App({ context }).node;

  it('the configured region wins over the one the CLI derived from the profile (us-east-1 when the profile names none)', () => {
    expect(deploymentEnv(node({ region: 'ap-southeast-1' }), { CDK_DEFAULT_REGION: 'us-east-1', CDK_DEFAULT_ACCOUNT: '123456789012' }))
      .toEqual({ account: '123456789012', region: 'ap-southeast-1' });
  });

  it('without a configured region, the CLI\'s; with neither, a clear error; a typo is refused', () => {
    expect(deploymentEnv(node({}), { CDK_DEFAULT_REGION: 'ap-southeast-2' }).region).toBe('ap-southeast-2');
    expect(() => deploymentEnv(node({}), {})).toThrow(/region must be set/);
    expect(() => deploymentEnv(node({ region: 'singapore' }), {})).toThrow(/not an AWS region/);
  });
});

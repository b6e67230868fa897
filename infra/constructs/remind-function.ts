// The reminders (functions/remind): daily at 08:00 Asia/Ho_Chi_Minh from reminderStartDay
// through the day after the due day. Up to the day before it, units without an accepted
// report get a mail; the day after it, the administrators get the list of units missing and
// late. Outside that window a run does nothing, so the schedule can stay this simple. It is
// in the report's schedule group and sends what it could not do to the same dead-letter queue.
import { Duration, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput, type ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TthcConfig } from '../config.ts';
import { acknowledge, arnToken, defaultPolicyOf } from '../nag.ts';
import { FUNCTIONS_DIR, sesSend } from './ingest-function.ts';
import { nodeFunction } from './node-function.ts';
import { dayOfMonth, SCHEDULE_MAX_EVENT_AGE, SCHEDULE_RETRIES, SCHEDULE_TIME_ZONE } from './report-function.ts';

/** The partitions the reminders read (a period's reports, the loaded registry) and the one they write (their log). */
export const REMINDER_READS = ['PERIOD#*', 'CONFIG#*'];
export const REMINDER_LOG = 'REMIND#*';

/** The daily reminder schedule for a configured period (cron fields: minute hour day-of-month month day-of-week year). */
export function reminderSchedule(config: Pick<TthcConfig, 'periodDueDay' | 'reminderStartDay'>): { cron: string; description: string } {
  const dayAfter = config.periodDueDay + 1;
  // Due on the 28th: the day after is the 1st of March in a common year, which has no 29th.
  // The run on the 1st of other months finds nothing to do.
  const days = `${config.reminderStartDay}-${dayAfter}${dayAfter > 28 ? ',1' : ''}`;
  const last = config.periodDueDay - 1;
  const reminding = config.reminderStartDay === last ? `On the ${dayOfMonth(last)} at 08:00` : `Daily at 08:00 from the ${dayOfMonth(config.reminderStartDay)} to the ${dayOfMonth(last)}`;
  return {
    cron: `cron(0 8 ${days} * ? *)`,
    description: `${reminding}: reminders to units that have not reported; on the ${dayOfMonth(dayAfter)}, the list of missing and late units to the administrators`,
  };
}

export interface RemindFunctionProps {
  table: Table;
  /** Only its name: the shared adapters need it; the reminders read nothing from the bucket and get no grant on it. */
  bucket: Bucket;
  config: TthcConfig;
  /** The clerks' portal, linked from every reminder. */
  portalUrl: string;
  /** The report's schedule group and dead-letter queue (alarmed by ops). */
  schedules: { group: ScheduleGroup; deadLetters: Queue };
}

export class RemindFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: RemindFunctionProps) {
    super(scope, id);
    const { table, bucket, config, schedules } = props;
    this.fn = nodeFunction(this, 'Function', {
      entry: `${FUNCTIONS_DIR}remind/handler.ts`,
      serviceName: 'tthc-remind',
      description: 'Daily reminders to units that have not reported; the administrators\' list the day after the due day',
      memorySize: 512,
      // A whole city's reminders at SES's pace, with a few sends at a time.
      timeout: Duration.minutes(5),
      // A failed run is tried again: the log claims each day and unit once and gives the claim
      // back when a send fails, so a retry mails only those not mailed yet.
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      deadLetterQueue: schedules.deadLetters,
      environment: {
        TTHC_TABLE: table.tableName,
        TTHC_BUCKET: bucket.bucketName,
        TTHC_MAIL_FROM: config.senderEmail,
        TTHC_PORTAL_URL: props.portalUrl,
        TTHC_ADMIN_EMAILS: config.adminEmails.join(','),
        TTHC_REMINDER_START_DAY: String(config.reminderStartDay),
        TTHC_PERIOD_START_DAY: String(config.periodStartDay),
        TTHC_PERIOD_DUE_DAY: String(config.periodDueDay),
      },
    });
    // Reads: the period's reports and the loaded registry (units and contact addresses), by
    // partition; and a day of the reminder log (did any reminder go that day?).
    this.fn.addToRolePolicy(new PolicyStatement({
      actions: ['dynamodb:Query'], resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...REMINDER_READS, REMINDER_LOG] } },
    }));
    // The reminder log only: a conditional put claims a day and unit, a delete gives it back, an
    // update marks a send SES refused for good, and a get tells a rerun that refusal from a mail sent.
    this.fn.addToRolePolicy(new PolicyStatement({
      actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem'], resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [REMINDER_LOG] } },
    }));
    this.fn.addToRolePolicy(sesSend(this, config));

    // A role of our own for the scheduler (CDK's shared one is per target, unnamed): it may
    // invoke this function only, for schedules of this account's group.
    const { account } = Stack.of(this);
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account, 'aws:SourceArn': schedules.group.scheduleGroupArn } },
      }),
    });
    const { cron, description } = reminderSchedule(config);
    this.schedule = new Schedule(this, 'Daily', {
      description,
      schedule: ScheduleExpression.expression(cron, SCHEDULE_TIME_ZONE),
      scheduleGroup: schedules.group,
      target: new LambdaInvoke(this.fn, {
        role: schedulerRole,
        input: ScheduleTargetInput.fromObject({ mode: 'remind' }),
        retryAttempts: SCHEDULE_RETRIES, maxEventAge: SCHEDULE_MAX_EVENT_AGE, deadLetterQueue: schedules.deadLetters,
      }),
    });
    acknowledge(defaultPolicyOf(schedulerRole), [{
      id: `AwsSolutions-IAM5[Resource::${arnToken(this.fn)}:*]`, reason: 'The scheduler role invokes only the reminder function (any version), as CDK grants it.',
    }]);
  }
}

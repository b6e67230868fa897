// The report function and its schedules (EventBridge Scheduler, Asia/Ho_Chi_Minh), all
// derived from the configured period (defaults: window 16th → 15th, due the 20th):
// the due day 08:00 builds and mails the report; 09:00 checks it went out; daily 07:00
// counts the units still missing. The reminders have a function and schedule of their own
// (remind-function.ts), in this construct's schedule group and dead-letter queue.
import { Duration, RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleGroup, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { acknowledge, arnToken, defaultPolicyOf, prefixFindings, stackSingleton } from '../nag.ts';
import { Construct } from 'constructs';
import type { TthcConfig } from '../config.ts';
import { FUNCTIONS_DIR, sesSend } from './ingest-function.ts';
import { nodeFunction, type Shipped } from './node-function.ts';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { REPORTS_PREFIX } from '../../shared/bucket-layout.ts';

export const SCHEDULE_TIME_ZONE = TimeZone.ASIA_HO_CHI_MINH;

/** What the report function carries beside its bundle (see nodeFunction's Shipped). */
export const REPORT_SHIPS: Shipped = {
  packages: ['@resvg/resvg-js', '@resvg/resvg-js-linux-x64-gnu'],
  files: ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => ({ from: `node_modules/dejavu-fonts-ttf/ttf/${f}`, to: `fonts/${f}` })),
};
/** Retries within the first hour, well before the 09:00 deadline check. */
export const SCHEDULE_RETRIES = 3;
export const SCHEDULE_MAX_EVENT_AGE = Duration.hours(1);

export interface ReportSchedule {
  id: 'Monthly' | 'DeadlineCheck' | 'DailyStatus' | 'Quarterly' | 'Annual';
  cron: string;
  input: { mode: 'report' | 'deadline_check' | 'status' | 'quarter' | 'year' };
  description: string;
}

/** 1st, 2nd, 3rd, 4th … 21st: schedule descriptions read as the plan does. */
export const dayOfMonth = (day: number): string =>
  `${day}${[11, 12, 13].includes(day) ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[day % 10] ?? 'th'}`;

/** The report function's schedules for a configured period (cron fields: minute hour day-of-month month day-of-week year). */
export function reportSchedules(config: Pick<TthcConfig, 'periodStartDay' | 'periodDueDay'>): ReportSchedule[] {
  const due = config.periodDueDay;
  const calendar = config.periodStartDay === 1;
  const closes = calendar ? 'the end of last month' : `the ${dayOfMonth(config.periodStartDay - 1)}`;
  return [
    { id: 'Monthly', cron: `cron(0 8 ${due} * ? *)`, input: { mode: 'report' },
      description: `Monthly leadership report, on the ${dayOfMonth(due)} at 08:00, for the period that closed on ${closes}` },
    { id: 'DeadlineCheck', cron: `cron(0 9 ${due} * ? *)`, input: { mode: 'deadline_check' },
      description: `Alarms when the leadership report was not sent by 09:00 on the ${dayOfMonth(due)}` },
    { id: 'DailyStatus', cron: 'cron(0 7 * * ? *)', input: { mode: 'status' },
      description: 'Daily count of units on time, late and missing for the period being collected' },
    // After the quarter's (the year's) last monthly report and its deadline check: the range
    // whose last period closed most recently is the one just ended.
    // Calendar-month periods (startDay 1) are due in the month after: so are the ranges.
    calendar
      ? { id: 'Quarterly', cron: `cron(0 10 ${due} 1,4,7,10 ? *)`, input: { mode: 'quarter' },
        description: `Quarterly leadership report, on the ${dayOfMonth(due)} of January, April, July and October at 10:00` }
      : { id: 'Quarterly', cron: `cron(0 10 ${due} 3,6,9,12 ? *)`, input: { mode: 'quarter' },
        description: `Quarterly leadership report, on the ${dayOfMonth(due)} of March, June, September and December at 10:00` },
    { id: 'Annual', cron: `cron(0 11 ${due} ${calendar ? 1 : 12} ? *)`, input: { mode: 'year' },
      description: `Annual leadership report and the year's evaluation against the targets, on the ${dayOfMonth(due)} of ${calendar ? 'January' : 'December'} at 11:00` },
  ];
}

export class ReportFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly schedules: Schedule[];
  readonly group: ScheduleGroup;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: { bucket: Bucket; table: Table; config: TthcConfig }) {
    super(scope, id);
    const { bucket, table, config } = props;
    // A scheduled run that did not happen ends here, and is alarmed: one the scheduler could not
    // hand to Lambda (throttled, no permission) after its retries, or one the function failed
    // three times. A missed report run is never silent.
    this.deadLetters = new Queue(this, 'ScheduleDeadLetters', {
      retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true,
    });
    acknowledge(this.deadLetters, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of the report function and of its schedules.' },
    ]);
    this.fn = nodeFunction(this, 'Function', {
      entry: `${FUNCTIONS_DIR}report/handler.ts`,
      // The trend chart is drawn by resvg, native code: the function carries the Linux x64
      // (glibc) build that npm ci installs on the deploying Linux x64 machine (CI), so it runs
      // on x86_64 (the arm64 build is not installed there, and synth stays offline). The
      // fonts go beside the bundle, where shared/report/chart.ts looks first.
      architecture: Architecture.X86_64,
      ship: REPORT_SHIPS,
      serviceName: 'tthc-report',
      description: 'Builds the monthly leadership workbook and emails it',
      // Written by exceljs's streaming writer, a national workbook (12,000 units × 12 periods)
      // peaks at 275–295 MiB (npm run bench), the city's at 136 MiB: 512 MB leaves headroom.
      memorySize: 512,
      timeout: Duration.minutes(5),
      // A failed run (S3 or DynamoDB throttled at 08:00) is tried again: the report claims its
      // send once per period and gives the claim back when the send fails, so a retry never
      // mails twice. Within the hour, before the deadline check.
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      deadLetterQueue: this.deadLetters,
      environment: {
        TTHC_BUCKET: bucket.bucketName,
        TTHC_TABLE: table.tableName,
        TTHC_MAIL_FROM: config.senderEmail,
        TTHC_REPORT_RECIPIENTS: config.reportRecipients.join(','),
        NODE_OPTIONS: '--max-old-space-size=384', // no --enable-source-maps: see BUNDLE in node-function.ts
        TTHC_PERIOD_START_DAY: String(config.periodStartDay),
        TTHC_PERIOD_DUE_DAY: String(config.periodDueDay),
      },
    });
    // PutItem/UpdateItem/DeleteItem: the period's PUBLICATION item, claimed once before the
    // report is mailed (a retried run never mails twice), marked sent, given back on failure.
    this.fn.addToRolePolicy(new PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], resources: [table.tableArn],
    }));
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [bucket.arnForObjects(`${REPORTS_PREFIX}*`)] }));
    this.fn.addToRolePolicy(sesSend(this, config));

    // Our own group, so the AWS/Scheduler metrics (dimension ScheduleGroup) are these schedules'.
    // It holds no data, and it has a fixed name: kept after a failed first deploy's rollback, it
    // would make every later deploy fail with "already exists".
    this.group = new ScheduleGroup(this, 'Schedules', { removalPolicy: RemovalPolicy.DESTROY });
    this.schedules = reportSchedules(config).map((s) => new Schedule(this, s.id, {
      description: s.description,
      schedule: ScheduleExpression.expression(s.cron, SCHEDULE_TIME_ZONE),
      scheduleGroup: this.group,
      target: new LambdaInvoke(this.fn, {
        input: ScheduleTargetInput.fromObject(s.input), retryAttempts: SCHEDULE_RETRIES, maxEventAge: SCHEDULE_MAX_EVENT_AGE, deadLetterQueue: this.deadLetters,
      }),
    }));

    acknowledge(defaultPolicyOf(this.fn.role), prefixFindings(bucket, ['reports'], 'One folder per period of workbooks; nothing else in the bucket.'));
    // EventBridge Scheduler's target role (one per stack, CDK's) may invoke the function's versions (ARN:*).
    acknowledge(defaultPolicyOf(stackSingleton(this, 'SchedulerRoleForTarget')), [{
      id: `AwsSolutions-IAM5[Resource::${arnToken(this.fn)}:*]`, reason: 'The scheduler role invokes only the report function (any version), as CDK grants it.',
    }]);
  }
}

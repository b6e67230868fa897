// What ops watch: uploads per day by outcome, ingest errors and duration, the dead-letter
// queue, report runs and emails, units missing, mails SES refused for good; and the alarms
// that page them (SNS).
import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, SingleValueWidget, TextWidget, TreatMissingData, type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { TthcConfig } from '../config.ts';
import { dayOfMonth } from './report-function.ts';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../functions/commons/powertools.ts';

/**
 * What ops re-run when the report function failed: it serves five schedules (the hour of the
 * failure says which; the logs say the mode), and each is re-run with its own event.
 */
export function reportFailedText(dueDay: number): string {
  const due = dayOfMonth(dueDay);
  return 'The report function failed; Lambda retries it twice within the hour. The time and the logs say which run: '
    + `monthly report (the ${due}, 08:00): invoke it with {"period":"YYYY-MM"}, and if it answers alreadySent after a run died mid-send, {"period":"YYYY-MM","resend":true}; `
    + `deadline check (the ${due}, 09:00): {"mode":"deadline_check","period":"YYYY-MM"}; `
    + 'daily status count (07:00): {"mode":"status"}, or leave it to the next day\'s run (it only counts units missing and late); '
    + `quarterly report (the ${due}, 10:00): {"mode":"quarter","quarter":"YYYY-Qn"}; `
    + `annual report (the ${due}, 11:00): {"mode":"year","year":"YYYY"}.`;
}

export class OpsDashboard extends Construct {
  readonly dashboard: Dashboard;
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];
  private readonly alarm: (name: string, metric: IMetric, description: string, threshold?: number, comparisonOperator?: ComparisonOperator) => Alarm;

  constructor(scope: Construct, id: string, props: {
    ingest: NodejsFunction; report: NodejsFunction; deadLetters: Queue; schedules: { group: IScheduleGroup; deadLetters: Queue }; config: TthcConfig;
  }) {
    super(scope, id);
    const { ingest, report, deadLetters, schedules, config } = props;
    const custom = (service: string, name: string, period = Duration.days(1), statistic = 'Sum') =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service }, period, statistic });

    // CloudWatch publishes to an encrypted topic only with a customer key it may use, and only
    // for alarms of this account (confused deputy: aws:SourceAccount).
    const { account, partition, region } = Stack.of(this);
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const thisAccount = { StringEquals: { 'aws:SourceAccount': account } };
    const key = new Key(this, 'AlarmTopicKey', { enableKeyRotation: true, description: 'Encrypts the TTHC ops alarm topic' });
    key.addToResourcePolicy(new PolicyStatement({
      sid: 'CloudWatchAlarmsUseTheKey', principals: [cloudWatch], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], resources: ['*'], conditions: thisAccount,
    }));
    this.alarmTopic = new Topic(this, 'AlarmTopic', { displayName: 'TTHC báo cáo: cảnh báo vận hành', masterKey: key, enforceSSL: true });
    // enforceSSL makes CDK write a topic policy, which replaces SNS's default one: without this
    // statement the policy holds only the TLS Deny and no alarm could ever publish.
    this.alarmTopic.addToResourcePolicy(new PolicyStatement({
      sid: 'CloudWatchAlarmsPublish', principals: [cloudWatch], actions: ['sns:Publish'], resources: [this.alarmTopic.topicArn],
      conditions: { ...thisAccount, ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` } },
    }));
    if (config.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));

    const alarm = this.alarm = (name: string, metric: IMetric, description: string, threshold = 1, comparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD) => {
      const a = new Alarm(this, name, {
        // Named as the README names it (behind the stack's name), not with CDK's generated suffix.
        alarmName: `${Stack.of(this).stackName}-${name}`,
        metric, threshold, evaluationPeriods: 1, alarmDescription: description,
        comparisonOperator, treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(new SnsAction(this.alarmTopic));
      this.alarms.push(a);
      return a;
    };
    const dlqDepth = deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
    alarm('DeadLettersNotEmpty', dlqDepth,
      'S3 events of uploads (or configuration files) that failed ingest after all retries are in the ingest dead-letter queue (output IngestDeadLetterQueueUrl): check the ingest logs, fix the cause, then replay each message by invoking the ingest function with its body (README, "Replaying a dead letter"). SQS redrive cannot send them back to a function. Messages are kept 14 days.');
    alarm('IngestErrors', ingest.metricErrors({ period: Duration.minutes(5) }),
      'The ingest function failed (S3 or DynamoDB unavailable, throttling, a bug). Lambda retries; look at the logs for "ingest failed".');
    alarm('ReportFailed', report.metricErrors({ period: Duration.hours(1) }), reportFailedText(config.periodDueDay));
    const scheduleDlqDepth = schedules.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' });
    alarm('ScheduleDeadLettersNotEmpty', scheduleDlqDepth,
      'A scheduled run (report, deadline check, status, reminders) did not happen: the scheduler could not invoke the function, or it failed three times. See the message and the logs, fix the cause, then invoke that function by hand (report: {"period":"YYYY-MM"}; reminders: {"mode":"remind"}, or {"mode":"remind","at":"ISO-8601"} for a past day).');
    // Dropped: retries exhausted; failed to reach the DLQ: not even kept. AWS/Scheduler, our group.
    const scheduleLost = new MathExpression({
      expression: 'dropped + notKept', label: 'Scheduled runs lost', period: Duration.hours(1),
      usingMetrics: { dropped: schedules.group.metricDropped({ period: Duration.hours(1) }), notKept: schedules.group.metricFailedToBeSentToDLQ(undefined, { period: Duration.hours(1) }) },
    });
    alarm('ScheduledRunsFailed', scheduleLost,
      'EventBridge Scheduler gave up invoking a function (InvocationDroppedCount or InvocationsFailedToBeSentToDeadLetterCount): a report, deadline check, status or reminder run did not happen.');
    alarm('RejectedUploadsSpike', custom('tthc-ingest', 'UploadsRejected', Duration.hours(1)),
      `More than ${config.rejectedUploadsPerHour} uploads were rejected in one hour: a changed template or a reader fault, rather than clerks' slips. Look at the error codes in the ingest logs.`,
      config.rejectedUploadsPerHour, ComparisonOperator.GREATER_THAN_THRESHOLD);
    // SES refusals for good: no retry mends them, so nothing else (errors, dead letters) shows them.
    const feedbackRefused = custom('tthc-ingest', 'FeedbackMailsUndeliverable', Duration.hours(1));
    alarm('FeedbackMailsUndeliverable', feedbackRefused,
      'SES refused a unit\'s feedback mail for good (MessageRejected or BadRequestException). The upload itself was ingested: the clerk sees the feedback in the portal and under results/. The ingest logs ("feedback mail refused by SES") name the unit, the upload and SES\'s answer: check that unit\'s contact_email in the registry (tthc registry show) and load a corrected registry file. If every unit\'s mail is refused, SES is still in the sandbox (it mails verified addresses only) or the sender identity (senderEmail) is not verified: README, deployment steps 3 and 4. Not retried: the unit\'s next upload is mailed again.');
    const remindersRefused = custom('tthc-remind', 'RemindersUndeliverable', Duration.hours(1));
    alarm('RemindersUndeliverable', remindersRefused,
      'SES refused reminder mails for good (MessageRejected or BadRequestException). A few units: the reminder logs ("reminder refused by SES") name the addresses and the run\'s answer lists the units as undeliverable; check each unit\'s contact_email in the registry (tthc registry show) and load a corrected registry file; the next day\'s run tries them again. Every send of a run refused: SES is in the sandbox or the sender identity (senderEmail) is not verified (README, deployment steps 3 and 4). If no reminder had gone yet that cycle, the run failed naming SES\'s answer and gave the claims back: after the fix, invoke the reminder function with {"mode":"remind"} to mail them the same day. If reminders went on earlier days, the run succeeded and kept the refused units for the day: the next day\'s run tries them. The day-after list to adminEmails counts here too.');
    alarm('ReportNotSent', custom('tthc-report', 'ReportNotSent', Duration.hours(1), 'Maximum'),
      `The monthly leadership report had not been emailed by 09:00 on the ${dayOfMonth(config.periodDueDay)}: invoke the report function with {"period":"YYYY-MM"}; if its answer says alreadySent (a run died between claiming and sending), with {"period":"YYYY-MM","resend":true}.`);

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: 'tthc-bao-cao', defaultInterval: Duration.days(35) });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: `# Báo cáo hồ sơ TTHC: tiếp nhận và báo cáo tháng\nUploads arrive mostly from the ${dayOfMonth(config.periodStartDay)} to the ${dayOfMonth(config.periodDueDay)}; the report is mailed on the ${dayOfMonth(config.periodDueDay)} at 08:00.`, width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Uploads per day by outcome', width: 12, stacked: true,
        left: [custom('tthc-ingest', 'UploadsAccepted'), custom('tthc-ingest', 'UploadsRejected'), custom('tthc-ingest', 'UploadsUnchanged')],
      }),
      new GraphWidget({
        title: 'Ingest errors and duration', width: 12,
        left: [ingest.metricErrors({ period: Duration.hours(1) }), custom('tthc-ingest', 'IngestErrors', Duration.hours(1))],
        right: [ingest.metricDuration({ period: Duration.hours(1), statistic: 'p95' })],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Dead-letter queues: ingest, schedules', width: 8, left: [dlqDepth, scheduleDlqDepth] }),
      new GraphWidget({
        title: 'Report runs, duration and emails sent', width: 8,
        left: [custom('tthc-report', 'ReportRuns'), custom('tthc-report', 'EmailsSent'), custom('tthc-report', 'ReportNotSent', Duration.days(1), 'Maximum')],
        right: [custom('tthc-report', 'ReportDuration', Duration.days(1), 'Maximum')],
      }),
      // The daily status run emits UnitsMissing (missing or rejected only) and UnitsLate; it
      // emits no on-time count yet, so the widget shows what exists.
      new SingleValueWidget({
        title: 'Units missing / late for the period being collected', width: 8,
        metrics: [
          custom('tthc-report', 'UnitsMissing', Duration.days(1), 'Maximum').with({ label: 'Missing (or rejected only)' }),
          custom('tthc-report', 'UnitsLate', Duration.days(1), 'Maximum').with({ label: 'Late' }),
        ],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Scheduled runs: attempts, target errors, lost', width: 12,
        left: [schedules.group.metricAttempts({ period: Duration.days(1) }), schedules.group.metricTargetErrors({ period: Duration.days(1) }), scheduleLost],
      }),
      new GraphWidget({
        title: `Rejected uploads per hour (alarm above ${config.rejectedUploadsPerHour})`, width: 12,
        left: [custom('tthc-ingest', 'UploadsRejected', Duration.hours(1))],
      }),
    );
    this.dashboard.addWidgets(new GraphWidget({
      title: 'Mails SES refused for good per hour: feedback, reminders (alarm at 1)', width: 12,
      left: [feedbackRefused.with({ label: 'Feedback mails' }), remindersRefused.with({ label: 'Reminders' })],
    }));
  }

  /**
   * The clerks' portal API (infra/stack.ts hands it over): alarm on its 5xx answers, which
   * mean clerks cannot upload, and show them on the dashboard.
   */
  alarmOnPortalApi(api: IHttpApi): Alarm {
    const errors = api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' });
    this.dashboard.addWidgets(new GraphWidget({ title: 'Portal API 5xx', width: 12, left: [errors] }));
    return this.alarm('PortalApiErrors', errors,
      'The portal API answered 5xx: clerks may not be able to sign in or upload. Look at the portal function\'s logs and the API access log.');
  }
}

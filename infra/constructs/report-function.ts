// The report function and its schedules (EventBridge Scheduler, Asia/Ho_Chi_Minh):
// the 20th 08:00 builds and mails the report; the 20th 09:00 checks it went out;
// daily 07:00 counts the units still missing for the period being collected.
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { acknowledge, arnToken, prefixFindings } from '../nag.ts';
import { Construct } from 'constructs';
import type { TthcConfig } from '../config.ts';
import { FUNCTIONS_DIR, sesSend } from './ingest-function.ts';
import { nodeFunction } from './node-function.ts';
import { REPORTS_PREFIX } from '../../shared/bucket-layout.ts';

export const MONTHLY_REPORT_CRON = 'cron(0 8 20 * ? *)';

export class ReportFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly monthly: Schedule;

  constructor(scope: Construct, id: string, props: { bucket: Bucket; table: Table; config: TthcConfig }) {
    super(scope, id);
    const { bucket, table, config } = props;
    this.fn = nodeFunction(this, 'Function', {
      entry: `${FUNCTIONS_DIR}report/handler.ts`,
      serviceName: 'tthc-report',
      description: 'Builds the monthly leadership workbook and emails it',
      // A national workbook (12,000 units × 12 periods) peaks under 450 MB with this heap
      // limit (npm run bench); without it V8 grows lazily to the function's whole memory.
      memorySize: 1024,
      timeout: Duration.minutes(5),
      retryAttempts: 0, // a failed report alarms; a blind retry could mail twice
      environment: {
        TTHC_BUCKET: bucket.bucketName,
        TTHC_TABLE: table.tableName,
        TTHC_MAIL_FROM: config.senderEmail,
        TTHC_REPORT_RECIPIENTS: config.reportRecipients.join(','),
        NODE_OPTIONS: '--enable-source-maps --max-old-space-size=384',
        TTHC_PERIOD_START_DAY: String(config.periodStartDay),
        TTHC_PERIOD_DUE_DAY: String(config.periodDueDay),
      },
    });
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [table.tableArn] }));
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [bucket.arnForObjects(`${REPORTS_PREFIX}*`)] }));
    // Without ListBucket, HEAD on a missing sent.json answers 403, not 404, and the deadline
    // check could not tell "not sent" from "not allowed". (A HEAD carries no s3:prefix, so the
    // permission cannot be narrowed to reports/ by condition.)
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.fn.addToRolePolicy(sesSend(this, config));

    const at = (cron: string, input: object, description: string, name: string) => new Schedule(this, name, {
      description,
      schedule: ScheduleExpression.expression(cron, TimeZone.ASIA_HO_CHI_MINH),
      target: new LambdaInvoke(this.fn, { input: ScheduleTargetInput.fromObject(input), retryAttempts: 0 }),
    });
    this.monthly = at(MONTHLY_REPORT_CRON, { mode: 'report' }, 'Monthly leadership report for the period that closed on the 15th', 'Monthly');
    at('cron(0 9 20 * ? *)', { mode: 'deadline_check' }, 'Alarms when the leadership report was not sent by 09:00 on the 20th', 'DeadlineCheck');
    at('cron(0 7 * * ? *)', { mode: 'status' }, 'Daily count of units missing for the period being collected', 'DailyStatus');

    acknowledge(this.fn, prefixFindings(bucket, ['reports'], 'One folder per period of workbooks and sent markers; nothing else in the bucket.'));
    // EventBridge Scheduler's target role may invoke the function's versions (ARN:*), as CDK grants it.
    acknowledge(Stack.of(this), [{ id: `AwsSolutions-IAM5[Resource::${arnToken(this.fn)}:*]`, reason: 'The scheduler role invokes only the report function (any version), as CDK grants it.' }]);
  }
}

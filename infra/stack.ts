// The whole pipeline in one stack; its constructs mirror the functions.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { readConfig, type TthcConfig } from './config.ts';
import { IngestFunction } from './constructs/ingest-function.ts';
import { OpsDashboard } from './constructs/ops-dashboard.ts';
import { Portal } from './constructs/portal.ts';
import { RemindFunction } from './constructs/remind-function.ts';
import { ReportFunction } from './constructs/report-function.ts';
import { ReportTable } from './constructs/report-table.ts';
import { UnitUploadAccess } from './constructs/unit-upload-access.ts';
import { UploadBucket } from './constructs/upload-bucket.ts';

export class TthcStack extends Stack {
  readonly config: TthcConfig;
  /** Alarms and dashboard, the portal API's 5xx alarm included. */
  readonly ops: OpsDashboard;
  readonly portal: Portal;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.config = readConfig(this.node);
    const uploads = new UploadBucket(this, 'UploadBucket', { bucketName: this.config.bucketName });
    const table = new ReportTable(this, 'ReportTable', { tableName: this.config.tableName });
    const ingest = new IngestFunction(this, 'Ingest', { bucket: uploads.bucket, table: table.table, config: this.config });
    const report = new ReportFunction(this, 'Report', { bucket: uploads.bucket, table: table.table, config: this.config });
    const access = new UnitUploadAccess(this, 'UnitUploadAccess', { bucket: uploads.bucket });
    const { senderEmail, sesIdentity } = this.config;
    const portal = this.portal = new Portal(this, 'Portal', {
      bucket: uploads.bucket, table: table.table, accessLogs: uploads.accessLogs,
      periodStartDay: this.config.periodStartDay, periodDueDay: this.config.periodDueDay,
      // Cognito mails the invitations through our SES identity, in this region.
      invitationFrom: { address: senderEmail, sesRegion: this.region, domain: sesIdentity === senderEmail ? undefined : sesIdentity },
    });
    const schedules = { group: report.group, deadLetters: report.deadLetters };
    const remind = new RemindFunction(this, 'Remind', { table: table.table, bucket: uploads.bucket, config: this.config, portalUrl: portal.url, schedules });
    const ops = this.ops = new OpsDashboard(this, 'Ops', {
      ingest: ingest.fn, report: report.fn, deadLetters: ingest.deadLetters, schedules, config: this.config,
    });
    ops.alarmOnPortalApi(portal.api);

    new CfnOutput(this, 'BucketName', { value: uploads.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: table.table.tableName });
    new CfnOutput(this, 'UnitUploadPolicyArn', { value: access.policy.managedPolicyArn, description: 'Attach to each unit identity tagged unit_code=<code>' });
    new CfnOutput(this, 'AlarmTopicArn', { value: ops.alarmTopic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: 'tthc-bao-cao' });
    new CfnOutput(this, 'PortalUrl', { value: portal.url, description: "The clerks' portal (the reminders link to it)" });
    new CfnOutput(this, 'UserPoolId', { value: portal.userPool.userPoolId, description: 'TTHC_USER_POOL_ID for tthc accounts create|sync' });
    new CfnOutput(this, 'UserPoolClientId', { value: portal.client.userPoolClientId, description: "The page's app client (public, no secret)" });
    // What ops need to replay a dead letter (README, "Replaying a dead letter") without searching the console.
    new CfnOutput(this, 'IngestFunctionName', { value: ingest.fn.functionName });
    new CfnOutput(this, 'ReportFunctionName', { value: report.fn.functionName });
    new CfnOutput(this, 'RemindFunctionName', { value: remind.fn.functionName });
    new CfnOutput(this, 'IngestDeadLetterQueueUrl', { value: ingest.deadLetters.queueUrl, description: 'S3 events of uploads and configuration files that failed every retry' });
    new CfnOutput(this, 'ScheduleDeadLetterQueueUrl', { value: report.deadLetters.queueUrl, description: 'Scheduled runs (report, status, reminders) that failed every retry' });
  }
}

// The ingest function: S3 ObjectCreated under incoming/ → read, validate, store, feedback.
// Async invocation: two retries, then the event goes to the dead-letter queue.
import { Duration, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { EventType, type Bucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { acknowledge, defaultPolicyOf, prefixFindings, stackSingleton } from '../nag.ts';
import { Construct } from 'constructs';
import type { TthcConfig } from '../config.ts';
import { nodeFunction } from './node-function.ts';
import { CONFIG_PREFIX, INCOMING_PREFIX, RESULTS_PREFIX } from '../../shared/bucket-layout.ts';

export const FUNCTIONS_DIR = new URL('../../functions/', import.meta.url).pathname;

export class IngestFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: { bucket: Bucket; table: Table; config: TthcConfig }) {
    super(scope, id);
    const { bucket, table, config } = props;
    this.deadLetters = new Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    acknowledge(this.deadLetters, [
      { id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of the ingest function.' },
    ]);
    this.fn = nodeFunction(this, 'Function', {
      entry: `${FUNCTIONS_DIR}ingest/handler.ts`,
      serviceName: 'tthc-ingest',
      description: 'Reads, validates and stores the monthly report files units upload',
      reservedConcurrentExecutions: config.ingestConcurrency,
      deadLetterQueue: this.deadLetters,
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      environment: {
        TTHC_BUCKET: bucket.bucketName,
        TTHC_TABLE: table.tableName,
        TTHC_MAIL_FROM: config.senderEmail,
        TTHC_PERIOD_START_DAY: String(config.periodStartDay),
        TTHC_PERIOD_DUE_DAY: String(config.periodDueDay),
      },
    });
    // Least privilege: read uploads (any version), write feedback, the table's item and query calls.
    this.fn.addToRolePolicy(new PolicyStatement({
      actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [bucket.arnForObjects(`${INCOMING_PREFIX}*`), bucket.arnForObjects(`${CONFIG_PREFIX}*`)],
    }));
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [bucket.arnForObjects(`${RESULTS_PREFIX}*`)] }));
    // Listing, for one answer: S3 says "no such key" (404) for an upload deleted before it was
    // read only to a caller who may list the bucket; to others it says 403, like a refused read,
    // and the event would be retried into the dead-letter queue. The bucket itself, no condition:
    // S3 weighs this right without the prefix a listing would name.
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    this.fn.addToRolePolicy(new PolicyStatement({
      // PutItem/DeleteItem: the upload record, the current pointer, and the claims that keep a
      // retried event from mailing twice (a failed send gives its claim back); UpdateItem:
      // marking the feedback mail sent; BatchWriteItem: the rows of a registry or targets load;
      // BatchGetItem: what an upload is judged against (current report, publication, earlier periods).
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:Query'], resources: [table.tableArn],
    }));
    this.fn.addToRolePolicy(sesSend(this, config));
    bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.fn), { prefix: INCOMING_PREFIX });
    // Registry and targets files an administrator uploads, loaded by the same function.
    bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(this.fn), { prefix: CONFIG_PREFIX });
    acknowledge(defaultPolicyOf(this.fn.role), prefixFindings(bucket, ['incoming', 'config', 'results'],
      'Objects under a prefix: any unit\'s uploads (incoming/, config/) are read, any unit\'s feedback (results/) written; nothing else in the bucket.'));
    // CDK's bucket-notification helper (one per stack) writes its logs with the managed policy.
    acknowledge(stackSingleton(this, 'BucketNotificationsHandler').node.findChild('Role'), [{
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK\'s bucket-notification helper writes its own CloudWatch logs with AWSLambdaBasicExecutionRole, nothing else.',
    }]);
  }
}

/**
 * Sending as the configured identity only. SES v2 SendEmail with raw content (our mailer
 * sends the MIME it built) is authorized as ses:SendRawEmail, so both actions are needed:
 * with ses:SendEmail alone SES answers AccessDenied "not authorized to perform
 * ses:SendRawEmail" (reported in anymail/django-anymail#384, whose IAM docs now list both).
 */
export function sesSend(scope: Construct, config: TthcConfig): PolicyStatement {
  const { region, account, partition } = Stack.of(scope);
  return new PolicyStatement({
    effect: Effect.ALLOW,
    actions: ['ses:SendEmail', 'ses:SendRawEmail'],
    resources: [`arn:${partition}:ses:${region}:${account}:identity/${config.sesIdentity}`],
  });
}

// The reports table (schema: functions/commons/dynamodb-report-store.ts): on-demand,
// point-in-time recovery, deletion protection, TTL for the items that expire.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_KEYS } from '../../functions/commons/table-schema.ts';

/** The attribute DynamoDB's TTL reads (functions/commons/dynamodb-reminder-log.ts writes it). */
export const EXPIRES_AT = 'expires_at';

export class ReportTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: { tableName?: string }) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
      // Only the reminder log's items carry it (90 days); reports and uploads never expire.
      timeToLiveAttribute: EXPIRES_AT,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE_KEYS.gsi1.name,
      partitionKey: { name: TABLE_KEYS.gsi1.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.gsi1.sortKey, type: AttributeType.STRING },
    });
  }
}

// The report store on one DynamoDB table. Only operations both DynamoDB Local and
// dynalite support: single-item conditional puts, gets and queries on keys and a GSI.
//
//   PK                 SK                    what
//   PERIOD#<period>    UNIT#<unit>           the unit's current report (newest accepted upload)
//   PERIOD#<period>    UPLOAD#<unit>#<id>    one upload, immutable (history)
//   GSI1: UNIT#<unit>  <orderKey>#<id>       a unit's uploads in time order
//
// A period's reports and uploads are one Query on PK; a unit's history one Query on GSI1.
import {
  ConditionalCheckFailedException, CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand,
  QueryCommand, ResourceNotFoundException, UpdateItemCommand, type AttributeValue, type DynamoDBClient, type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CurrentReport, UploadRecord, UploadSummary } from '../../shared/ingest/upload.ts';
import type { PeriodReports, ReportStore } from '../../shared/store/report-store.ts';
import { TABLE_KEYS } from './table-schema.ts';


type Item = Record<string, AttributeValue>;

// Lists of issues and procedures are stored as JSON text (DynamoDB maps cannot hold their
// nulls without special-casing). An item must stay under 400 KB: procedure lists (a
// department may report thousands) are gzipped, and at most MAX_ISSUES issues of each kind
// are kept here. The unit's feedback in S3 carries them all.
const MAX_ISSUES = 100;

function packProcedures(procedures: UploadRecord['procedures']): Uint8Array {
  return gzipSync(JSON.stringify(procedures));
}

function unpackProcedures(a: Record<string, unknown>): UploadRecord['procedures'] {
  return JSON.parse(gunzipSync(a.procedures as Uint8Array).toString('utf8'));
}

function uploadItem(r: UploadRecord): Item {
  return marshall({
    PK: `PERIOD#${r.period}`, SK: `UPLOAD#${r.unit}#${r.uploadId}`,
    GSI1PK: `UNIT#${r.unit}`, GSI1SK: `${r.orderKey}#${r.uploadId}`,
    type: 'upload',
    upload_id: r.uploadId, unit: r.unit, period: r.period, period_from_file: r.periodFromFile,
    key: r.key, file_name: r.fileName, size: r.size, etag: r.etag, version_id: r.versionId, sequencer: r.sequencer,
    event_time: r.eventTime, order_key: r.orderKey, content_hash: r.contentHash, outcome: r.outcome, layout: r.layout,
    counts: r.counts ? JSON.stringify(r.counts) : null,
    procedures: packProcedures(r.procedures),
    errors: JSON.stringify(r.errors.slice(0, MAX_ISSUES)), warnings: JSON.stringify(r.warnings.slice(0, MAX_ISSUES)),
    errors_total: r.errors.length, warnings_total: r.warnings.length,
    processed_at: r.processedAt, notified_at: r.notifiedAt,
  }, { removeUndefinedValues: true });
}

function fromUploadItem(item: Item): UploadRecord {
  const a = unmarshall(item);
  return {
    uploadId: a.upload_id, unit: a.unit, period: a.period, periodFromFile: a.period_from_file,
    key: a.key, fileName: a.file_name, size: a.size, etag: a.etag, versionId: a.version_id ?? null, sequencer: a.sequencer,
    eventTime: a.event_time, orderKey: a.order_key, contentHash: a.content_hash, outcome: a.outcome, layout: a.layout ?? null,
    counts: a.counts ? JSON.parse(a.counts) : null,
    procedures: unpackProcedures(a), errors: JSON.parse(a.errors), warnings: JSON.parse(a.warnings),
    processedAt: a.processed_at, notifiedAt: a.notified_at ?? null,
  };
}

function currentItem(c: CurrentReport): Item {
  return marshall({
    PK: `PERIOD#${c.period}`, SK: `UNIT#${c.unit}`, type: 'current',
    unit: c.unit, period: c.period, upload_id: c.uploadId, order_key: c.orderKey, event_time: c.eventTime,
    content_hash: c.contentHash, key: c.key, counts: JSON.stringify(c.counts), procedures: packProcedures(c.procedures),
  });
}

function fromCurrentItem(item: Item): CurrentReport {
  const a = unmarshall(item);
  return {
    unit: a.unit, period: a.period, uploadId: a.upload_id, orderKey: a.order_key, eventTime: a.event_time,
    contentHash: a.content_hash, key: a.key, counts: JSON.parse(a.counts), procedures: unpackProcedures(a),
  };
}

export class DynamoReportStore implements ReportStore {
  /** DynamoDB requests sent, for the benchmark's cost figures. */
  requests = 0;

  constructor(private readonly client: DynamoDBClient, private readonly table: string) {
    client.middlewareStack.add((next) => (args) => {
      this.requests++;
      return next(args);
    }, { step: 'initialize' });
  }

  async putUpload(record: UploadRecord): Promise<'created' | 'exists'> {
    try {
      await this.client.send(new PutItemCommand({
        TableName: this.table, Item: uploadItem(record), ConditionExpression: 'attribute_not_exists(PK)',
      }));
      return 'created';
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return 'exists';
      throw e;
    }
  }

  async getUpload(period: string, unit: string, uploadId: string): Promise<UploadRecord | null> {
    const out = await this.client.send(new GetItemCommand({
      TableName: this.table, Key: marshall({ PK: `PERIOD#${period}`, SK: `UPLOAD#${unit}#${uploadId}` }), ConsistentRead: true,
    }));
    return out.Item ? fromUploadItem(out.Item) : null;
  }

  async markNotified(period: string, unit: string, uploadId: string, at: string): Promise<void> {
    await this.client.send(new UpdateItemCommand({
      TableName: this.table, Key: marshall({ PK: `PERIOD#${period}`, SK: `UPLOAD#${unit}#${uploadId}` }),
      UpdateExpression: 'SET notified_at = :at', ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: marshall({ ':at': at }),
    }));
  }

  async moveCurrent(report: CurrentReport): Promise<'moved' | 'newer_exists'> {
    try {
      await this.client.send(new PutItemCommand({
        TableName: this.table, Item: currentItem(report),
        // Newest upload wins whatever order events arrive in; the same upload again is a no-op.
        ConditionExpression: 'attribute_not_exists(PK) OR order_key < :k OR (order_key = :k AND upload_id = :id)',
        ExpressionAttributeValues: marshall({ ':k': report.orderKey, ':id': report.uploadId }),
      }));
      return 'moved';
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return 'newer_exists';
      throw e;
    }
  }

  async getCurrent(period: string, unit: string): Promise<CurrentReport | null> {
    const out = await this.client.send(new GetItemCommand({
      TableName: this.table, Key: marshall({ PK: `PERIOD#${period}`, SK: `UNIT#${unit}` }), ConsistentRead: true,
    }));
    return out.Item ? fromCurrentItem(out.Item) : null;
  }

  async listPeriod(period: string): Promise<PeriodReports> {
    const inPeriod = (prefix: string) => ({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: marshall({ ':pk': `PERIOD#${period}`, ':sk': prefix }),
    });
    const current: CurrentReport[] = [];
    for await (const item of this.query(inPeriod('UNIT#'))) current.push(fromCurrentItem(item));
    const uploads: UploadSummary[] = [];
    // Uploads only need who, when and how it went; their issue lists stay behind.
    for await (const item of this.query({
      ...inPeriod('UPLOAD#'),
      ProjectionExpression: 'upload_id, #unit, period, event_time, outcome',
      ExpressionAttributeNames: { '#unit': 'unit' }, // a reserved word
    })) {
      const a = unmarshall(item);
      uploads.push({ uploadId: a.upload_id, unit: a.unit, period: a.period, eventTime: a.event_time, outcome: a.outcome });
    }
    return { current, uploads };
  }

  async unitHistory(unit: string, limit = 100): Promise<UploadRecord[]> {
    const out: UploadRecord[] = [];
    for await (const item of this.query({
      TableName: this.table, IndexName: TABLE_KEYS.gsi1.name,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: marshall({ ':pk': `UNIT#${unit}` }),
      ScanIndexForward: false,
      Limit: Math.min(limit, 100), // pages no bigger than needed
    })) {
      out.push(fromUploadItem(item));
      if (out.length >= limit) break;
    }
    return out;
  }

  private async *query(input: QueryCommandInput): AsyncGenerator<Item> {
    let start: Item | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      yield* page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start);
  }
}

/** Creates the table (local stack and tests; in AWS the CDK stack owns it). */
export async function ensureReportTable(client: DynamoDBClient, table: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: table }));
    return;
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  const { partitionKey: PK, sortKey: SK, gsi1 } = TABLE_KEYS;
  await client.send(new CreateTableCommand({
    TableName: table,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [PK, SK, gsi1.partitionKey, gsi1.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: PK, KeyType: 'HASH' }, { AttributeName: SK, KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{
      IndexName: gsi1.name,
      KeySchema: [{ AttributeName: gsi1.partitionKey, KeyType: 'HASH' }, { AttributeName: gsi1.sortKey, KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
  }));
  // The table answers only once ACTIVE (dynalite flips it on a timer, AWS takes seconds).
  // The SDK waiter sleeps whole seconds between polls; locally that is most of a command's time.
  for (let waited = 0; ; waited += 50) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (waited > 60_000) throw new Error(`table ${table} is still ${Table?.TableStatus} after 60 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

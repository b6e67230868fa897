// The report store on one DynamoDB table. Only operations both DynamoDB Local and
// dynalite support: single-item conditional puts, gets and queries on keys and a GSI.
//
//   PK                 SK                    what
//   PERIOD#<period>    UNIT#<unit>           the unit's current report (newest accepted upload)
//   PERIOD#<period>    UPLOAD#<unit>#<id>    one upload, immutable (history)
//   PERIOD#<period>    MAIL#<unit>#<id>      claim: the unit is being (or was) mailed about an upload
//   PERIOD#<period>    CONTENT#<unit>#<hash>#<basedOn>   claim: which upload stands for these bytes
//   PERIOD#<period>    PUBLICATION           claim and sent marker of the period's leadership report
//   PERIOD#<period>    COUNTS#<fingerprint>  the units whose report of the period has had these counts (a string set)
//   GSI1: UNIT#<unit>  <orderKey>#<id>       a unit's uploads in time order
//
// listPeriod reads only the UNIT# and UPLOAD# ranges, so the claim and note items never show as reports.
//
// A period's reports and uploads are one Query on PK; a unit's history one Query on GSI1.
// What ingest reads before judging an upload (ingestView) is one BatchGetItem.
import {
  ConditionalCheckFailedException, CreateTableCommand, DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand, DeleteCommand, GetCommand, paginateQuery, PutCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { gunzipSync } from 'node:zlib';
import type { UnitFigures, UploadRecord, UploadSummary } from '../../shared/ingest/upload.ts';
import type { Counts } from '../../shared/report-file/counts.ts';
import type { IngestView, PeriodReports, Publication, ReportStore } from '../../shared/store/report-store.ts';
import { storedCurrent, storedUpload } from '../../shared/store/item-limits.ts';
import { documentClient } from './clients.ts';
import { TABLE_KEYS } from './table-schema.ts';

/** An item as the DocumentClient reads and writes it: plain values, binary as bytes. */
type Item = Record<string, any>;

// Lists of issues and procedures are stored as JSON text (DynamoDB maps cannot hold their
// nulls without special-casing). An item must stay under 400 KB whatever the file held:
// procedure lists (a department may report thousands) are gzipped, texts capped and lists
// bounded in bytes (shared/store/item-limits.ts). The unit's feedback in S3 carries them all.

function unpackProcedures(a: Item): UploadRecord['procedures'] {
  return JSON.parse(gunzipSync(a.procedures as Uint8Array).toString('utf8'));
}

function uploadItem(record: UploadRecord): Item {
  const { stored: r, gzippedProcedures } = storedUpload(record);
  return {
    PK: `PERIOD#${r.period}`, SK: `UPLOAD#${r.unit}#${r.uploadId}`,
    GSI1PK: `UNIT#${r.unit}`, GSI1SK: `${r.orderKey}#${r.uploadId}`,
    type: 'upload',
    upload_id: r.uploadId, unit: r.unit, period: r.period, period_from_file: r.periodFromFile,
    key: r.key, file_name: r.fileName, size: r.size, etag: r.etag, version_id: r.versionId, sequencer: r.sequencer,
    event_time: r.eventTime, order_key: r.orderKey, content_hash: r.contentHash, outcome: r.outcome, layout: r.layout,
    counts: r.counts ? JSON.stringify(r.counts) : null,
    procedures: gzippedProcedures,
    errors: JSON.stringify(r.errors), warnings: JSON.stringify(r.warnings),
    errors_total: record.errors.length, warnings_total: record.warnings.length,
    processed_at: r.processedAt, notified_at: r.notifiedAt,
  };
}

function fromUploadItem(a: Item): UploadRecord {
  return {
    uploadId: a.upload_id, unit: a.unit, period: a.period, periodFromFile: a.period_from_file,
    key: a.key, fileName: a.file_name, size: a.size, etag: a.etag, versionId: a.version_id ?? null, sequencer: a.sequencer,
    eventTime: a.event_time, orderKey: a.order_key, contentHash: a.content_hash, outcome: a.outcome, layout: a.layout ?? null,
    counts: a.counts ? JSON.parse(a.counts) : null,
    procedures: unpackProcedures(a), errors: JSON.parse(a.errors), warnings: JSON.parse(a.warnings),
    processedAt: a.processed_at, notifiedAt: a.notified_at ?? null,
  };
}

function currentItem(report: UnitFigures): Item {
  const { stored: c, gzippedProcedures } = storedCurrent(report);
  return {
    PK: `PERIOD#${c.period}`, SK: `UNIT#${c.unit}`, type: 'current',
    unit: c.unit, period: c.period, upload_id: c.uploadId, order_key: c.orderKey, event_time: c.eventTime,
    content_hash: c.contentHash, key: c.key, counts: JSON.stringify(c.counts), procedures: gzippedProcedures,
  };
}

function fromCurrentItem(a: Item): UnitFigures {
  return {
    unit: a.unit, period: a.period, uploadId: a.upload_id, orderKey: a.order_key, eventTime: a.event_time,
    contentHash: a.content_hash, key: a.key, counts: JSON.parse(a.counts), procedures: unpackProcedures(a),
  };
}

const uploadKey = (period: string, unit: string, uploadId: string) => ({ PK: `PERIOD#${period}`, SK: `UPLOAD#${unit}#${uploadId}` });
const currentKey = (period: string, unit: string) => ({ PK: `PERIOD#${period}`, SK: `UNIT#${unit}` });
const mailKey = (period: string, unit: string, uploadId: string) => ({ PK: `PERIOD#${period}`, SK: `MAIL#${unit}#${uploadId}` });
const contentKey = (period: string, unit: string, hash: string, basedOn: string) =>
  ({ PK: `PERIOD#${period}`, SK: `CONTENT#${unit}#${hash}#${basedOn}` });
const publicationKey = (period: string) => ({ PK: `PERIOD#${period}`, SK: 'PUBLICATION' });
const countsKey = (period: string, hash: string) => ({ PK: `PERIOD#${period}`, SK: `COUNTS#${hash}` });

export class DynamoReportStore implements ReportStore {
  /** DynamoDB requests sent, for the benchmark's cost figures. */
  requests = 0;
  private readonly db: DynamoDBDocumentClient;

  constructor(client: DynamoDBClient, private readonly table: string) {
    client.middlewareStack.add((next) => (args) => {
      this.requests++;
      return next(args);
    }, { step: 'initialize' });
    this.db = documentClient(client);
  }

  async putUpload(record: UploadRecord): Promise<'created' | 'exists'> {
    return (await this.putIfAbsent(uploadItem(record))) ? 'created' : 'exists';
  }

  async getUpload(period: string, unit: string, uploadId: string): Promise<UploadRecord | null> {
    const item = await this.get(uploadKey(period, unit, uploadId));
    return item ? fromUploadItem(item) : null;
  }

  async markNotified(period: string, unit: string, uploadId: string, at: string): Promise<void> {
    await this.db.send(new UpdateCommand({
      TableName: this.table, Key: uploadKey(period, unit, uploadId),
      UpdateExpression: 'SET notified_at = :at', ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':at': at },
    }));
  }

  async moveCurrent(report: UnitFigures): Promise<'moved' | 'newer_exists'> {
    // Newest upload wins whatever order events arrive in; the same upload again is a no-op.
    const moved = await this.putIfAbsent(currentItem(report), {
      expression: 'order_key < :k OR (order_key = :k AND upload_id = :id)', values: { ':k': report.orderKey, ':id': report.uploadId },
    });
    return moved ? 'moved' : 'newer_exists';
  }

  async getCurrent(period: string, unit: string): Promise<UnitFigures | null> {
    const item = await this.get(currentKey(period, unit));
    return item ? fromCurrentItem(item) : null;
  }

  async claimUploadMail(period: string, unit: string, uploadId: string, at: string): Promise<boolean> {
    return this.putIfAbsent({ ...mailKey(period, unit, uploadId), type: 'mail_claim', unit, period, upload_id: uploadId, claimed_at: at });
  }

  async releaseUploadMail(period: string, unit: string, uploadId: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: mailKey(period, unit, uploadId) }));
  }

  async claimContent(period: string, unit: string, contentHash: string, basedOn: string, uploadId: string): Promise<string> {
    const key = contentKey(period, unit, contentHash, basedOn);
    // The same upload claiming again (a retried event) finds its own claim and wins again.
    const won = await this.putIfAbsent(
      { ...key, type: 'content_claim', unit, period, content_hash: contentHash, based_on: basedOn, upload_id: uploadId },
      { expression: 'upload_id = :id', values: { ':id': uploadId } },
    );
    if (won) return uploadId;
    const holder = await this.get(key);
    if (!holder) throw new Error(`content claim ${key.SK} lost its condition but is not there`); // claims are never deleted
    return holder.upload_id;
  }

  async claimPublication(period: string, at: string): Promise<boolean> {
    return this.putIfAbsent({ ...publicationKey(period), type: 'publication', period, claimed_at: at });
  }

  async releasePublication(period: string): Promise<void> {
    try {
      // A report already sent stays published: only an unsent claim is given back.
      await this.db.send(new DeleteCommand({
        TableName: this.table, Key: publicationKey(period), ConditionExpression: 'attribute_not_exists(sent_at)',
      }));
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  async markPublished(period: string, sentAt: string, messageId: string, readAt?: string): Promise<void> {
    await this.db.send(new UpdateCommand({
      TableName: this.table, Key: publicationKey(period),
      // Sent without a claim (an operator's resend) still records the publication; the report
      // mailed read its data at readAt, which a resend moves on.
      UpdateExpression: `SET #type = :type, #period = :period, claimed_at = ${readAt ? ':read' : 'if_not_exists(claimed_at, :sent)'}, sent_at = :sent, message_id = :mid`,
      ExpressionAttributeNames: { '#type': 'type', '#period': 'period' }, // reserved words
      ExpressionAttributeValues: { ':type': 'publication', ':period': period, ':sent': sentAt, ':mid': messageId, ...(readAt ? { ':read': readAt } : {}) },
    }));
  }

  async getPublication(period: string): Promise<Publication | null> {
    const a = await this.get(publicationKey(period));
    return a ? { period: a.period, claimedAt: a.claimed_at, sentAt: a.sent_at ?? null, messageId: a.message_id ?? null } : null;
  }

  async listPeriod(period: string): Promise<PeriodReports> {
    // Two ranges of the period's partition; the claim items (MAIL#, CONTENT#, PUBLICATION) lie outside both.
    const inPeriod = (prefix: string) => ({
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
      ExpressionAttributeValues: { ':pk': `PERIOD#${period}`, ':sk': prefix },
    });
    const current: UnitFigures[] = [];
    for await (const item of this.query(inPeriod('UNIT#'))) current.push(fromCurrentItem(item));
    const uploads: UploadSummary[] = [];
    // Uploads: who, when, how it went, figures and warnings (the report's corrections and
    // data-quality sheets); errors and procedure lists stay behind.
    for await (const a of this.query({
      ...inPeriod('UPLOAD#'),
      ProjectionExpression: 'upload_id, #unit, period, event_time, processed_at, outcome, #counts, #warnings',
      ExpressionAttributeNames: { '#unit': 'unit', '#counts': 'counts', '#warnings': 'warnings' }, // reserved words, or may become
    })) {
      uploads.push({
        uploadId: a.upload_id, unit: a.unit, period: a.period, eventTime: a.event_time, processedAt: a.processed_at, outcome: a.outcome,
        counts: a.counts ? JSON.parse(a.counts) : null,
        warnings: a.warnings ? JSON.parse(a.warnings).map((w: { code: string; message: string }) => ({ code: w.code, message: w.message })) : [],
      });
    }
    return { current, uploads };
  }

  async ingestView(period: string, unit: string, earlierPeriods: readonly string[], countsHash?: string): Promise<IngestView> {
    const note = countsHash === undefined ? null : countsKey(period, countsHash);
    const keys = [currentKey(period, unit), publicationKey(period), ...earlierPeriods.map((p) => currentKey(p, unit)), ...(note ? [note] : [])];
    // Only what ingest judges by: never the procedure lists (gzipped, the bulk of an item).
    const items = await this.batchGet(keys, 'PK, SK, upload_id, order_key, content_hash, #period, #counts, claimed_at, sent_at, message_id, #units',
      { '#period': 'period', '#counts': 'counts', '#units': 'units' });
    const at = (key: { PK: string; SK: string }) => items.get(`${key.PK}\n${key.SK}`);
    const c = at(keys[0]);
    const p = at(keys[1]);
    return {
      current: c ? { uploadId: c.upload_id, orderKey: c.order_key, contentHash: c.content_hash } : null,
      publication: p ? { period: p.period, claimedAt: p.claimed_at, sentAt: p.sent_at ?? null, messageId: p.message_id ?? null } : null,
      earlier: earlierPeriods.flatMap((e, i) => {
        const a = at(keys[i + 2]);
        return a ? [{ period: e, counts: JSON.parse(a.counts) }] : [];
      }),
      notedUnits: note ? [...(at(note)?.units as Set<string> | undefined) ?? []].sort() : [],
    };
  }

  async noteCounts(period: string, unit: string, countsHash: string): Promise<void> {
    await this.db.send(new UpdateCommand({
      TableName: this.table, Key: countsKey(period, countsHash),
      UpdateExpression: 'SET #type = :type, #period = :period ADD #units :unit',
      ExpressionAttributeNames: { '#type': 'type', '#period': 'period', '#units': 'units' }, // reserved words, or may become
      ExpressionAttributeValues: { ':type': 'counts_note', ':period': period, ':unit': new Set([unit]) },
    }));
  }

  async currentCounts(period: string, units: readonly string[]): Promise<Array<{ unit: string; counts: Counts }>> {
    const asked = [...new Set(units)]; // a batch may not name a key twice
    const items = await this.batchGet(asked.map((u) => currentKey(period, u)), 'PK, SK, #counts', { '#counts': 'counts' });
    return asked.flatMap((unit) => {
      const { PK, SK } = currentKey(period, unit);
      const a = items.get(`${PK}\n${SK}`);
      return a ? [{ unit, counts: JSON.parse(a.counts) as Counts }] : [];
    });
  }

  async unitHistory(unit: string, limit = 100): Promise<UploadRecord[]> {
    const out: UploadRecord[] = [];
    for await (const item of this.query({
      TableName: this.table, IndexName: TABLE_KEYS.gsi1.name,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': `UNIT#${unit}` },
      ScanIndexForward: false,
      Limit: Math.min(limit, 100), // pages no bigger than needed
    })) {
      out.push(fromUploadItem(item));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** A put that only succeeds when the item is new (or `condition` holds on the old one): true if it did. */
  private async putIfAbsent(item: Item, condition?: { expression: string; values: Record<string, unknown> }): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({
        TableName: this.table, Item: item,
        ConditionExpression: condition ? `attribute_not_exists(PK) OR ${condition.expression}` : 'attribute_not_exists(PK)',
        ExpressionAttributeValues: condition?.values,
      }));
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  private async get(key: { PK: string; SK: string }): Promise<Item | undefined> {
    return (await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }))).Item;
  }

  /** Items by key, consistent, 100 keys a request (DynamoDB's limit), keys left unprocessed asked again. Keyed by PK and SK. */
  private async batchGet(keys: Array<{ PK: string; SK: string }>, projection: string, names: Record<string, string>): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Array<Record<string, unknown>> = keys.slice(i, i + 100);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt))); // throttled: back off
        const out = await this.db.send(new BatchGetCommand({
          RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true, ProjectionExpression: projection, ExpressionAttributeNames: names } },
        }));
        for (const item of out.Responses?.[this.table] ?? []) found.set(`${item.PK}\n${item.SK}`, item);
        pending = out.UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
    return found;
  }

  /** Every item of a key query, page after page (the SDK's paginator follows LastEvaluatedKey). */
  private async *query(input: QueryCommandInput): AsyncGenerator<Item> {
    for await (const page of paginateQuery({ client: this.db }, input)) yield* page.Items ?? [];
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

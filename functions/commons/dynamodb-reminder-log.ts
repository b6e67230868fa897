// The reminder log in the app's table: one item per day and unit (PK REMIND#<day>, SK UNIT#<code>),
// written only if absent, so a schedule that fires twice (or two containers) mails a unit once.
// A send SES refused for good marks its item (refused: the error's name, refused_at), so a rerun
// that day tells it from a mail that went. Items expire after 90 days (attribute expires_at,
// epoch seconds, for the table's TTL if enabled).
import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, paginateQuery, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ReminderLog } from '../../shared/reminders/reminders.ts';

const KEEP_SECONDS = 90 * 86_400;

const key = (day: string, unit: string) => ({ PK: { S: `REMIND#${day}` }, SK: { S: `UNIT#${unit}` } });

export class DynamoReminderLog implements ReminderLog {
  constructor(private readonly db: DynamoDBClient, private readonly table: string) {}

  async claim(day: string, unit: string, at: string): Promise<boolean> {
    try {
      await this.db.send(new PutItemCommand({
        TableName: this.table,
        Item: {
          ...key(day, unit), type: { S: 'reminder' }, claimed_at: { S: at },
          expires_at: { N: String(Math.floor(Date.parse(at) / 1000) + KEEP_SECONDS) },
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }));
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async release(day: string, unit: string): Promise<void> {
    await this.db.send(new DeleteItemCommand({ TableName: this.table, Key: key(day, unit) }));
  }

  async markRefused(day: string, unit: string, reason: string, at: string): Promise<void> {
    await this.db.send(new UpdateItemCommand({
      TableName: this.table, Key: key(day, unit),
      UpdateExpression: 'SET refused = :reason, refused_at = :at',
      // Only the claim held: an update would otherwise create an item that claims the day.
      ConditionExpression: 'attribute_exists(PK)',
      ExpressionAttributeValues: { ':reason': { S: reason }, ':at': { S: at } },
    }));
  }

  async mailedOn(day: string): Promise<boolean> {
    // A day holds at most a claim per unit: a few pages at most, and the first unrefused one answers.
    const pages = paginateQuery({ client: this.db }, {
      TableName: this.table, KeyConditionExpression: 'PK = :pk', FilterExpression: 'attribute_not_exists(refused)',
      ExpressionAttributeValues: { ':pk': { S: `REMIND#${day}` } }, ProjectionExpression: 'PK', ConsistentRead: true,
    });
    for await (const page of pages) if (page.Items?.length) return true;
    return false;
  }

  async refusal(day: string, unit: string): Promise<string | null> {
    // Consistent: the run that refused it may have marked it a moment ago.
    const out = await this.db.send(new GetItemCommand({ TableName: this.table, Key: key(day, unit), ConsistentRead: true, ProjectionExpression: 'refused' }));
    return out.Item?.refused?.S ?? null;
  }
}

// The reminder log in the app's table: one item per day and unit (PK REMIND#<day>, SK UNIT#<code>),
// written only if absent, so a schedule that fires twice (or two containers) mails a unit once.
// Items expire after 90 days (attribute expires_at, epoch seconds, for the table's TTL if enabled).
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
}

// The local AWS stack over real HTTP, with the same clients the product uses.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3Event } from 'aws-lambda';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  waitUntilTableExists,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { sesClient } from '../../functions/commons/mailer.ts';
import MailComposer from 'nodemailer/lib/mail-composer';
import { dynamoClient, s3Client } from '../../functions/commons/clients.ts';
import {
  applyLocalEnv,
  encodeS3EventKey,
  startLocalStack,
  type DynamoBackend,
  type LocalStack,
} from '../../infra/local/stack.ts';
import { DYNAMO_BACKENDS } from '../fixtures/dynamo-backends.ts';

const KEY = 'incoming/X007/Báo cáo tháng 6.xlsx';
// xlsx-like: zip magic, then every byte value (catches any text re-encoding) and random bytes.
const BYTES = Buffer.concat([
  Buffer.from('PK\x03\x04', 'latin1'),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  randomBytes(64 * 1024),
]);

const homes: string[] = [];
async function tempHome(): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'tthc-stack-'));
  homes.push(home);
  return home;
}
afterAll(async () => {
  await Promise.all(homes.map((h) => rm(h, { recursive: true, force: true })));
});

async function createTable(db: DynamoDBClient, table: string): Promise<void> {
  await db.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
  // Even with createTableMs 0, dynalite flips the table to ACTIVE on a timer: wait for it.
  await waitUntilTableExists({ client: db, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.2 }, { TableName: table });
}

describe('S3 and SES (dynalite stack)', () => {
  let stack: LocalStack;
  let s3: S3Client;
  const events: S3Event[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({ home: await tempHome() });
    stack.onObjectCreated((event) => void events.push(event));
    s3 = s3Client(stack.endpoints.s3);
  });
  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
  });

  it('round-trips binary bytes under a Vietnamese key and emits an AWS-shaped ObjectCreated', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: KEY, Body: BYTES }));
    const got = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: KEY }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(BYTES)).toBe(true);

    await stack.idle();
    expect(events).toHaveLength(1);
    const [record] = events[0]!.Records;
    expect(record!.eventName).toBe('ObjectCreated:Put');
    expect(record!.s3.bucket.name).toBe(stack.bucket);
    // As S3 sends it: form-encoded, so handlers must decode ('+' is a space).
    expect(record!.s3.object.key).toBe('incoming/X007/B%C3%A1o+c%C3%A1o+th%C3%A1ng+6.xlsx');
    expect(decodeURIComponent(record!.s3.object.key.replace(/\+/g, ' '))).toBe(KEY);
    expect(record!.s3.object.size).toBe(BYTES.length);
    expect(`"${record!.s3.object.eTag}"`).toBe(put.ETag);
    expect(record!.s3.object.sequencer).toMatch(/^[0-9A-F]+$/);
  });

  it('reports listener failures through idle()', async () => {
    const failing = await startLocalStack({ home: await tempHome() });
    const client = s3Client(failing.endpoints.s3);
    try {
      failing.onObjectCreated(() => Promise.reject(new Error('ingest broke')));
      const quiet = console.error;
      console.error = () => undefined; // the stack logs the failure, as Lambda would
      try {
        await client.send(new PutObjectCommand({ Bucket: failing.bucket, Key: 'x.csv', Body: 'a,b' }));
        await expect(failing.idle()).rejects.toThrow(AggregateError);
      } finally {
        console.error = quiet;
      }
      await expect(failing.idle()).resolves.toBeUndefined(); // failures are reported once
    } finally {
      client.destroy();
      await failing.stop();
    }
  });

  it('sends raw MIME through SES v2 and keeps a Vietnamese subject and the attachment', async () => {
    const ses = sesClient(stack.endpoints.ses);
    const subject = 'Báo cáo xếp hạng tháng 6/2026 — Ủy ban nhân dân thành phố Hải Phòng';
    const raw = await new MailComposer({
      from: 'Văn phòng UBND <bao-cao@example.vn>',
      to: 'lanh-dao@example.vn',
      subject,
      text: 'Kính gửi lãnh đạo: báo cáo đính kèm.',
      attachments: [{ filename: 'Báo cáo tháng 6.xlsx', content: BYTES }],
    })
      .compile()
      .build();
    const sent = await ses.send(new SendEmailCommand({ Content: { Raw: { Data: raw } } }));
    ses.destroy();

    const store = (await (await fetch(`${stack.endpoints.ses}/store`)).json()) as {
      emails: { messageId: string; subject: string; attachments: { filename?: string; content: string }[] }[];
    };
    const email = store.emails.find((e) => e.messageId === sent.MessageId);
    expect(email?.subject).toBe(subject);
    expect(email?.attachments[0]?.filename).toBe('Báo cáo tháng 6.xlsx');
    expect(Buffer.from(email!.attachments[0]!.content, 'base64').equals(BYTES)).toBe(true);
  });

  it('applyLocalEnv points the env-driven clients at the stack, and restores the env', async () => {
    const before = process.env.TTHC_S3_ENDPOINT;
    const restore = applyLocalEnv(stack);
    const client = s3Client();
    try {
      expect(process.env.TTHC_BUCKET).toBe(stack.bucket);
      const got = await client.send(new GetObjectCommand({ Bucket: process.env.TTHC_BUCKET, Key: KEY }));
      expect((await got.Body!.transformToByteArray()).length).toBe(BYTES.length);
    } finally {
      client.destroy();
      restore();
    }
    expect(process.env.TTHC_S3_ENDPOINT).toBe(before);
  });
});

describe.each<DynamoBackend>(DYNAMO_BACKENDS)('DynamoDB on %s', (backend) => {
  let stack: LocalStack;
  let db: DynamoDBClient;

  beforeAll(async () => {
    stack = await startLocalStack({ home: await tempHome(), dynamo: backend });
    db = dynamoClient(stack.endpoints.dynamodb);
  }, 120_000); // DynamoDB Local boots a JVM: ~3 s idle, much more on a busy machine
  afterAll(async () => {
    db?.destroy();
    await stack?.stop();
  });

  it('creates a table, puts with a condition and queries', async () => {
    await createTable(db, stack.table);
    const put = (sk: string, count: number) =>
      db.send(
        new PutItemCommand({
          TableName: stack.table,
          Item: { pk: { S: 'UNIT#X007' }, sk: { S: sk }, count: { N: String(count) }, name: { S: 'Phường Máy Chai' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    await put('PERIOD#2026-05', 10);
    await put('PERIOD#2026-06', 12);
    await expect(put('PERIOD#2026-06', 99)).rejects.toBeInstanceOf(ConditionalCheckFailedException);

    const res = await db.send(
      new QueryCommand({
        TableName: stack.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': { S: 'UNIT#X007' }, ':p': { S: 'PERIOD#2026-0' } },
        ScanIndexForward: false,
      }),
    );
    expect(res.Items?.map((i) => [i.sk?.S, i.count?.N, i.name?.S])).toEqual([
      ['PERIOD#2026-06', '12', 'Phường Máy Chai'],
      ['PERIOD#2026-05', '10', 'Phường Máy Chai'],
    ]);
  });
});

describe('persist mode', () => {
  it('keeps S3 objects and dynalite items across stop/start; stop() is idempotent', async () => {
    const home = await tempHome();
    const first = await startLocalStack({ home, persist: true });
    let s3 = s3Client(first.endpoints.s3);
    let db = dynamoClient(first.endpoints.dynamodb);
    await s3.send(new PutObjectCommand({ Bucket: first.bucket, Key: KEY, Body: BYTES }));
    await createTable(db, first.table);
    await db.send(new PutItemCommand({ TableName: first.table, Item: { pk: { S: 'a' }, sk: { S: 'b' } } }));
    s3.destroy();
    db.destroy();
    await Promise.all([first.stop(), first.stop()]);
    await first.stop();

    const second = await startLocalStack({ home, persist: true });
    s3 = s3Client(second.endpoints.s3);
    db = dynamoClient(second.endpoints.dynamodb);
    try {
      const got = await s3.send(new GetObjectCommand({ Bucket: second.bucket, Key: KEY }));
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(BYTES)).toBe(true);
      const item = await db.send(
        new GetItemCommand({ TableName: second.table, Key: { pk: { S: 'a' }, sk: { S: 'b' } } }),
      );
      expect(item.Item?.sk?.S).toBe('b');
    } finally {
      s3.destroy();
      db.destroy();
      await second.stop();
    }
  });

  it('refuses a second persisted stack on the same home instead of crashing later', async () => {
    const home = await tempHome();
    const first = await startLocalStack({ home, persist: true });
    try {
      await expect(startLocalStack({ home, persist: true })).rejects.toThrow(/đang được dùng/);
    } finally {
      await first.stop();
    }
  });

  it('without persist, dynalite starts empty', async () => {
    const home = await tempHome();
    const first = await startLocalStack({ home });
    const db1 = dynamoClient(first.endpoints.dynamodb);
    await createTable(db1, first.table);
    db1.destroy();
    await first.stop();

    const second = await startLocalStack({ home });
    const db2 = dynamoClient(second.endpoints.dynamodb);
    try {
      await expect(createTable(db2, second.table)).resolves.toBeUndefined(); // table was gone
    } finally {
      db2.destroy();
      await second.stop();
    }
  });
});

describe('encodeS3EventKey', () => {
  it('encodes like S3 event notifications', () => {
    expect(encodeS3EventKey('a b/c+d(1)~*.xlsx')).toBe('a+b/c%2Bd%281%29%7E*.xlsx');
  });
});

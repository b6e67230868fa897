// The report Lambda's handler on the local AWS stack (s3rver, dynalite, aws-ses-v2-local):
// reads the period from DynamoDB with Queries only, writes the workbook to S3, mails it via SES.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import ExcelJS from 'exceljs';
import type { Context } from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { dynamoClient, s3Client } from '../../functions/commons/clients.ts';
import { DynamoReportStore, ensureReportTable } from '../../functions/commons/dynamodb-report-store.ts';
import { SesMailer, sesClient } from '../../functions/commons/mailer.ts';
import { S3ObjectStore } from '../../functions/commons/s3-object-store.ts';
import { makeReportHandler, type ReportResult } from '../../functions/report/handler.ts';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import { orderKey, type UnitFigures, type UploadRecord } from '../../shared/ingest/upload.ts';
import { PLAN_128_PERIODS } from '../../shared/period.ts';
import { buildLeadershipReport, periodsNeeded } from '../../shared/report/period-report.ts';
import type { ReportDeps } from '../../shared/report/run-report.ts';
import type { PeriodReports } from '../../shared/store/report-store.ts';
import { PLAN_128_FLOOR, PLAN_128_ONLINE_ONLY, PLAN_128_TARGETS, PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';
import { counts, input, seeded, randomCounts } from './helpers.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_DEV ??= 'true';
});

const FROM = 'bao-cao-dvc@haiphong.gov.vn';
const TO = ['lanh-dao-ubnd@haiphong.gov.vn', 'van-phong-ubnd@haiphong.gov.vn'];
const NOW = new Date('2022-06-20T01:00:00Z'); // 08:00 on the 20th in Hải Phòng: the scheduled run
const SHEETS = ['Tổng hợp', 'Sở ban ngành', 'Quận huyện', 'Xã phường', 'Chưa báo cáo', 'Quá hạn', 'Thí điểm trực tuyến', 'Dịch vụ trực tuyến', 'Điều chỉnh số liệu', 'Kiểm tra số liệu', 'Ghi chú'];

function context(): Context {
  return {
    functionName: 'tthc-report', functionVersion: '$LATEST', awsRequestId: 'test-request', memoryLimitInMB: '1024',
    invokedFunctionArn: 'arn:aws:lambda:ap-southeast-1:000000000000:function:tthc-report',
    logGroupName: '/aws/lambda/tthc-report', logStreamName: 'test', callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 60_000, done: () => undefined, fail: () => undefined, succeed: () => undefined,
  };
}

let home: string;
let stack: LocalStack;
let db: DynamoDBClient;
let s3: S3Client;
let ses: SESv2Client;
let store: DynamoReportStore;
let objects: S3ObjectStore;
const commands: string[] = [];
/** What was seeded, as buildLeadershipReport takes it. */
const seededData = new Map<string, PeriodReports>();

interface SesStore { emails: Array<{ messageId: string; subject: string; destination: { to: string[] }; attachments: Array<{ filename?: string; content: string; contentType?: string }> }> }
async function sesStore(): Promise<SesStore> {
  return (await (await fetch(`${stack.endpoints.ses}/store`)).json()) as SesStore;
}

function deps(): ReportDeps {
  return {
    store, objects, mailer: new SesMailer(ses, FROM), recipients: TO, periods: PLAN_128_PERIODS,
    units: PLAN_128_UNITS, targets: PLAN_128_TARGETS, pilot: PLAN_128_ONLINE_ONLY, floor: PLAN_128_FLOOR, clock: () => NOW,
  };
}

async function seed(unit: string, period: string, c: ReturnType<typeof counts>, eventTime: string, n: number) {
  const sequencer = (0x1000 + n).toString(16).toUpperCase();
  const uploadId = `${unit}-${period}-${n}`;
  // (asserted, not annotated: the record type is gaining fields in parallel work; notifiedAt is one)
  const record = {
    uploadId, unit, period, periodFromFile: true, key: `incoming/${unit}/Báo cáo ${period}.xlsx`, fileName: `Báo cáo ${period}.xlsx`,
    size: 4321, etag: 'etag', versionId: null, sequencer, eventTime, orderKey: orderKey(eventTime, sequencer), contentHash: `h-${uploadId}`,
    outcome: 'accepted', layout: '06a', counts: c, procedures: [], errors: [], warnings: [], processedAt: eventTime, notifiedAt: null,
  } as UploadRecord;
  const current: UnitFigures = {
    unit, period, uploadId, orderKey: record.orderKey, eventTime, contentHash: record.contentHash, key: record.key, counts: c, procedures: [],
  };
  expect(await store.putUpload(record)).toBe('created');
  expect(await store.moveCurrent(current)).toBe('moved');
  const p = seededData.get(period) ?? { current: [], uploads: [] };
  p.current.push(current);
  p.uploads.push({ uploadId, unit, period, eventTime, processedAt: eventTime, outcome: 'accepted' });
  seededData.set(period, p);
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'tthc-report-handler-'));
  stack = await startLocalStack({ home });
  db = dynamoClient(stack.endpoints.dynamodb);
  db.middlewareStack.add((next, ctx) => (args) => {
    commands.push(ctx.commandName ?? '(unknown)');
    return next(args);
  }, { step: 'initialize', name: 'recordCommands' });
  s3 = s3Client(stack.endpoints.s3);
  ses = sesClient(stack.endpoints.ses);
  await ensureReportTable(db, stack.table);
  store = new DynamoReportStore(db, stack.table);
  objects = new S3ObjectStore(s3, stack.bucket);

  // A few accepted reports for 2022-05 and 2022-06 (one late), and one before the window.
  const rng = seeded(2022);
  const reporting = ['S01', 'S02', 'S05', 'S16', 'S19', 'H01', 'H05', 'H14', 'X001', 'X002', 'X050', 'X120'];
  let n = 0;
  for (const period of ['2022-04', '2022-05', '2022-06']) {
    for (const unit of reporting) {
      if (period === '2022-06' && unit === 'X050') continue; // missed June
      if (period === '2022-04' && n % 3) { n++; continue; }
      const late = period === '2022-06' && unit === 'H01';
      await seed(unit, period, randomCounts(rng, 500, 0.6), late ? '2022-06-21T02:00:00.000Z' : `${period}-17T03:00:00.000Z`, n++);
    }
  }
  await seed('S01', '2022-03', randomCounts(rng, 500, 0.6), '2022-03-17T03:00:00.000Z', n++); // a period of its own to publish
  await fetch(`${stack.endpoints.ses}/clear-store`, { method: 'POST' });
}, 60_000);

afterAll(async () => {
  db?.destroy();
  s3?.destroy();
  ses?.destroy();
  await stack?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

describe('report handler on the local stack', () => {
  it('with no period and a clock on 2022-06-20T01:00Z: reports 2022-06, writes the workbook to S3 and mails it once', async () => {
    store.requests = 0;
    commands.length = 0;
    const handler = makeReportHandler(deps, () => NOW);
    const result = await handler({}, context()) as { period: string; workbookKey: string; messageId: string | null; missing: number };

    expect(result.period).toBe('2022-06');
    expect(result.workbookKey).toBe('reports/2022-06/bao-cao-dvc-2022-06.xlsx');
    expect(result.messageId).toBeTruthy();

    // DynamoDB: per period read, one Query pair (reports, uploads) and one GetItem (its
    // publication); then the claim of the send and the publication mark, two single-item writes.
    const needed = periodsNeeded(PLAN_128_TARGETS, '2022-06');
    expect(needed).toEqual(['2022-05', '2022-06']);
    const reads = 3 * needed.length;
    expect(store.requests).toBe(reads + 2);
    expect([...commands.slice(0, reads)].sort()).toEqual([...Array(needed.length).fill('GetItemCommand'), ...Array(2 * needed.length).fill('QueryCommand')]);
    expect(commands.slice(reads)).toEqual(['PutItemCommand', 'UpdateItemCommand']);
    expect(commands).not.toContain('ScanCommand');
    const publication = await store.getPublication('2022-06');
    expect(publication).toMatchObject({ period: '2022-06', sentAt: NOW.toISOString(), messageId: result.messageId });

    // S3: the workbook, readable, with the figures of the seeded reports.
    const stored = await objects.get(result.workbookKey);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(stored.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(SHEETS);
    const expected = buildLeadershipReport(input({ period: '2022-06', data: seededData, asOf: NOW }));
    expect(result.missing).toBe(expected.missing.length);
    expect(expected.missing).toContain('X050');
    const dept = wb.getWorksheet('Sở ban ngành')!;
    const codes = expected.ranking.levels.department.map((_, i) => dept.getCell(5 + i, 3).value);
    expect(codes).toEqual(expected.ranking.levels.department.map((e) => e.unit));
    expect([...codes].sort()).toEqual(['S01', 'S02', 'S05', 'S16']); // S19 reports but has no target
    const late = wb.getWorksheet('Chưa báo cáo')!;
    let lateListed = false;
    late.eachRow((row) => { if (row.getCell(2).value === 'H01' && row.getCell(5).value === 'Nộp muộn') lateListed = true; });
    expect(lateListed).toBe(true);

    // SES: exactly one message, to the leadership list, with the workbook attached.
    const { emails } = await sesStore();
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email.messageId).toBe(result.messageId);
    expect(email.subject).toMatch(/^\[DVC\] Báo cáo tháng 06\/2022 — tỷ lệ trực tuyến \d{1,3},\d%$/);
    // The emulator reports the raw message's To header as one text.
    expect(email.destination.to.join(',').split(',').map((x) => x.trim())).toEqual(TO);
    // The workbook, and the trend chart shown inline in the HTML.
    expect(email.attachments.map((a) => a.contentType).sort()).toEqual(['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'image/png']);
    const attached = email.attachments.find((a) => a.contentType !== 'image/png')!;
    expect(attached.filename).toBe('bao-cao-dvc-2022-06.xlsx');
    expect(Buffer.from(attached.content, 'base64').equals(stored.bytes)).toBe(true);
  });

  it('{"period":"2022-05","send":false} rebuilds that period without mail; reads 2022-01..2022-05 with Queries and GetItems only', async () => {
    await fetch(`${stack.endpoints.ses}/clear-store`, { method: 'POST' });
    store.requests = 0;
    commands.length = 0;
    const handler = makeReportHandler(deps, () => NOW);
    const result = await handler({ period: '2022-05', send: false }, context()) as { period: string; workbookKey: string; messageId: string | null };
    expect(result).toMatchObject({ period: '2022-05', workbookKey: 'reports/2022-05/bao-cao-dvc-2022-05.xlsx', messageId: null });
    const needed = periodsNeeded(PLAN_128_TARGETS, '2022-05');
    expect(needed).toHaveLength(5);
    expect(store.requests).toBe(3 * needed.length);
    expect(new Set(commands)).toEqual(new Set(['QueryCommand', 'GetItemCommand']));
    expect((await sesStore()).emails).toHaveLength(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await objects.get(result.workbookKey)).bytes as unknown as ArrayBuffer);
    // April's ranking (YTD from January) gives May its rank changes; May ranks on May alone.
    const expected = buildLeadershipReport(input({ period: '2022-05', data: seededData, asOf: NOW }));
    const dept = wb.getWorksheet('Sở ban ngành')!;
    expect(expected.ranking.levels.department.map((_, i) => dept.getCell(5 + i, 2).value))
      .toEqual(expected.ranking.levels.department.map((e) => e.rank_change));
    expect(expected.ytdFrom).toBe('2022-05');
  });

  it('fired twice (a retry, a duplicated schedule): the second run rebuilds the workbook but does not mail again', async () => {
    await fetch(`${stack.endpoints.ses}/clear-store`, { method: 'POST' });
    const handler = makeReportHandler(deps, () => NOW);
    const again = await handler({ period: '2022-06' }, context()) as ReportResult;
    expect(again).toMatchObject({ period: '2022-06', messageId: null, emailFile: null, alreadySent: true });
    expect((await sesStore()).emails).toHaveLength(0);
    expect((await objects.get(again.workbookKey)).bytes.length).toBeGreaterThan(0);
    // Fired at the same moment for a fresh period: exactly one of the two mails.
    const both = await Promise.all([handler({ period: '2022-03' }, context()), handler({ period: '2022-03' }, context())]) as ReportResult[];
    expect(both.map((x) => x.alreadySent).sort()).toEqual([false, true]);
    expect(both.filter((x) => x.messageId)).toHaveLength(1);
    expect((await sesStore()).emails).toHaveLength(1);
  });

  it('a failed send gives the claim back, so the retry mails; the deadline check reads the publication', async () => {
    await fetch(`${stack.endpoints.ses}/clear-store`, { method: 'POST' });
    const check = async (period: string) => (await makeReportHandler(deps, () => NOW)({ mode: 'deadline_check', period }, context())) as { sent: boolean };
    expect((await check('2022-04')).sent).toBe(false);
    let calls = 0;
    const flaky = (): ReportDeps => ({
      ...deps(),
      mailer: { send: async (m) => { if (++calls === 1) throw new Error('SES throttled'); return new SesMailer(ses, FROM).send(m); } },
    });
    const handler = makeReportHandler(flaky, () => NOW);
    await expect(handler({ period: '2022-04' }, context())).rejects.toThrow(/SES throttled/);
    expect(await store.getPublication('2022-04')).toBeNull();
    expect((await check('2022-04')).sent).toBe(false);
    const retry = await handler({ period: '2022-04' }, context()) as ReportResult;
    expect(retry).toMatchObject({ alreadySent: false });
    expect(retry.messageId).toBeTruthy();
    expect((await sesStore()).emails).toHaveLength(1);
    expect((await check('2022-04')).sent).toBe(true);
    expect((await check('2022-06')).sent).toBe(true);
    expect((await check('2022-05')).sent).toBe(false); // rebuilt without mail above
    // A claim whose send never completed is not a publication either.
    expect(await store.claimPublication('2022-02', NOW.toISOString())).toBe(true);
    expect((await check('2022-02')).sent).toBe(false);
  });

  it('a run that died between claim and send: retries do not mail, the deadline check alarms, {"resend":true} mails', async () => {
    await fetch(`${stack.endpoints.ses}/clear-store`, { method: 'POST' });
    const handler = makeReportHandler(deps, () => NOW);
    const check = async () => ((await handler({ mode: 'deadline_check', period: '2022-05' }, context())) as { sent: boolean }).sent;
    expect(await store.claimPublication('2022-05', NOW.toISOString())).toBe(true); // the run that died
    expect(await handler({ period: '2022-05' }, context())).toMatchObject({ messageId: null, alreadySent: true });
    expect((await sesStore()).emails).toHaveLength(0);
    expect(await check()).toBe(false);
    const resent = await handler({ period: '2022-05', resend: true }, context()) as ReportResult;
    expect(resent.messageId).toBeTruthy();
    expect((await sesStore()).emails).toHaveLength(1);
    expect(await check()).toBe(true);
    expect((await store.getPublication('2022-05'))?.messageId).toBe(resent.messageId);
  });

  it('a period with no report at all: no workbook, no mail, no claim; the error says so in Vietnamese', async () => {
    await fetch(`${stack.endpoints.ses}/clear-store`, { method: 'POST' });
    const handler = makeReportHandler(deps, () => NOW);
    await expect(handler({ period: '2021-09' }, context())).rejects.toThrow('Kỳ 09/2021 chưa có báo cáo hợp lệ nào của đơn vị');
    expect(await objects.exists('reports/2021-09/bao-cao-dvc-2021-09.xlsx')).toBe(false);
    expect(await store.getPublication('2021-09')).toBeNull();
    expect((await sesStore()).emails).toHaveLength(0);
  });

  it('before its period is due nothing is mailed or claimed, so the scheduled run still mails it; a quarter waits for its last period', async () => {
    await fetch(`${stack.endpoints.ses}/clear-store`, { method: 'POST' });
    const early = new Date('2022-06-17T01:00:00Z'); // 2022-06 has closed (the 15th) but is due at 00:00 on the 20th
    const before = await store.getPublication('2022-06'); // (an earlier test published it: the run must leave it as it is)
    const result = await makeReportHandler(deps, () => early)({}, context()) as ReportResult;
    expect(result).toMatchObject({ period: '2022-06', messageId: null, notDueUntil: '2022-06-19T17:00:00.000Z' });
    expect(await store.getPublication('2022-06')).toEqual(before);
    const quarter = await makeReportHandler(deps, () => early)({ mode: 'quarter', quarter: '2022-Q3' }, context()) as ReportResult;
    expect(quarter).toMatchObject({ period: '2022-Q3', messageId: null, notDueUntil: '2022-09-19T17:00:00.000Z' });
    expect(await store.getPublication('2022-Q3')).toBeNull();
    expect((await sesStore()).emails).toHaveLength(0);
  });

  it('an event no run can serve is answered, not retried: an unknown mode, a send flag that is a string', async () => {
    await fetch(`${stack.endpoints.ses}/clear-store`, { method: 'POST' });
    const handler = makeReportHandler(deps, () => NOW);
    const before = await store.getPublication('2022-04');
    expect(await handler({ mode: 'quarterly' } as never, context())).toEqual({ rejected: 'unknown mode "quarterly" (report, deadline_check, status, quarter, year)' });
    expect(await handler({ period: '2022-04', send: 'false', resend: true } as never, context())).toEqual({ rejected: 'send must be true or false, not "false"' });
    expect((await sesStore()).emails).toHaveLength(0);
    expect(await store.getPublication('2022-04')).toEqual(before);
  });

  it('refuses a malformed period', async () => {
    const handler = makeReportHandler(deps, () => NOW);
    await expect(handler({ period: '2022-6' }, context())).rejects.toThrow(/not a period/);
  });

  it('{"mode":"quarter"} the day after June is due: the 2022-Q2 workbook to S3, mailed once under the quarter\'s claim', async () => {
    await fetch(`${stack.endpoints.ses}/clear-store`, { method: 'POST' });
    const after = new Date('2022-06-21T01:00:00Z');
    const handler = makeReportHandler(() => ({ ...deps(), clock: () => after }), () => after);
    const result = await handler({ mode: 'quarter' }, context()) as ReportResult;
    expect(result).toMatchObject({ period: '2022-Q2', workbookKey: 'reports/2022-Q2/bao-cao-dvc-2022-Q2.xlsx', alreadySent: false });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await objects.get(result.workbookKey)).bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name).slice(0, 3)).toEqual(['Tổng hợp', 'Tỷ lệ theo kỳ', 'Tình hình nộp báo cáo']);
    const { emails } = await sesStore();
    expect(emails).toHaveLength(1);
    expect(emails[0].subject).toMatch(/^\[DVC\] Báo cáo Quý II\/2022 — tỷ lệ trực tuyến \d{1,3},\d%$/);
    expect((await store.getPublication('2022-Q2'))?.messageId).toBe(result.messageId);
    // Fired twice: rebuilt, not mailed again.
    expect(await handler({ mode: 'quarter' }, context())).toMatchObject({ alreadySent: true, messageId: null });
    expect((await sesStore()).emails).toHaveLength(1);
    // On a day that closes no quarter, the quarter must be named.
    await expect(makeReportHandler(deps, () => new Date('2022-05-21T01:00:00Z'))({ mode: 'quarter' }, context())).rejects.toThrow(/not a quarter/);
  });

  it('{"mode":"year","year":"2022","send":false}: the year\'s workbook with its evaluation, no mail', async () => {
    await fetch(`${stack.endpoints.ses}/clear-store`, { method: 'POST' });
    const handler = makeReportHandler(deps, () => NOW);
    const result = await handler({ mode: 'year', year: '2022', send: false }, context()) as ReportResult;
    expect(result).toMatchObject({ period: '2022', workbookKey: 'reports/2022/bao-cao-dvc-2022.xlsx', messageId: null });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await objects.get(result.workbookKey)).bytes as unknown as ArrayBuffer);
    expect(wb.worksheets[1].name).toBe('Đánh giá năm');
    expect((await sesStore()).emails).toHaveLength(0);
  });
});

// The deployed artefact is what is tested here: the stack is synthesized with the same
// bundling CDK deploys, and each bundled handler runs under plain `node` (a child process,
// no tsx) against the local emulators, with the function's own NODE_OPTIONS. A bundling
// mistake (a missing module, a CommonJS require in ESM, a wrong entry) fails here, not in AWS.
import { execFile } from 'node:child_process';
import { readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient, s3Client } from '../../functions/commons/clients.ts';
import { DynamoReportStore, ensureReportTable } from '../../functions/commons/dynamodb-report-store.ts';
import { encodeS3EventKey, startLocalStack, type LocalStack } from '../../infra/local/stack.ts';
import { TthcStack } from '../../infra/stack.ts';
import { lastClosedPeriod } from '../../shared/period.ts';
import { csvReport, removeTempHomes, SAMPLE_COUNTS, tempHome } from '../ingest/helpers.ts';

const run = promisify(execFile);
// Each invocation is a cold node process; a busy machine makes that slow.
const INVOKE_TIMEOUT = 120_000;
const ROOT = new URL('../../', import.meta.url).pathname;

interface Bundle { file: string; environment: Record<string, string> }
type Name = 'ingest' | 'report' | 'portal' | 'remind';
let bundles: Record<Name, Bundle>;
let dir: string;
let stack: LocalStack;
let s3: S3Client;

// Runs one bundled handler the way Lambda's runtime does: import the file, call `handler`. With
// a moment given, the process's clock reads as if it ran then (a scheduled run of 2022 replayed
// now would be a replay, not the run: the remind function refuses a reminder day past its deadline).
const RUNNER = `
const [bundle, eventFile, outFile, at] = process.argv.slice(1); // node -e CODE args…: no script path
if (at) {
  const Real = Date;
  const offset = Real.parse(at) - Real.now();
  globalThis.Date = class extends Real {
    constructor(...args) { super(...(args.length ? args : [Real.now() + offset])); }
    static now() { return Real.now() + offset; }
  };
}
const { readFile, writeFile } = await import('node:fs/promises');
const { handler } = await import(bundle);
const context = { functionName: 'bundle-test', functionVersion: '$LATEST', awsRequestId: 'req-1', memoryLimitInMB: '1024',
  invokedFunctionArn: 'arn:aws:lambda:ap-southeast-1:123456789012:function:bundle-test', logGroupName: '/aws/lambda/bundle-test',
  logStreamName: 'local', callbackWaitsForEmptyEventLoop: false, getRemainingTimeInMillis: () => 60000 };
const result = await handler(JSON.parse(await readFile(eventFile, 'utf8')), context);
await writeFile(outFile, JSON.stringify(result ?? null));
`;

async function invoke(name: Name, event: unknown, at?: string): Promise<unknown> {
  const tag = `${name}-${Math.random().toString(36).slice(2)}`;
  const eventFile = join(dir, `${tag}.event.json`);
  const outFile = join(dir, `${tag}.out.json`);
  await writeFile(eventFile, JSON.stringify(event));
  const { environment } = bundles[name];
  const env = {
    PATH: process.env.PATH!, HOME: process.env.HOME ?? dir,
    // The function's own environment as deployed (NODE_OPTIONS included), with the emulators'
    // endpoints and names where the template has references to AWS resources.
    ...Object.fromEntries(Object.entries(environment).filter(([, v]) => typeof v === 'string')),
    TTHC_BUCKET: stack.bucket, TTHC_TABLE: stack.table,
    TTHC_S3_ENDPOINT: stack.endpoints.s3, TTHC_DYNAMODB_ENDPOINT: stack.endpoints.dynamodb, TTHC_SES_ENDPOINT: stack.endpoints.ses,
    AWS_REGION: 'ap-southeast-1', POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  await run(process.execPath, ['--input-type=module', '-e', RUNNER, bundles[name].file, eventFile, outFile, ...(at ? [at] : [])], { env, cwd: dir, timeout: INVOKE_TIMEOUT });
  return JSON.parse(await readFile(outFile, 'utf8'));
}

const KEY = 'incoming/S01/Báo cáo tháng 06 (bản cuối).csv';
// The scheduled run ({}) reports on the period that closed last: the same event gives it a report to rank.
const LAST_CLOSED = lastClosedPeriod(new Date());

/** Puts a unit's CSV report and returns the S3 event record AWS would send for it: key URL-encoded, with a version id. */
async function uploaded(key: string, period: string, eventTime: string) {
  const { bytes } = csvReport('S01', period, [{ field: 'Hộ tịch', counts: SAMPLE_COUNTS }]);
  const put = await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: bytes }));
  return {
    eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'ap-southeast-1', eventTime, eventName: 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:AIDAEXAMPLE' }, requestParameters: { sourceIPAddress: '203.0.113.7' }, responseElements: { 'x-amz-request-id': 'R1', 'x-amz-id-2': 'I1' },
    s3: {
      s3SchemaVersion: '1.0', configurationId: 'incoming', bucket: { name: stack.bucket, ownerIdentity: { principalId: 'O' }, arn: `arn:aws:s3:::${stack.bucket}` },
      // s3rver keeps no versions; the id is what a versioned bucket sends, and S3 would serve it.
      object: { key: encodeS3EventKey(key), size: bytes.length, eTag: (put.ETag ?? '').replaceAll('"', ''), versionId: put.VersionId ?? '3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY', sequencer: '0062A1B2C3D4E5F6A7' },
    },
  };
}

/** What the ingest test checks, ingested before every test (the report, portal and remind tests read its figures). */
let ingested: { record2022: Awaited<ReturnType<typeof uploaded>> };

beforeAll(async () => {
  dir = await tempHome('tthc-bundles-');
  // Synthesize with bundling on: the asset directories hold what `cdk deploy` uploads.
  const app = new App({ outdir: join(dir, 'cdk.out'), context: { reportRecipients: 'lanh-dao@haiphong.gov.vn', alarmEmail: 'ops@haiphong.gov.vn' } });
  const tthc = new TthcStack(app, 'Bundles', { env: { account: '123456789012', region: 'ap-southeast-1' } });
  const assembly = app.synth();
  type FunctionResource = { Properties: { Code: { S3Key: string }; Environment: { Variables: Record<string, string> } } };
  const template = assembly.getStackByName(tthc.stackName).template as { Resources: Record<string, FunctionResource> };
  const bundleOf = (fn: NodejsFunction): Bundle => {
    const { Code, Environment } = template.Resources[tthc.getLogicalId(fn.node.defaultChild as never)].Properties;
    // The asset is staged as asset.<hash>/ in the cloud assembly and uploaded as <hash>.zip.
    return { file: join(assembly.directory, `asset.${Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs'), environment: Environment.Variables };
  };
  const fn = (id: string) => tthc.node.findChild(id).node.findChild('Function') as NodejsFunction;
  bundles = { ingest: bundleOf(fn('Ingest')), report: bundleOf(fn('Report')), portal: bundleOf(fn('Portal')), remind: bundleOf(fn('Remind')) };
  // Lambda's runtime provides @aws-sdk/*, which the bundles leave out: ours stands in for it.
  await symlink(join(ROOT, 'node_modules'), join(assembly.directory, 'node_modules'), 'dir');

  stack = await startLocalStack({ home: join(dir, 'stack') });
  await ensureReportTable(dynamoClient(stack.endpoints.dynamodb), stack.table);
  s3 = s3Client(stack.endpoints.s3);
  // One event, two records (one cold start for both): June 2022 and the period that closed last.
  const record2022 = await uploaded(KEY, '2022-06', '2022-06-18T02:00:00.000Z');
  await invoke('ingest', { Records: [record2022, await uploaded(`incoming/S01/bao-cao-${LAST_CLOSED}.csv`, LAST_CLOSED, new Date().toISOString())] });
  ingested = { record2022 };
}, 120_000 + INVOKE_TIMEOUT);

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
  await removeTempHomes();
});

describe('the bundles the stack deploys, under plain node', () => {
  it('are ESM files without source maps, keeping function names; the report carries the chart renderer and its fonts', async () => {
    const files = async (b: Bundle) => (await readdir(dirname(b.file), { recursive: true })).map(String).sort();
    for (const name of ['ingest', 'portal', 'remind'] as const) expect(await files(bundles[name])).toEqual(['index.mjs']);
    const report = await files(bundles.report);
    expect(report).toEqual(expect.arrayContaining(['index.mjs', 'fonts/DejaVuSans.ttf', 'fonts/DejaVuSans-Bold.ttf',
      'node_modules/@resvg/resvg-js/index.js', 'node_modules/@resvg/resvg-js-linux-x64-gnu/resvgjs.linux-x64-gnu.node']));
    expect(report.filter((f) => f.endsWith('.map'))).toEqual([]);
    const factories: Record<Name, string> = { ingest: 'makeIngestHandler', report: 'makeReportHandler', portal: 'makePortalHandler', remind: 'makeRemindHandler' };
    for (const [name, b] of Object.entries(bundles) as Array<[Name, Bundle]>) {
      const code = await readFile(b.file, 'utf8');
      expect(code.slice(0, 200)).toContain('createRequire');
      // (booleans: a failure must not print a 1.4 MB string)
      expect(code.includes('sourceMappingURL')).toBe(false);
      // keepNames: minified functions keep their names, e.g. the handler's factory.
      expect(code.includes(`"${factories[name]}")`), name).toBe(true);
      expect(b.environment.NODE_OPTIONS ?? '').not.toContain('--enable-source-maps');
    }
  });


  it('ingest: an S3 event with a URL-encoded key and a version id stores the upload and writes feedback', async () => {
    expect(ingested.record2022.s3.object.key).toBe('incoming/S01/B%C3%A1o+c%C3%A1o+th%C3%A1ng+06+%28b%E1%BA%A3n+cu%E1%BB%91i%29.csv');
    const store = new DynamoReportStore(dynamoClient(stack.endpoints.dynamodb), stack.table);
    const record = (await store.unitHistory('S01', 10)).find((r) => r.period === '2022-06')!;
    expect(record).toMatchObject({ key: KEY, outcome: 'accepted', counts: SAMPLE_COUNTS });
    expect((await store.getCurrent(LAST_CLOSED, 'S01'))?.counts).toEqual(SAMPLE_COUNTS);
    expect((await store.getCurrent('2022-06', 'S01'))?.uploadId).toBe(record.uploadId);
    const feedback = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: `results/S01/${record.uploadId}.json` }));
    expect(JSON.parse(await feedback.Body!.transformToString('utf-8'))).toMatchObject({ status: 'accepted', unit: 'S01', period: '2022-06' });
  }, INVOKE_TIMEOUT);

  it('report: {"period":"2022-06","send":false} stores the workbook with the ingested counts, and mails nothing', async () => {
    const result = await invoke('report', { period: '2022-06', send: false }) as { workbookKey: string; messageId: string | null };
    expect(result).toMatchObject({ period: '2022-06', messageId: null });
    const out = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: result.workbookKey }));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await out.Body!.transformToByteArray()) as unknown as ArrayBuffer);
    const numbers = new Set<unknown>();
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void numbers.add(cell.value))));
    expect(numbers).toContain(SAMPLE_COUNTS.received_online);
  }, INVOKE_TIMEOUT);

  it('report: the scheduled event {} builds the last closed period\'s workbook and mails it', async () => {
    const result = await invoke('report', {}) as { period: string; workbookKey: string; messageId: string | null };
    expect(result.period).toBe(LAST_CLOSED);
    expect(result.messageId).toBeTruthy();
    expect(result.workbookKey).toContain(`/${result.period}/`);
    const head = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: result.workbookKey }));
    expect(Buffer.from(await head.Body!.transformToByteArray()).subarray(0, 2).toString()).toBe('PK');
  }, INVOKE_TIMEOUT);
  it('portal: GET /api/me with the authorizer\'s claims answers the caller\'s unit and the period being collected', async () => {
    const event = {
      version: '2.0', routeKey: 'GET /api/me', rawPath: '/api/me', rawQueryString: '', headers: { authorization: 'Bearer x' }, isBase64Encoded: false,
      requestContext: {
        accountId: '123456789012', apiId: 'api', domainName: 'api.example', domainPrefix: 'api', requestId: 'r1', routeKey: 'GET /api/me', stage: '$default',
        time: '18/Jun/2022:02:00:00 +0000', timeEpoch: 0, http: { method: 'GET', path: '/api/me', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
        authorizer: { jwt: { claims: { token_use: 'id', sub: 'u-1', 'cognito:username': 's01', 'custom:unit_code': 'S01' }, scopes: null } },
      },
    };
    const response = await invoke('portal', event) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    // beforeAll ingested S01's report for the period being collected.
    expect(JSON.parse(response.body)).toMatchObject({ unit: 'S01', role: 'unit', open_period: LAST_CLOSED, status: expect.any(String) });
  }, INVOKE_TIMEOUT);

  it('remind: at 08:00 on 19 June 2022 reminds for 2022-06 every unit but S01 (it reported on the 18th); on the 21st mails the administrators the list', async () => {
    // The scheduled run of that morning (its clock then): a replay now would be past the deadline.
    const day = await invoke('remind', { mode: 'remind' }, '2022-06-19T01:00:05.000Z') as { period: string; reminded: string[]; no_contact: string[]; admin_notice: unknown };
    expect(day.period).toBe('2022-06');
    const urged = [...day.reminded, ...day.no_contact];
    expect(urged.length).toBeGreaterThan(0);
    expect(urged).not.toContain('S01');
    expect(day.admin_notice).toBeNull();
    const after = await invoke('remind', { mode: 'remind', at: '2022-06-21T01:00:00.000Z' }) as { period: string; admin_notice: { recipients: string[]; missing: string[]; sent: boolean } };
    expect(after.admin_notice).toMatchObject({ recipients: bundles.remind.environment.TTHC_ADMIN_EMAILS.split(','), sent: true });
    expect(after.period).toBe('2022-06');
    expect(after.admin_notice.missing).not.toContain('S01');
    expect(after.admin_notice.missing.length).toBeGreaterThan(0);
    // Replayed today, that reminder day is long past its deadline: refused, nobody mailed.
    expect(await invoke('remind', { mode: 'remind', at: '2022-06-19T08:00:00+07:00' })).toEqual({ rejected: expect.stringContaining('deadline already passed') });
  }, INVOKE_TIMEOUT);
});

// Ingest: files uploaded to the local S3, each event run through the ingest Lambda's
// handler, until the outcome is stored — against reading the same files alone.
// Goal: ≤ 1.5×. Also counts the S3 and DynamoDB requests one ingest makes.
// Usage: tsx bench/ingest.ts [--units N]   (default: the 252 units of the plan)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { quiet, emit, peakRssMiB, timed, type Figure } from './harness.ts';
quiet();
const { dynamoClient, s3Client } = await import('../functions/commons/clients.ts');
const { DynamoReportStore, ensureReportTable } = await import('../functions/commons/dynamodb-report-store.ts');
const { S3ObjectStore } = await import('../functions/commons/s3-object-store.ts');
const { DynamoConfigStore } = await import('../functions/commons/dynamodb-config-store.ts');
const { loadPlanConfig } = await import('../shared/config/load-config.ts');
const { makeIngestHandler } = await import('../functions/ingest/handler.ts');
const { lambdaContext } = await import('../infra/local/runner.ts');
const { startLocalStackThread } = await import('../infra/local/stack-thread.ts');
const { readReport } = await import('../shared/report-file/read-report.ts');
const { PLAN_128_PERIODS } = await import('../shared/period.ts');
const { uploadKey } = await import('../shared/bucket-layout.ts');
const { UnitRegistry } = await import('../shared/units/registry.ts');
const { fixedUnits } = await import('../shared/units/units-in-force.ts');
const { PLAN_128_UNITS } = await import('../shared/units/plan-128-2022.ts');
const { realisticMonth, writeReport } = await import('../scripts/generate/report-files.ts');
type Unit = import('../shared/units/unit.ts').Unit;

const { values } = parseArgs({ options: { units: { type: 'string' } } });
const national = values.units !== undefined;
const units: Unit[] = national
  ? Array.from({ length: Number(values.units) }, (_, i) => ({
    code: `N${String(i + 1).padStart(5, '0')}`, level: i < 700 ? 'department' : i < 1400 ? 'district' : 'commune',
    name: `Đơn vị thử ${i + 1}`, parentCode: null, contactEmail: null,
  }))
  : [...PLAN_128_UNITS];
const registry = new UnitRegistry(units);
const label = national ? `${units.length} units` : '252 files';

const genStart = Date.now();
// National scale: a month of 12,000 files, most of them the exports of one-stop systems (CSV).
const specs = realisticMonth('bench-ingest', units, '2022-06');
if (national) specs.forEach((s, i) => { if (i % 10 !== 0) s.variant = { ...s.variant, layout: 'csv' }; });
const files = await Promise.all(specs.map(async (spec) => ({
  unit: spec.unit.code, bytes: await writeReport(spec), csv: spec.variant?.layout === 'csv',
})));
const generatedMs = Date.now() - genStart;

// Reading alone, the same files, the same reader options.
const read = await timed(async () => {
  for (const f of files) await readReport(f.bytes, { units: fixedUnits(registry), uploader: f.unit, now: new Date('2022-06-18T00:00:00Z') });
});

const home = await mkdtemp(join(process.env.TTHC_BENCH_TMP ?? tmpdir(), 'tthc-bench-'));
// The emulators on their own thread: S3 and DynamoDB do not share Lambda's CPU in AWS either.
const stack = await startLocalStackThread({ home });
const s3: S3Client = s3Client(stack.endpoints.s3);
let s3Requests = 0;
const handlerS3 = s3Client(stack.endpoints.s3);
handlerS3.middlewareStack.add((next) => (args) => { s3Requests++; return next(args); }, { step: 'initialize' });
const db = dynamoClient(stack.endpoints.dynamodb);
await ensureReportTable(db, stack.table);
const store = new DynamoReportStore(db, stack.table);
// As in AWS, the plan configuration (loaded registry and targets) comes from the table,
// read once per container and kept for a minute.
const configStore = new DynamoConfigStore(db, stack.table);
const plan = national ? fixedUnits(registry) : await loadPlanConfig(configStore);
const handler = makeIngestHandler(() => ({
  objects: new S3ObjectStore(handlerS3, stack.bucket), reports: store, mailer: null, periods: PLAN_128_PERIODS, units: plan,
}));
stack.onObjectCreated(async (event: S3Event) => {
  for (const r of event.Records) r.eventTime = '2022-06-18T03:00:00.000Z';
  await handler(event, lambdaContext('tthc-ingest'));
});

// Upload → stored. Units upload independently (and Lambda runs them side by side), so a
// few uploads are in flight at once, as on the 20th.
const CONCURRENCY = 4;
const queue = [...files];
const ingest = await timed(async () => {
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: uploadKey(f.unit, `bao-cao.${f.csv ? 'csv' : 'xlsx'}`), Body: f.bytes }));
    }
  }));
  await stack.idle();
});
const accepted = (await Promise.all(['2022-06'].map((p) => store.listPeriod(p))))[0].current.length;
await stack.stop();
await rm(home, { recursive: true, force: true });
if (accepted !== files.length) throw new Error(`${accepted}/${files.length} stored`);

const figures: Figure[] = [
  { name: `ingest: ${label}, upload → stored`, value: ingest.ms, unit: 'ms', note: `${CONCURRENCY} uploads in flight; ${(ingest.ms / files.length).toFixed(1)} ms per file; files generated in ${(generatedMs / 1000).toFixed(1)} s (not counted)` },
  { name: `ingest: ${label}, reading alone`, value: read.ms, unit: 'ms' },
  { name: `ingest: ${label}, ratio`, value: ingest.ms / read.ms, unit: '×', goal: national ? undefined : { max: 1.5, text: '≤ 1.5×' } },
  { name: `ingest: ${label}, peak RSS`, value: peakRssMiB(), unit: 'MiB', note: 'this process: every file in memory, plus the emulators (DynamoDB in memory) on their own thread' },
];
if (!national) {
  figures.push(
    { name: 'ingest: DynamoDB requests per upload', value: store.requests / files.length, unit: 'requests', note: 'GetItem (current report), PutItem (history), PutItem (current report); plus 2 Queries for the plan configuration once a minute per container' },
    { name: 'ingest: S3 requests per upload (by the function)', value: s3Requests / files.length, unit: 'requests', note: 'GET the file, PUT the two feedback files' },
  );
}
emit(figures);

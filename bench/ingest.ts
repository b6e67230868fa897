// Ingest: files uploaded to the local S3, each event run through the ingest Lambda's
// handler, until the outcome is stored, against the floor: the least any ingest must do on
// the same emulators — upload the file, GET it, read it, the DynamoDB writes the pipeline
// made (replayed bare, without conditions) and the two feedback PUTs, per file, with as many
// in flight. Goal: pipeline ≤ 1.3× the floor. Also counts the requests one ingest makes.
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
const { DeleteItemCommand, PutItemCommand, UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
const { GetObjectCommand } = await import('@aws-sdk/client-s3');
const { DynamoReportStore, ensureReportTable } = await import('../functions/commons/dynamodb-report-store.ts');
const { S3ObjectStore } = await import('../functions/commons/s3-object-store.ts');
const { DynamoConfigStore } = await import('../functions/commons/dynamodb-config-store.ts');
const { loadPlanConfig } = await import('../shared/config/load-config.ts');
const { makeIngestHandler } = await import('../functions/ingest/handler.ts');
const { lambdaContext } = await import('../infra/local/runner.ts');
const { startLocalStackThread } = await import('../infra/local/stack-thread.ts');
const { readSubmission } = await import('../shared/report-file/read-report.ts');
const { PLAN_128_PERIODS } = await import('../shared/period.ts');
const { isNotifiedKey, uploadKey } = await import('../shared/bucket-layout.ts');
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
  for (const f of files) await readSubmission(f.bytes, { units: fixedUnits(registry), uploader: f.unit, now: new Date('2022-06-18T00:00:00Z') });
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
// The function's own clients, watched: what it writes is what the floor replays.
const handlerDb = dynamoClient(stack.endpoints.dynamodb);
const store = new DynamoReportStore(handlerDb, stack.table);
type Write = { name: string; input: Record<string, unknown> };
const writes: Write[] = [];
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);
/** The function's DynamoDB requests by operation, over the whole run (the plan configuration's included). */
const byOperation = new Map<string, number>();
handlerDb.middlewareStack.add((next, context) => (args) => {
  const op = (context.commandName ?? '?').replace(/Command$/, '');
  byOperation.set(op, (byOperation.get(op) ?? 0) + 1);
  // At 'build' the document client has marshalled the input: it replays on the plain client.
  if (WRITES.has(context.commandName ?? '')) writes.push({ name: context.commandName!, input: args.input as Record<string, unknown> }); // kept, not copied: the SDK builds a fresh input per request
  return next(args);
}, { step: 'build' });
const feedbackPuts: Array<{ Key: string; Body: unknown; ContentType?: string }> = [];
handlerS3.middlewareStack.add((next, context) => (args) => {
  if (context.commandName === 'PutObjectCommand') feedbackPuts.push(args.input as { Key: string; Body: unknown; ContentType?: string });
  return next(args);
}, { step: 'initialize' });
// As in AWS, the plan configuration (loaded registry and targets) comes from the table,
// read once per container and kept for a minute.
const configStore = new DynamoConfigStore(db, stack.table);
const plan = national ? fixedUnits(registry) : await loadPlanConfig(configStore);
const handler = makeIngestHandler(() => ({
  objects: new S3ObjectStore(handlerS3, stack.bucket), reports: store, mailer: null, periods: PLAN_128_PERIODS, units: plan,
}));
let pipelineOn = true; // off while the floor runs: its PUTs raise events too
stack.onObjectCreated(async (raw: S3Event) => {
  // The bucket's notification filters: the function never hears of its own feedback objects.
  const event: S3Event = { Records: raw.Records.filter((r) => isNotifiedKey(r.s3.object.key)) };
  if (!pipelineOn || event.Records.length === 0) return;
  for (const r of event.Records) r.eventTime = '2022-06-18T03:00:00.000Z';
  await handler(event, lambdaContext('tthc-ingest'));
});

// Upload → stored, against the floor. Units upload independently (and Lambda runs them side
// by side), so a few uploads are in flight at once, as on the 20th. The machine is shared: the
// two alternate in rounds of the same files, so a busy spell weighs on both alike.
const CONCURRENCY = 4;
const ROUNDS = national ? 20 : 6;
const sendBare = (w: Write): Promise<unknown> => {
  const { ConditionExpression, ExpressionAttributeNames, ExpressionAttributeValues, ...input } = w.input as Record<string, unknown>;
  void ConditionExpression;
  if (w.name === 'PutItemCommand') return db.send(new PutItemCommand(input as never));
  if (w.name === 'DeleteItemCommand') return db.send(new DeleteItemCommand(input as never));
  return db.send(new UpdateItemCommand({ ...input, ExpressionAttributeNames, ExpressionAttributeValues } as never));
};
const floorUnits = fixedUnits(registry);

async function inFlight<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

const ingest = { ms: 0 };
const floor = { ms: 0 };
let cpuPipeline = { user: 0, system: 0 };
let cpuFloor = { user: 0, system: 0 };
const addCpu = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => ({ user: a.user + b.user, system: a.system + b.system });
let writesTotal = 0;
let feedbackPutsTotal = 0;
const size = Math.ceil(files.length / ROUNDS);
for (let r = 0; r < ROUNDS; r++) {
  const round = files.slice(r * size, (r + 1) * size);
  if (round.length === 0) break;
  writes.length = 0;
  feedbackPuts.length = 0;

  pipelineOn = true;
  let cpu = process.cpuUsage();
  ingest.ms += (await timed(async () => {
    await inFlight(round, async (f) => {
      await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: uploadKey(f.unit, `bao-cao.${f.csv ? 'csv' : 'xlsx'}`), Body: f.bytes }));
    });
    await stack.idle();
  })).ms;
  cpuPipeline = addCpu(cpuPipeline, process.cpuUsage(cpu));
  writesTotal += writes.length;
  feedbackPutsTotal += feedbackPuts.length;

  // The floor for the same files: only the work no ingest can skip, each request bare (no
  // conditions, no reads): the round's own writes and feedback PUTs, spread evenly.
  pipelineOn = false;
  cpu = process.cpuUsage();
  floor.ms += (await timed(async () => {
    await inFlight(round.map((f, i) => ({ f, i })), async ({ f, i }) => {
      const key = `floor/${f.unit}/bao-cao.${f.csv ? 'csv' : 'xlsx'}`;
      await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: f.bytes }));
      const got = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
      const bytes = Buffer.from(await got.Body!.transformToByteArray());
      await readSubmission(bytes, { units: national ? floorUnits : plan, uploader: f.unit, periods: PLAN_128_PERIODS, now: new Date('2022-06-18T03:00:00Z') });
      for (let j = i; j < writes.length; j += round.length) await sendBare(writes[j]);
      const puts: Promise<unknown>[] = [];
      for (let j = i; j < feedbackPuts.length; j += round.length) {
        const p = feedbackPuts[j];
        puts.push(s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: `floor-${p.Key}`, Body: p.Body as string, ContentType: p.ContentType })));
      }
      await Promise.all(puts);
    });
    await stack.idle();
  })).ms;
  cpuFloor = addCpu(cpuFloor, process.cpuUsage(cpu));
}
const accepted = (await new DynamoReportStore(db, stack.table).listPeriod('2022-06')).current.length;
const storeRequests = store.requests;
const functionS3Requests = s3Requests;
await stack.stop();
await rm(home, { recursive: true, force: true });
if (accepted !== files.length) throw new Error(`${accepted}/${files.length} stored`);

const cpuSeconds = (u: NodeJS.CpuUsage) => ((u.user + u.system) / 1e6).toFixed(1);
const figures: Figure[] = [
  { name: `ingest: ${label}, upload → stored`, value: ingest.ms, unit: 'ms', note: `${CONCURRENCY} uploads in flight; ${(ingest.ms / files.length).toFixed(1)} ms per file; files generated in ${(generatedMs / 1000).toFixed(1)} s (not counted)` },
  { name: `ingest: ${label}, floor`, value: floor.ms, unit: 'ms', note: `upload PUT, GET, read, ${(writesTotal / files.length).toFixed(1)} DynamoDB writes and ${(feedbackPutsTotal / files.length).toFixed(1)} feedback PUTs per file, bare, ${CONCURRENCY} in flight; ${ROUNDS} rounds alternating with the pipeline` },
  { name: `ingest: ${label}, pipeline / floor`, value: ingest.ms / floor.ms, unit: '×', goal: national ? undefined : { max: 1.3, text: '≤ 1.3×' }, note: `CPU (both threads): pipeline ${cpuSeconds(cpuPipeline)} s, floor ${cpuSeconds(cpuFloor)} s` },
  { name: `ingest: ${label}, reading alone`, value: read.ms, unit: 'ms', note: `pipeline / reading alone: ${(ingest.ms / read.ms).toFixed(2)}×` },
  { name: `ingest: ${label}, peak RSS`, value: peakRssMiB(), unit: 'MiB', note: 'this process: every file in memory, plus the emulators (DynamoDB in memory) on their own thread' },
];
if (!national) {
  figures.push(
    {
      name: 'ingest: DynamoDB requests per upload', value: storeRequests / files.length, unit: 'requests',
      note: `${[...byOperation].map(([op, n]) => `${op} ${(n / files.length).toFixed(2)}`).join(', ')}: BatchGetItem (current report, publication, the unit's reports of the 12 periods before, the counts' note), PutItem ×3 (content claim, history record, current report), UpdateItem (the counts' note, for distinctive figures); plus, not counted here, 2 Queries a minute per container for the plan configuration`,
    },
    { name: 'ingest: S3 requests per upload (by the function)', value: functionS3Requests / files.length, unit: 'requests', note: 'GET the file, PUT the two feedback files' },
  );
}
emit(figures);

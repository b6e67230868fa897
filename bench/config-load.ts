// Registry load at national size: 24,000 rows through DynamoConfigStore into dynalite (on its
// own thread, as in the ingest bench), then the same file again (reads only, writes nothing).
// The ingest Lambda that loads config files has 60 s.
// Usage: tsx bench/config-load.ts [--rows N]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { emit, quiet, timed, type Figure } from './harness.ts';
quiet();
const { dynamoClient } = await import('../functions/commons/clients.ts');
const { ensureReportTable } = await import('../functions/commons/dynamodb-report-store.ts');
const { DynamoConfigStore } = await import('../functions/commons/dynamodb-config-store.ts');
const { startLocalStackThread } = await import('../infra/local/stack-thread.ts');
type RegistryRow = import('../shared/config/plan-config.ts').RegistryRow;

const { values } = parseArgs({ options: { rows: { type: 'string', default: '24000' } } });
const n = Number(values.rows);
const rows: RegistryRow[] = Array.from({ length: n }, (_, i) => ({
  code: `N${String(i + 1).padStart(5, '0')}`, level: 'commune', name: `Xã thử ${i + 1}`, parentCode: `D${String(i % 700).padStart(3, '0')}`,
  contactEmail: `ubnd.n${i + 1}@example.gov.vn`, validFrom: '2025-07', validTo: null, mergedInto: null,
}));

const home = await mkdtemp(join(process.env.TTHC_BENCH_TMP ?? tmpdir(), 'tthc-bench-config-'));
const stack = await startLocalStackThread({ home });
try {
  const db = dynamoClient(stack.endpoints.dynamodb);
  await ensureReportTable(db, stack.table);
  let requests = 0;
  db.middlewareStack.add((next) => (args) => { requests++; return next(args); }, { step: 'initialize' });
  const store = new DynamoConfigStore(db, stack.table);
  const first = await timed(() => store.putRegistryRows(rows, 'bench-1'));
  const firstRequests = requests;
  const again = await timed(() => store.putRegistryRows(rows, 'bench-2'));
  const figures: Figure[] = [
    { name: `registry load, ${n} rows (dynalite)`, value: first.ms / 1000, unit: 's', goal: { max: 60, text: '≤ 60 s (Lambda timeout)' }, note: `${firstRequests} requests; ${first.result.changed} rows written` },
    { name: `same registry again, ${n} rows (dynalite)`, value: again.ms / 1000, unit: 's', note: `${requests - firstRequests} requests; ${again.result.changed} rows written` },
  ];
  emit(figures);
} finally {
  await stack.stop();
  await rm(home, { recursive: true, force: true });
}

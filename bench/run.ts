// npm run bench [-- --json] [-- --quick]: every figure side by side with its goal, each
// measured in its own process (so peak RSS figures are each measurement's own).
import { execFile } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { promisify } from 'node:util';
import type { Figure } from './harness.ts';

const run = promisify(execFile);
const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
// Emulator data on tmpfs where there is one: the benchmark measures our code, not the disk.
const env = { ...process.env, TTHC_BENCH_TMP: process.env.TTHC_BENCH_TMP ?? '/dev/shm' };

const steps: Array<{ script: string; args?: string[]; node?: string[] }> = [
  { script: 'reading' },
  { script: 'ingest' },
  ...(quick ? [] : [{ script: 'ingest', args: ['--units', '12000'] }]),
  { script: 'report' },
  ...(quick ? [] : [{ script: 'report', args: ['--units', '12000', '--periods', '12'] }]),
  // Peak memory of one cold report build, with the heap limit the report Lambda runs with.
  { script: 'report', args: ['--units', quick ? '2000' : '12000', '--periods', '12', '--peak-only'], node: ['--max-old-space-size=384'] },
  { script: 'zipbomb' },
  { script: 'hostile' },
  // Loading a national registry through the config store, within the ingest Lambda's timeout.
  { script: 'config-load', args: quick ? ['--rows', '2000'] : [] },
  { script: 'bundles' },
  { script: 'cost' },
];

const figures: Figure[] = [];
const started = Date.now();
// The machine may be shared: its 1-minute load average before and after says how much.
const loadBefore = loadavg()[0];
for (const step of steps) {
  const t = Date.now();
  const name = `${step.script} ${(step.args ?? []).join(' ')}`.trim();
  try {
    const { stdout } = await run('node', [...(step.node ?? []), '--import', 'tsx', `bench/${step.script}.ts`, ...(step.args ?? [])], {
      env, maxBuffer: 64 * 1024 * 1024, cwd: new URL('..', import.meta.url).pathname,
    });
    const line = stdout.trim().split('\n').pop()!;
    figures.push(...(JSON.parse(line) as Figure[]));
  } catch (e) {
    // One measurement failing must not cost the others (the whole run takes minutes): it shows as a missed goal.
    const lines = ((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n');
    const why = (lines.find((l) => /Error/.test(l)) ?? lines.pop() ?? '').trim().slice(0, 200);
    figures.push({ name: `${name}: FAILED`, value: NaN, unit: '', goal: { max: 0, text: 'runs' }, note: why });
  }
  if (!json) process.stderr.write(`  ${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
}

const met = (f: Figure) => typeof f.value === 'number' && Number.isFinite(f.value) && f.value <= f.goal!.max;
const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`;
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, seconds: (Date.now() - started) / 1000, figures }, null, 2)}\n`);
} else {
  // A value JSON could not carry (a crashed child's Infinity arrives as null) is no figure.
  const fmt = (f: Figure) => (typeof f.value !== 'number' || !Number.isFinite(f.value) ? 'n/a' : f.unit === '×' ? f.value.toFixed(2) : f.unit === 'USD' ? f.value.toFixed(3) : f.value >= 100 ? Math.round(f.value).toLocaleString('en') : f.value.toFixed(1));
  const rows = figures.map((f) => [f.name, `${fmt(f)} ${f.unit}`, f.goal ? `${f.goal.text} ${met(f) ? 'met' : 'MISSED'}` : '', f.note ?? '']);
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`\nBenchmarks on ${machine}\n`);
  for (const r of rows) console.log(`${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2].padEnd(w[2])}  ${r[3]}`);
  console.log(`\n${figures.filter((f) => f.goal && !met(f)).length} goal(s) missed; ${((Date.now() - started) / 1000).toFixed(0)} s in all.`);
}

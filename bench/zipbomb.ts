// The zip bomb: a ~1 MB .xlsx whose sheet inflates to 600 MiB; and one whose directory lies
// about it. Time and extra memory to refuse each.
import { readSubmission } from '../shared/report-file/read-report.ts';
import { plan128Registry, PLAN_128_UNITS } from '../shared/units/plan-128-2022.ts';
import { fixedUnits } from '../shared/units/units-in-force.ts';
import { realisticMonth, writeReport } from '../scripts/generate/report-files.ts';
import { bombWorkbook } from '../scripts/generate/zip-bomb.ts';
import { emit, peakRssMiB, timed } from './harness.ts';

const units = fixedUnits(plan128Registry());
const base = await writeReport(realisticMonth('bomb', PLAN_128_UNITS.slice(0, 1), '2022-06')[0]);
const honest = bombWorkbook(base, 600);
const lying = bombWorkbook(base, 600, 40_000);
await readSubmission(base, { units }); // warm up the reader

const figures = [];
for (const [label, bomb] of [['600 MiB sheet', honest], ['lying directory', lying]] as const) {
  const before = peakRssMiB();
  const { ms, result } = await timed(() => readSubmission(bomb.bytes, { units }));
  if (result.status !== 'rejected') throw new Error(`${label} was not refused`);
  figures.push(
    { name: `zip bomb (${label}): time to refuse`, value: ms, unit: 'ms', note: `${(bomb.bytes.length / 1048576).toFixed(1)} MiB file, ${result.errors[0].code}`, goal: { max: 1000, text: '≈ 1 s' } },
    { name: `zip bomb (${label}): extra peak RSS`, value: peakRssMiB() - before, unit: 'MiB' },
  );
}
emit(figures);

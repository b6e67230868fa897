// Reading: 252 realistic files with this reader vs bare exceljs reading the same bytes
// (workbooks with the document reader, CSV with exceljs's CSV reader). Goal: ≤ 1.3×.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { readSubmission } from '../shared/report-file/read-report.ts';
import { plan128Registry } from '../shared/units/plan-128-2022.ts';
import { fixedUnits } from '../shared/units/units-in-force.ts';
import { bestOf, emit, peakRssMiB } from './harness.ts';
import { cityMonth } from './files.ts';

const files = await cityMonth();
const units = fixedUnits(plan128Registry());
const bytes = files.reduce((s, f) => s + f.bytes.length, 0);

async function bare() {
  for (const f of files) {
    const wb = new ExcelJS.Workbook();
    if (f.layout === '06a') await wb.xlsx.load(f.bytes as unknown as ArrayBuffer);
    else await wb.csv.read(Readable.from(f.bytes), { parserOptions: { delimiter: f.bytes.includes(';') ? ';' : ',' } });
  }
}
let accepted = 0;
async function ours() {
  accepted = 0;
  for (const f of files) if ((await readSubmission(f.bytes, { units, uploader: f.unit })).status === 'accepted') accepted++;
}

await ours(); // warm up both paths (JIT, module init)
await bare();
const oursMs = await bestOf(3, ours);
const bareMs = await bestOf(3, bare);
if (accepted !== files.length) throw new Error(`only ${accepted}/${files.length} generated files were accepted`);
emit([
  { name: 'reading: 252 files, this reader', value: oursMs, unit: 'ms', note: `${(bytes / 1048576).toFixed(1)} MiB, ${files.filter((f) => f.layout === 'csv').length} CSV` },
  { name: 'reading: 252 files, bare exceljs', value: bareMs, unit: 'ms' },
  { name: 'reading: ratio', value: oursMs / bareMs, unit: '×', goal: { max: 1.3, text: '≤ 1.3×' } },
  { name: 'reading: peak RSS', value: peakRssMiB(), unit: 'MiB' },
]);

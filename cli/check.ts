// tthc check [--unit CODE] [--at ISO-8601] [--json] FILE...: reads and validates report files, stores
// nothing. --at: the upload time the period is judged against (default: now).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { readReport, type ReportReading } from '../shared/report-file/read-report.ts';
import { plan128Registry } from '../shared/units/plan-128-2022.ts';
import { fixedUnits } from '../shared/units/units-in-force.ts';
import { describeReading } from '../shared/report-file/describe.ts';
import { readingJson } from './output.ts';

export async function checkCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { unit: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length === 0) throw new Error('cần ít nhất một tệp: tthc check [--unit CODE] [--at ISO-8601] [--json] FILE...');
  if (values.at && Number.isNaN(Date.parse(values.at))) throw new Error(`--at không phải thời điểm ISO-8601: ${values.at}`);
  const now = values.at ? new Date(values.at) : new Date();
  const registry = plan128Registry();
  let allAccepted = true;
  for (const file of positionals) {
    const reading: ReportReading = await readReport(await readFile(file), { units: fixedUnits(registry), uploader: values.unit ?? null, now });
    allAccepted &&= reading.status === 'accepted';
    process.stdout.write(values.json
      ? `${JSON.stringify(readingJson(file, reading))}\n`
      : `${describeReading(basename(file), reading, registry).join('\n')}\n`);
  }
  return allAccepted ? 0 : 1;
}

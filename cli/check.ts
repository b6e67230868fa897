// tthc check [--unit CODE] [--at ISO-8601] [--json] FILE...: reads and validates report files, stores
// nothing. --at: the upload time the period is judged against (default: now).
import { basename } from 'node:path';
import { instantArg, parseCommand } from './args.ts';
import { HELP } from './help.ts';
import { readSubmission, type SubmissionReading } from '../shared/report-file/read-report.ts';
import { plan128Registry } from '../shared/units/plan-128-2022.ts';
import { fixedUnits } from '../shared/units/units-in-force.ts';
import { describeReading } from '../shared/report-file/describe.ts';
import { readingJson, readInput, writeNotFound } from './output.ts';

export async function checkCommand(args: string[]): Promise<number> {
  const parsed = parseCommand({
    name: 'tthc check', help: HELP.check, positionals: { name: 'FILE (tệp báo cáo cần kiểm tra)', min: 1, max: Infinity },
    options: { unit: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean', default: false } },
  }, args);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const now = instantArg(values.at) ?? new Date();
  const registry = plan128Registry();
  let allAccepted = true;
  for (const file of positionals) {
    const bytes = await readInput(file);
    if (!bytes) {
      allAccepted = false;
      writeNotFound(file, values.json);
      continue;
    }
    const reading: SubmissionReading = await readSubmission(bytes, { units: fixedUnits(registry), uploader: values.unit ?? null, now });
    allAccepted &&= reading.status === 'accepted';
    process.stdout.write(values.json
      ? `${JSON.stringify(readingJson(file, reading))}\n`
      : `${describeReading(basename(file), reading, registry).join('\n')}\n`);
  }
  return allAccepted ? 0 : 1;
}

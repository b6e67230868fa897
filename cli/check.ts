// tthc check [--unit CODE] [--at ISO-8601] [--registry FILE] [--json] FILE...: reads and validates
// report files, stores nothing. --at: the upload time the period is judged against (default: now);
// --registry: a registry file to judge units by (default: the built-in 2022 registry).
import { basename } from 'node:path';
import { ArgError, instantArg, parseCommand } from './args.ts';
import { HELP } from './help.ts';
import { readSubmission, type SubmissionReading } from '../shared/report-file/read-report.ts';
import { readRegistryFile } from '../shared/config/config-files.ts';
import { PlanConfig } from '../shared/config/plan-config.ts';
import { periodContaining } from '../shared/period.ts';
import { describeReading } from '../shared/report-file/describe.ts';
import { readingJson, readInput, writeNotFound } from './output.ts';

export async function checkCommand(args: string[]): Promise<number> {
  const parsed = parseCommand({
    name: 'tthc check', help: HELP.check, positionals: { name: 'FILE (tệp báo cáo cần kiểm tra)', min: 1, max: Infinity },
    options: { unit: { type: 'string' }, at: { type: 'string' }, registry: { type: 'string' }, json: { type: 'boolean', default: false } },
  }, args);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const now = instantArg(values.at) ?? new Date();
  const units = values.registry === undefined ? PlanConfig.builtin() : await registryArg(values.registry);
  let allAccepted = true;
  for (const file of positionals) {
    const bytes = await readInput(file);
    if (!bytes) {
      allAccepted = false;
      writeNotFound(file, values.json);
      continue;
    }
    const reading: SubmissionReading = await readSubmission(bytes, { units, uploader: values.unit ?? null, now });
    allAccepted &&= reading.status === 'accepted';
    const registry = units.registryFor(reading.period ?? periodContaining(now));
    const lines = describeReading(basename(file), reading, registry);
    // The built-in registry is the 2022 city's: a unit of today's is unknown to it.
    if (values.registry === undefined && reading.errors.some((e) => e.code === 'unknown_unit_code' || e.code === 'unknown_uploader')) {
      lines.push('  (tthc check dùng danh mục đơn vị có sẵn của năm 2022; để kiểm tra theo danh mục đang áp dụng: --registry TỆP, ví dụ shared/data/haiphong-2025/registry-2025-07.csv)');
    }
    process.stdout.write(values.json ? `${JSON.stringify(readingJson(file, reading))}\n` : `${lines.join('\n')}\n`);
  }
  return allAccepted ? 0 : 1;
}

/** The registry file --registry names, loaded over the built-in one as `tthc registry load` would; its mistakes are argument mistakes. */
async function registryArg(file: string): Promise<PlanConfig> {
  const bytes = await readInput(file);
  if (!bytes) throw new ArgError(`--registry: không tìm thấy tệp ${file}`);
  const read = await readRegistryFile(bytes);
  if (read.errors.length) throw new ArgError(`--registry: tệp ${file} không hợp lệ: ${read.errors[0].message}`);
  return PlanConfig.withLoaded(read.rows, []);
}

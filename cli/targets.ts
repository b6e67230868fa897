// tthc targets allocate --baseline FILE (--pool department=N,district=N,commune=N | --goal-rate 0.6)
//                       [--window FROM..TO] --out FILE
import { writeFile } from 'node:fs/promises';
import { ArgError, parseCommand, required, spanArg } from './args.ts';
import { HELP } from './help.ts';
import { allocateTargets, poolForGoal } from '../shared/targets/allocate.ts';
import { readBaselineCsv, targetsCsv } from '../shared/targets/baseline-file.ts';
import { isLevel, LEVEL_NAMES, LEVELS, type Level } from '../shared/units/unit.ts';
import { periodLabel } from '../shared/period.ts';
import { fileNotFound, readInput } from './output.ts';

export async function targetsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  // The baseline from the stored reports instead of a file: cli/targets-from-reports.ts.
  if (sub === 'allocate') return rest.some((a) => a === '--from-periods' || a.startsWith('--from-periods=')) ? (await import('./targets-from-reports.ts')).allocateFromReports(rest) : allocate(rest);
  if (sub === '--help' || sub === '-h') {
    process.stdout.write(HELP.targets);
    return 0;
  }
  throw new ArgError(sub === undefined ? 'thiếu lệnh: tthc targets load FILE, tthc targets show --period YYYY-MM hoặc tthc targets allocate …'
    : `"${sub}": không có lệnh tthc targets ${sub} (có: load, show, allocate)`);
}

/** A level's allocation as the console shows it: Vietnamese numbers (decimal comma, thousands dot), as in the appendix. */
export function allocationLines(levelName: string, pool: number | undefined, mine: ReadonlyArray<{ code: string; weightPct: number | null; extraOnline: number | null; targetPct: number | null }>): string[] {
  const vi = (n: number, digits: number) => n.toLocaleString('vi-VN', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return [
    `${levelName}: hồ sơ trực tuyến cần giao thêm ${vi(Math.round(pool ?? 0), 0)}`,
    '  Mã     Tỷ trọng %  Giao thêm  Chỉ tiêu %',
    ...mine.map((a) => `  ${a.code.padEnd(6)} ${(a.weightPct === null ? '—' : vi(a.weightPct, 2)).padStart(10)} ${(a.extraOnline === null ? '—' : vi(a.extraOnline, 0)).padStart(10)} ${(a.targetPct === null ? 'không giao' : a.targetPct.toLocaleString('vi-VN')).padStart(11)}`),
  ];
}

export function parsePools(text: string): Partial<Record<Level, number>> {
  const pools: Partial<Record<Level, number>> = {};
  for (const part of text.split(',')) {
    const [level, value] = part.split('=').map((s) => s.trim());
    const n = Number(value);
    if (!isLevel(level) || value === undefined || value === '' || !Number.isFinite(n) || n < 0) throw new ArgError(`--pool: "${part}" phải có dạng department=76680 (cấp: ${LEVELS.join(', ')})`);
    pools[level] = n;
  }
  return pools;
}

async function allocate(args: string[]): Promise<number> {
  const parsed = parseCommand({
    name: 'tthc targets allocate', help: HELP.targets,
    options: {
      baseline: { type: 'string' }, pool: { type: 'string' }, 'goal-rate': { type: 'string' },
      window: { type: 'string', default: '2022-05..2022-12' }, out: { type: 'string' },
    },
  }, args);
  if (!parsed) return 0;
  const { values } = parsed;
  const baselineFile = required(values.baseline, '--baseline', 'tệp số liệu gốc');
  const outFile = required(values.out, '--out', 'tệp chỉ tiêu ghi ra');
  const { from, to } = spanArg(values.window, '--window');
  const givenPools = values.pool ? parsePools(values.pool) : null;
  const goal = values['goal-rate'] === undefined ? null : /^\d*\.?\d+$/.test(values['goal-rate']) ? Number(values['goal-rate']) : NaN;
  if (goal !== null && !(goal > 0 && goal <= 1)) throw new ArgError(`--goal-rate: "${values['goal-rate']}" phải là tỷ lệ trong (0, 1], ví dụ 0.6`);
  if (!givenPools && goal === null) throw new ArgError('--pool hoặc --goal-rate: cần một trong hai');
  const baseline = await readInput(baselineFile);
  if (!baseline) {
    process.stderr.write(`Lỗi file_not_found: ${fileNotFound(baselineFile).message}\n`);
    return 1;
  }
  const { rows, errors } = readBaselineCsv(baseline.toString('utf8'));
  if (errors.length) {
    for (const e of errors) process.stderr.write(`Lỗi: ${e.message} (mã lỗi: ${e.code})\n`);
    return 1;
  }
  const pools: Partial<Record<Level, number>> = givenPools
    ?? Object.fromEntries(LEVELS.map((l) => [l, poolForGoal(rows.filter((r) => r.level === l), goal!)]));

  const allocations = allocateTargets(rows, pools);
  await writeFile(outFile, targetsCsv(allocations, { from, to }));
  const out: string[] = [];
  for (const level of LEVELS) {
    const mine = allocations.filter((a) => a.level === level);
    if (!mine.length) continue;
    out.push(...allocationLines(LEVEL_NAMES[level], pools[level], mine));
  }
  out.push(`Đã ghi ${outFile} (${allocations.filter((a) => a.targetPct !== null).length} chỉ tiêu, kỳ ${periodLabel(from)} đến ${periodLabel(to)})`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

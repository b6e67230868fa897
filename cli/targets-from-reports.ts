// tthc targets allocate --from-periods A..B --window C..D (--pool LEVEL=N,… | --goal-rate R) --out FILE:
// next year's targets from this year's figures. The baseline is what the units reported for
// A..B (the stored current reports), projected to C..D; then Phụ lục 2's allocation, as with
// --baseline. Units in force for the window with no report in the baseline get no target:
// they are listed apart, and left out of the targets file. Beside the targets file, the
// appendix the leadership signs (FILE with .xlsx: shared/targets/appendix-workbook.ts).
import { writeFile } from 'node:fs/promises';
import { periodsFromEnv, planFromEnv } from '../functions/commons/deps.ts';
import { startLocalPipeline } from '../infra/local/runner.ts';
import { periodLabel, periodSpan } from '../shared/period.ts';
import { successorsFor } from '../shared/report/mergers.ts';
import { allocateTargets, poolForGoal } from '../shared/targets/allocate.ts';
import { appendixPath, appendixWorkbook } from '../shared/targets/appendix-workbook.ts';
import { targetsCsv } from '../shared/targets/baseline-file.ts';
import { baselineFromReports, type PeriodSpan } from '../shared/targets/baseline-from-reports.ts';
import { LEVEL_NAMES, LEVELS, levelsOf, type Level } from '../shared/units/unit.ts';
import { ArgError, parseCommand, required, spanArg } from './args.ts';
import { HELP } from './help.ts';
import { allocationLines, parsePools } from './targets.ts';

export async function allocateFromReports(args: string[]): Promise<number> {
  const parsed = parseCommand({
    name: 'tthc targets allocate', help: HELP.targets,
    options: {
      'from-periods': { type: 'string' }, window: { type: 'string' }, pool: { type: 'string' }, 'goal-rate': { type: 'string' }, out: { type: 'string' },
    },
  }, args);
  if (!parsed) return 0;
  const { values } = parsed;
  const baseline = spanArg(values['from-periods'], '--from-periods');
  const window = spanArg(values.window, '--window');
  if (window.from <= baseline.to) throw new ArgError(`--window: kỳ chỉ tiêu ${window.from} phải sau kỳ gốc cuối cùng ${baseline.to}`);
  const outFile = required(values.out, '--out', 'tệp chỉ tiêu ghi ra');
  let goal: number | null = null;
  if (!values.pool) {
    const text = required(values['goal-rate'], '--pool hoặc --goal-rate', 'cần một trong hai');
    goal = /^\d*\.?\d+$/.test(text) ? Number(text) : NaN;
    if (!(goal > 0 && goal <= 1)) throw new ArgError(`--goal-rate: "${text}" phải là tỷ lệ trong (0, 1], ví dụ 0.6`);
  }
  const given = values.pool ? parsePools(values.pool) : {};

  const pipeline = await startLocalPipeline();
  let reported;
  let levelName: Map<Level, string>;
  try {
    const plan = await planFromEnv();
    const units = plan.registryFor(window.from).units;
    // Levels named as the units in force then are ("Xã, phường, đặc khu" since 2025-07).
    levelName = new Map(levelsOf(units).map((l) => [l.level, l.name]));
    reported = await baselineFromReports(pipeline.store, units, baseline, window, successorsFor(plan, window.from));
  } finally {
    await pipeline.stack.stop();
  }
  const { rows, unreported } = reported;
  if (!rows.length) {
    process.stderr.write(`Lỗi: không có báo cáo nào của các đơn vị kỳ ${periodLabel(window.from)} trong các kỳ gốc ${periodSpan(baseline.from, baseline.to)}: không có số liệu để giao chỉ tiêu. Không ghi tệp nào. (mã lỗi: no_baseline_reports)\n`);
    return 1;
  }
  const levels = LEVELS.filter((l) => rows.some((r) => r.level === l));
  const pools: Partial<Record<Level, number>> = goal === null ? given
    : Object.fromEntries(levels.map((l) => [l, poolForGoal(rows.filter((r) => r.level === l), goal)]));
  const missing = levels.filter((l) => pools[l] === undefined);
  if (missing.length) throw new ArgError(`--pool: thiếu cấp ${missing.join(', ')} (các cấp có đơn vị báo cáo: ${levels.join(', ')})`);

  const allocations = allocateTargets(rows, pools);
  await writeFile(outFile, targetsCsv(allocations, window));
  const appendix = appendixPath(outFile);
  await writeFile(appendix, await appendixWorkbook({ reported, allocations, pools, asOf: new Date(), timeZone: periodsFromEnv().timeZone }));
  const span = (s: PeriodSpan) => periodSpan(s.from, s.to);
  const out = [`Số liệu gốc: báo cáo các kỳ ${span(baseline)}, dự kiến cho các kỳ ${span(window)} (×${Number(reported.factor.toFixed(4))})`];
  for (const level of levels) {
    const mine = allocations.filter((a) => a.level === level);
    out.push(...allocationLines(levelName.get(level) ?? LEVEL_NAMES[level], pools[level], mine));
  }
  if (unreported.length) {
    out.push(`Không có báo cáo nào trong các kỳ gốc, không giao chỉ tiêu (${unreported.length} đơn vị):`);
    for (const u of unreported) out.push(`  ${u.code.padEnd(6)} ${u.name}`);
  }
  out.push(`Đã ghi ${outFile} (${allocations.filter((a) => a.targetPct !== null).length} chỉ tiêu, kỳ ${periodLabel(window.from)} đến ${periodLabel(window.to)})`);
  out.push(`Đã ghi phụ lục ${appendix} (bảng giao chỉ tiêu để trình ký)`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

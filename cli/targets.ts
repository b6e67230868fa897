// tthc targets allocate --baseline FILE (--pool department=N,district=N,commune=N | --goal-rate 0.6)
//                       [--window FROM:TO] --out FILE
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isPeriod } from '../shared/period.ts';
import { allocateTargets, poolForGoal } from '../shared/targets/allocate.ts';
import { readBaselineCsv, targetsCsv } from '../shared/targets/baseline-file.ts';
import { isLevel, LEVEL_NAMES, LEVELS, type Level } from '../shared/units/unit.ts';

export async function targetsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'allocate') return allocate(rest);
  throw new Error('tthc targets allocate --baseline FILE --pool department=N,district=N,commune=N [--goal-rate R] [--window FROM:TO] --out FILE');
}

function parsePools(text: string): Partial<Record<Level, number>> {
  const pools: Partial<Record<Level, number>> = {};
  for (const part of text.split(',')) {
    const [level, value] = part.split('=').map((s) => s.trim());
    const n = Number(value);
    if (!isLevel(level) || !Number.isFinite(n) || n < 0) throw new Error(`--pool: "${part}" phải có dạng department=76680`);
    pools[level] = n;
  }
  return pools;
}

async function allocate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      baseline: { type: 'string' }, pool: { type: 'string' }, 'goal-rate': { type: 'string' },
      window: { type: 'string', default: '2022-05:2022-12' }, out: { type: 'string' },
    },
  });
  if (!values.baseline || !values.out) throw new Error('cần --baseline FILE và --out FILE');
  const [from, to] = values.window!.split(':');
  if (!isPeriod(from) || !isPeriod(to) || from > to) throw new Error('--window phải có dạng YYYY-MM:YYYY-MM');
  const { rows, errors } = readBaselineCsv(await readFile(values.baseline, 'utf8'));
  if (errors.length) {
    for (const e of errors) process.stderr.write(`Lỗi ${e.code}: ${e.message}\n`);
    return 1;
  }
  let pools: Partial<Record<Level, number>>;
  if (values.pool) pools = parsePools(values.pool);
  else if (values['goal-rate']) {
    const goal = Number(values['goal-rate']);
    if (!(goal > 0 && goal <= 1)) throw new Error('--goal-rate là tỷ lệ trong (0, 1], ví dụ 0.6');
    pools = Object.fromEntries(LEVELS.map((l) => [l, poolForGoal(rows.filter((r) => r.level === l), goal)]));
  } else throw new Error('cần --pool hoặc --goal-rate');

  const allocations = allocateTargets(rows, pools);
  await writeFile(values.out, targetsCsv(allocations, { from, to }));
  const out: string[] = [];
  for (const level of LEVELS) {
    const mine = allocations.filter((a) => a.level === level);
    if (!mine.length) continue;
    out.push(`${LEVEL_NAMES[level]}: hồ sơ trực tuyến cần giao thêm ${Math.round(pools[level] ?? 0).toLocaleString('vi-VN')}`);
    out.push('  Mã     Tỷ trọng %  Giao thêm  Chỉ tiêu %');
    for (const a of mine) {
      out.push(`  ${a.code.padEnd(6)} ${(a.weightPct?.toFixed(2) ?? '—').padStart(10)} ${String(a.extraOnline ?? '—').padStart(10)} ${String(a.targetPct ?? 'không giao').padStart(11)}`);
    }
  }
  out.push(`Đã ghi ${values.out} (${allocations.filter((a) => a.targetPct !== null).length} chỉ tiêu, kỳ ${from} đến ${to})`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

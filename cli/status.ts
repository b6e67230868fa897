// tthc status --period YYYY-MM [--json]: every registry unit's submission status.
import { periodsFromEnv, planFromEnv } from '../functions/commons/deps.ts';
import { startLocalPipeline } from '../infra/local/runner.ts';
import { periodLabel } from '../shared/period.ts';
import { periodStatus, type SubmissionStatus } from '../shared/status.ts';
import { levelsOf } from '../shared/units/unit.ts';
import { parseCommand, periodArg } from './args.ts';
import { HELP } from './help.ts';

const STATUS_NAMES: Record<SubmissionStatus, string> = {
  on_time: 'đúng hạn', late: 'muộn', missing: 'chưa báo cáo', rejected_only: 'chỉ có tệp bị từ chối',
};

export async function statusCommand(args: string[]): Promise<number> {
  const parsed = parseCommand({ name: 'tthc status', help: HELP.status, options: { period: { type: 'string' }, json: { type: 'boolean', default: false } } }, args);
  if (!parsed) return 0;
  const { values } = parsed;
  const period = periodArg(values.period);
  const pipeline = await startLocalPipeline();
  try {
    const registry = (await planFromEnv()).registryFor(period);
    const statuses = periodStatus(registry.units, period, await pipeline.store.listPeriod(period), periodsFromEnv());
    if (values.json) {
      for (const s of statuses) process.stdout.write(`${JSON.stringify(s)}\n`);
      return 0;
    }
    const out = [`Tình hình báo cáo kỳ ${periodLabel(period)}`];
    // The levels in force for the period: no district line since 2025-07.
    for (const { level, name } of levelsOf(registry.units)) {
      const mine = statuses.filter((s) => registry.get(s.unit)?.level === level);
      const tally = (Object.keys(STATUS_NAMES) as SubmissionStatus[])
        .map((k) => `${STATUS_NAMES[k]} ${mine.filter((s) => s.status === k).length}`).join(', ');
      out.push(`  ${name} (${mine.length}): ${tally}`);
      for (const s of mine.filter((x) => x.status !== 'on_time')) {
        out.push(`    - ${registry.get(s.unit)!.name} (${s.unit}): ${STATUS_NAMES[s.status]}`);
      }
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await pipeline.stack.stop();
  }
}

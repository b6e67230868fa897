// tthc registry load|show and tthc targets load|show. The administrator's files go where they
// go in AWS (config/registry/, config/targets/ in the bucket), and the ingest Lambda loads
// them; load waits for its verdict. --dry-run reads and checks the file against what is in
// force and says what would change, storing nothing. show: what is in force for a period.
import { basename } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../functions/commons/clients.ts';
import { ingestDepsFromEnv, planFromEnv } from '../functions/commons/deps.ts';
import { startLocalPipeline } from '../infra/local/runner.ts';
import { configKey, configResultKey } from '../shared/bucket-layout.ts';
import { changesSummary, planChanges, registryChanges, targetChanges, targetText, type ConfigChange } from '../shared/config/config-changes.ts';
import type { ConfigKind } from '../shared/config/config-files.ts';
import { checkConfigFile, type ConfigLoadResult } from '../shared/config/load-config.ts';
import { PLAN_128_REGISTRY, type PlanConfig, type RegistryRow } from '../shared/config/plan-config.ts';
import { periodLabel, periodSpan } from '../shared/period.ts';
import { describeLocation } from '../shared/report-file/file-issue.ts';
import { targetFor } from '../shared/report/targets.ts';
import { PLAN_128_TARGETS } from '../shared/units/plan-128-2022.ts';
import { levelsOf, LEVELS } from '../shared/units/unit.ts';
import { ArgError, parseCommand, periodArg } from './args.ts';
import { HELP } from './help.ts';
import { fileNotFound, readInput } from './output.ts';

const STATUS_TEXT = {
  loaded: 'đã nạp', unchanged: 'không thay đổi (đã nạp trước đó)', rejected: 'bị từ chối, không thay đổi gì',
  would_load: 'sẽ nạp', would_change_nothing: 'nạp cũng không thay đổi gì',
} as const;

/** `tthc <kind> load --dry-run --json`: a load result that stored nothing, and what it would change. */
export interface DryRunResult extends Omit<ConfigLoadResult, 'status'> {
  status: 'would_load' | 'would_change_nothing' | 'rejected';
  dry_run: true;
  changes: ConfigChange[];
}

export function configCommand(kind: ConfigKind) {
  return async (args: string[]): Promise<number> => {
    const [sub, ...rest] = args;
    if (sub === 'load') return load(kind, rest);
    if (sub === 'show') return kind === 'registry' ? showRegistry(rest) : kind === 'plan' ? showPlan(rest) : showTargets(rest);
    if (sub === '--help' || sub === '-h') {
      process.stdout.write(HELP[kind]);
      return 0;
    }
    throw new ArgError(sub === undefined ? `thiếu lệnh: tthc ${kind} load FILE hoặc tthc ${kind} show --period YYYY-MM`
      : `"${sub}": không có lệnh tthc ${kind} ${sub} (có: load, show${kind === 'targets' ? ', allocate' : ''})`);
  };
}

async function load(kind: ConfigKind, args: string[]): Promise<number> {
  const parsed = parseCommand({
    name: `tthc ${kind} load`, help: HELP[kind], positionals: { name: 'FILE', min: 1, max: 1 },
    options: { json: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false } },
  }, args);
  if (!parsed) return 0;
  const { values, positionals: [file] } = parsed;
  const bytes = await readInput(file);
  const key = configKey(kind, basename(file));
  if (!bytes) {
    const error = fileNotFound(file);
    // The shape of every load result (file: the key it would have had in the bucket).
    if (values.json) process.stdout.write(`${JSON.stringify({ file: key, kind, status: 'rejected', rows: 0, changed: 0, errors: [error], warnings: [] })}\n`);
    else process.stdout.write(`✘ ${file}: ${error.message}\n`);
    return 1;
  }
  const pipeline = await startLocalPipeline();
  try {
    let result: ConfigLoadResult | DryRunResult;
    if (values['dry-run']) {
      const check = await checkConfigFile((await ingestDepsFromEnv()).config, kind, bytes, basename(file));
      const changes = check.errors.length ? []
        : check.kind === 'registry' ? registryChanges(check)
        : check.kind === 'plan' ? planChanges(check.rows, check.before) : targetChanges(check.rows, check.before.targets);
      result = {
        // Said as the load would say it: it stores rows new or changed (a row the built-in plan already
        // has is stored, and its warning says it changes nothing anyone sees).
        file: key, kind, status: check.errors.length ? 'rejected' : check.changed ? 'would_load' : 'would_change_nothing', dry_run: true,
        // As the load counts: rows new or different from the stored row of their key (not the changes listed).
        rows: check.read, changed: check.errors.length ? 0 : check.changed,
        errors: check.errors, warnings: check.warnings, changes,
      };
    } else {
      await s3Client().send(new PutObjectCommand({ Bucket: pipeline.stack.bucket, Key: key, Body: bytes }));
      await pipeline.stack.idle();
      result = JSON.parse((await pipeline.objects.get(configResultKey(key))).bytes.toString('utf8')) as ConfigLoadResult;
    }
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`${describeLoad(basename(file), result).join('\n')}\n`);
    return result.status === 'rejected' ? 1 : 0;
  } finally {
    await pipeline.stack.stop();
  }
}

function describeLoad(file: string, result: ConfigLoadResult | DryRunResult): string[] {
  const dry = 'dry_run' in result;
  const lines = [`${result.status === 'rejected' ? '✘' : '✔'} ${file}: ${result.rows} dòng, ${dry ? 'thử nạp (không lưu gì), ' : ''}${STATUS_TEXT[result.status]}${
    result.changed ? ` (${result.changed} dòng mới hoặc thay đổi)` : ''}`];
  if (dry && result.changes.length) lines.push(`  Tóm tắt: ${changesSummary(result.changes)}`);
  if (dry) for (const c of result.changes) lines.push(`    ${c.message}`);
  for (const e of result.errors) lines.push(`    Lỗi${describeLocation(e) ? ` (${describeLocation(e)})` : ''}: ${e.message} (mã lỗi: ${e.code})`);
  for (const w of result.warnings ?? []) lines.push(`    Lưu ý: ${w.message} (mã lưu ý: ${w.code})`);
  return lines;
}

const SHOW_OPTIONS = { period: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

/** The units in force, level by level in the plan's order. */
function unitsInForce(plan: PlanConfig, period: string): RegistryRow[] {
  const rows = plan.rowsFor(period);
  return LEVELS.flatMap((level) => rows.filter((r) => r.level === level));
}

async function showRegistry(args: string[]): Promise<number> {
  const parsed = parseCommand({ name: 'tthc registry show', help: HELP.registry, options: SHOW_OPTIONS }, args);
  if (!parsed) return 0;
  const period = periodArg(parsed.values.period);
  const pipeline = await startLocalPipeline();
  try {
    const rows = unitsInForce(await planFromEnv(), period);
    if (parsed.values.json) {
      const units = rows.map((r) => ({
        code: r.code, level: r.level, name: r.name, parent: r.parentCode, contact_email: r.contactEmail,
        valid_from: r.validFrom, valid_to: r.validTo, merged_into: r.mergedInto,
      }));
      process.stdout.write(`${JSON.stringify({ period, units })}\n`);
      return 0;
    }
    const out = [`Danh mục đơn vị kỳ ${periodLabel(period)}: ${rows.length} đơn vị`];
    // The levels in force, named from their units ("Xã, phường, đặc khu" since 2025-07).
    for (const { level, name } of levelsOf(rows)) {
      const mine = rows.filter((r) => r.level === level);
      out.push('', `${name} (${mine.length}):`);
      for (const r of mine) {
        const notes = [
          PLAN_128_REGISTRY.includes(r) ? 'có sẵn' : `từ ${periodLabel(r.validFrom)}`,
          r.parentCode && `thuộc ${r.parentCode}`,
          r.validTo && `đến ${periodLabel(r.validTo)}${r.mergedInto ? `, rồi sáp nhập vào ${r.mergedInto}` : ''}`,
          r.contactEmail,
        ].filter(Boolean);
        out.push(`  ${r.code.padEnd(6)} ${r.name} (${notes.join('; ')})`);
      }
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await pipeline.stack.stop();
  }
}

async function showTargets(args: string[]): Promise<number> {
  const parsed = parseCommand({ name: 'tthc targets show', help: HELP.targets, options: SHOW_OPTIONS }, args);
  if (!parsed) return 0;
  const period = periodArg(parsed.values.period);
  const pipeline = await startLocalPipeline();
  try {
    const plan = await planFromEnv();
    const units = unitsInForce(plan, period);
    const rows = units.flatMap((u) => {
      const t = targetFor(plan.targets, u.code, period);
      return t ? [{ level: u.level, name: u.name, t, builtin: PLAN_128_TARGETS.includes(t) }] : [];
    });
    const targets = rows.map(({ t, builtin }) => ({
      unit: t.unit, window_from: t.windowFrom, window_to: t.windowTo, target_pct: t.targetPct,
      source: builtin ? 'builtin' as const : 'loaded' as const,
    }));
    if (parsed.values.json) {
      process.stdout.write(`${JSON.stringify({ period, targets })}\n`);
      return 0;
    }
    const out = [`Chỉ tiêu hồ sơ trực tuyến kỳ ${periodLabel(period)}: ${rows.length} đơn vị`];
    const names = new Map(levelsOf(units).map((l) => [l.level, l.name]));
    for (const level of LEVELS) {
      const mine = rows.filter((r) => r.level === level);
      if (!mine.length) continue;
      out.push('', `${names.get(level)} (${mine.length}):`);
      for (const { name, t, builtin } of mine) {
        out.push(`  ${t.unit.padEnd(6)} ${name}: ${targetText(t.targetPct)} (kỳ ${periodSpan(t.windowFrom, t.windowTo)}, ${builtin ? 'có sẵn' : 'đã nạp'})`);
      }
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await pipeline.stack.stop();
  }
}

/** `tthc plan show --period P [--json]`: the plan in force, and where it comes from. */
async function showPlan(args: string[]): Promise<number> {
  const parsed = parseCommand({ name: 'tthc plan show', help: HELP.plan, options: SHOW_OPTIONS }, args);
  if (!parsed) return 0;
  const period = periodArg(parsed.values.period);
  const pipeline = await startLocalPipeline();
  try {
    const config = await planFromEnv();
    const p = config.planFor(period);
    const source = p.builtin ? 'builtin' as const : config.plans.includes(p) ? 'loaded' as const : 'targets' as const;
    const pct = (rate: number) => Math.round(rate * 1000) / 10;
    if (parsed.values.json) {
      process.stdout.write(`${JSON.stringify({
        period,
        plan: {
          id: p.id, citation: p.citation, valid_from: p.validFrom, valid_to: p.validTo, floor_pct: pct(p.floor), services_goal_pct: pct(p.servicesGoal),
          window_from: p.window?.from ?? null, window_to: p.window?.to ?? null, collector: p.collector, source,
          pilot: p.pilot.map((x) => ({ level: x.level, unit_name: x.unitName, field: x.field, procedure: x.procedureName })),
        },
      })}\n`);
      return 0;
    }
    const from = { builtin: 'có sẵn', loaded: `đã nạp, từ ${periodLabel(p.validFrom)}`, targets: 'theo cột plan của tệp chỉ tiêu' }[source];
    process.stdout.write(`${[
      `Kế hoạch áp dụng kỳ ${periodLabel(period)}: ${p.citation} (${from})`,
      `  Mức tối thiểu tỷ lệ hồ sơ trực tuyến: ${targetText(pct(p.floor))}; mục tiêu dịch vụ có hồ sơ trực tuyến: ${targetText(pct(p.servicesGoal))}`,
      `  Kỳ chỉ tiêu: ${p.window ? periodSpan(p.window.from, p.window.to) : '(không ghi)'}`,
      `  Đơn vị tổng hợp báo cáo: ${p.collector ?? '(không ghi)'}`,
      `  Thủ tục thí điểm chỉ tiếp nhận trực tuyến: ${p.pilot.length}${p.pilotAbsent ? ` (${p.pilotAbsent})` : ''}`,
      // Past 2022 the built-in plan is only what nobody replaced: its targets were for 2022.
      ...(p.builtin && p.window && period > p.window.to
        ? [`  Chưa nạp kế hoạch nào cho kỳ này: ${p.citationShort} có sẵn là kế hoạch năm ${p.window.to.slice(0, 4)}; nạp kế hoạch của năm bằng tthc plan load.`] : []),
    ].join('\n')}\n`);
    return 0;
  } finally {
    await pipeline.stack.stop();
  }
}

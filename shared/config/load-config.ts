// Loading a registry or targets file (tthc registry load / targets load locally; in AWS an
// upload to config/registry/ or config/targets/, routed by the ingest function). The
// result goes to results/config/<kind>/<file>.json; a rejected file changes nothing.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { ObjectStore } from '../ports.ts';
import { fileIssue, type FileIssue } from '../report-file/file-issue.ts';
import { MAX_SUBMISSION_BYTES, rejectTooLarge } from '../report-file/read-report.ts';
import { MAX_CELL_ERRORS, unlistedIssue } from '../report-file/table.ts';
import type { ConfigStore } from '../store/config-store.ts';
import { checkRegistryAgainst, mismatchedWindows, readRegistryFile, readTargetsFile, registryWarnings, targetsAfterLoad, targetWarnings, type ConfigKind } from './config-files.ts';
import { PLAN_128_REGISTRY, PlanConfig, type RegistryRow } from './plan-config.ts';
import { PLAN_128, planFor, planOf, type PlanFields } from './plan.ts';
import { addMonths, periodLabel, periodRange, periodSpan } from '../period.ts';
import { readPlanFile } from './plan-file.ts';
import { PLAN_128_TARGETS } from '../units/plan-128-2022.ts';
import type { Target } from '../units/target.ts';

export { CONFIG_PREFIX, configKindOf, configResultKey } from '../bucket-layout.ts';
import { configKindOf, configResultKey } from '../bucket-layout.ts';

/** A configuration key's file name: config/targets/chi-tieu-2026.csv → chi-tieu-2026.csv. */
const basename = (key: string) => posix.basename(key);

export interface ConfigLoadResult {
  file: string;
  kind: ConfigKind;
  status: 'loaded' | 'unchanged' | 'rejected';
  rows: number;
  changed: number;
  errors: FileIssue[];
  /** Accepted, but worth knowing: rows another source takes precedence over, rows that change nothing. */
  warnings: FileIssue[];
}

/** The configuration in force: the built-in 2022 plan overlaid with every loaded file. */
export async function loadPlanConfig(store: ConfigStore): Promise<PlanConfig> {
  const [rows, targets, plans] = await Promise.all([store.registryRows(), store.targets(), store.plans()]);
  return PlanConfig.withLoaded(rows, targets, plans.map(planOf));
}

/** A file read and checked against the configuration in force, nothing stored; before and after: the configuration without and with it. */
export type ConfigCheck = (
  | { kind: 'registry'; rows: RegistryRow[] }
  | { kind: 'targets'; rows: Target[] }
  | { kind: 'plan'; rows: PlanFields[] }
) & {
  errors: FileIssue[]; warnings: FileIssue[]; before: PlanConfig; after: PlanConfig;
  /** Rows a load would store: new, or different from the stored row of their key (as the stores count `changed`). */
  changed: number;
  /** The file's data rows, read or refused. */
  read: number;
};

/** How many of `rows` differ from the stored row of their key, as ConfigStore's puts compare them. */
function changedCount<T>(rows: readonly T[], stored: readonly T[], key: (row: T) => string): number {
  const current = new Map(stored.map((r) => [key(r), JSON.stringify(r)]));
  return rows.filter((r) => current.get(key(r)) !== JSON.stringify(r)).length;
}

/** The first MAX_CELL_ERRORS errors, then how many more, as a report file's: 50,000 bad rows are not 50,000 messages. */
function listed(errors: FileIssue[]): FileIssue[] {
  if (errors.length <= MAX_CELL_ERRORS) return errors;
  return [...errors.slice(0, MAX_CELL_ERRORS), unlistedIssue(`${(errors.length - MAX_CELL_ERRORS).toLocaleString('vi-VN')} lỗi khác`, errors[0].sheet)];
}

/** file: the file's name (as in config/<kind>/): loaded targets keep it, and the report names it as their source. */
export async function checkConfigFile(store: ConfigStore, kind: ConfigKind, bytes: Buffer, file?: string): Promise<ConfigCheck> {
  const checked = await checkConfigRows(store, kind, bytes, file);
  return { ...checked, errors: listed(checked.errors) };
}

async function checkConfigRows(store: ConfigStore, kind: ConfigKind, bytes: Buffer, file?: string): Promise<ConfigCheck> {
  const [storedRows, storedTargets, storedPlans] = await Promise.all([store.registryRows(), store.targets(), store.plans()]);
  const before = PlanConfig.withLoaded(storedRows, storedTargets, storedPlans.map(planOf));
  try {
    if (kind === 'plan') {
      // A plan replaces the stored one with the same valid_from.
      const read = await readPlanFile(bytes);
      const replaced = new Set(read.rows.map((p) => p.validFrom));
      const after = new PlanConfig(before.rows, before.targets, [...before.plans.filter((p) => !replaced.has(p.validFrom)), ...read.rows.map(planOf)]);
      return { kind, rows: read.rows, errors: read.errors, warnings: [], before, after, changed: changedCount(read.rows, storedPlans, (p) => p.validFrom), read: read.read };
    }
    if (kind === 'registry') {
      const read = await readRegistryFile(bytes);
      const after = PlanConfig.withLoaded([...storedRows, ...read.rows], storedTargets);
      // The checks against the registry run on the rows read cleanly even when others are not:
      // an administrator learns every mistake of the file at once, not one kind per attempt.
      const flawed = new Set(read.errors.map((e) => e.row));
      const clean = read.rows.flatMap((r, i) => (flawed.has(read.lines[i]) ? [] : [{ r, line: read.lines[i] }]));
      const errors = [...read.errors, ...checkRegistryAgainst(clean.map((x) => x.r), after, clean.map((x) => x.line), read.where)];
      const warnings = errors.length ? [] : registryWarnings(read.rows, read.lines, before, after, PLAN_128_REGISTRY);
      return { kind, rows: read.rows, errors, warnings, before, after, changed: changedCount(read.rows, storedRows, (r) => `${r.code}#${r.validFrom}`), read: read.read };
    }
    const read = await readTargetsFile(bytes, before);
    if (file) read.rows = read.rows.map((t) => ({ ...t, file }));
    const targets = targetsAfterLoad(PLAN_128_TARGETS, storedTargets, read.rows);
    const after = new PlanConfig(before.rows, targets, before.plans);
    const errors = read.errors.length ? read.errors : mismatchedWindows(read.rows, read.lines, targets);
    const warnings = errors.length ? [] : [...targetWarnings(read.rows, read.lines, before.targets, targets, PLAN_128_TARGETS, before), ...builtinPlanCited(read.rows, read.lines, after)];
    return { kind, rows: read.rows, errors, warnings, before, after, changed: changedCount(read.rows, storedTargets, (t) => `${t.unit}#${t.windowFrom}`), read: read.read };
  } catch (e) {
    // Reading is pure: whatever it throws is this file's fault (or a bug it hit), not the
    // infrastructure's; retrying would fail the same way and end in the dead-letter queue.
    const errors = [fileIssue('unreadable_file', `Không đọc được tệp: ${(e as Error).message}. Kiểm tra lại tệp (CSV UTF-8 hoặc .xlsx, các cột theo mẫu) rồi nạp lại.`)];
    return { kind, rows: [], errors, warnings: [], before, after: before, changed: 0, read: 0 } as ConfigCheck;
  }
}

/**
 * Targets for periods past the built-in plan's own (2022) that no loaded plan and no `plan` column
 * covers: their reports would cite Kế hoạch 128/KH-UBND of 2022 and hold the city to its floor.
 * One warning per window, saying what to load.
 */
export function builtinPlanCited(rows: readonly Target[], lines: readonly number[], after: PlanConfig): FileIssue[] {
  const end = PLAN_128.window!.to;
  const windows = new Map<string, { from: string; to: string; line: number; periods: string[] }>();
  rows.forEach((t, i) => {
    const key = `${t.windowFrom}..${t.windowTo}`;
    if (windows.has(key)) return;
    const periods = periodRange(t.windowFrom > end ? t.windowFrom : addMonths(end, 1), t.windowTo)
      .filter((p) => planFor(p, after.plans, after.targets).builtin);
    windows.set(key, { from: t.windowFrom, to: t.windowTo, line: lines[i], periods });
  });
  return [...windows.values()].filter((w) => w.periods.length).map((w) => fileIssue('builtin_plan_cited',
    `Dòng ${w.line}: chưa nạp kế hoạch nào cho kỳ ${periodLabel(w.periods[0])}${w.periods.length > 1 ? `–${periodLabel(w.periods.at(-1)!)}` : ''} (chỉ tiêu kỳ ${periodSpan(w.from, w.to)}): `
    + `báo cáo các kỳ đó sẽ trích dẫn ${PLAN_128.citation} (chỉ tiêu năm 2022) và mức tối thiểu ${Math.round(PLAN_128.floor * 100)}% của kế hoạch đó. `
    + 'Nạp kế hoạch của năm bằng tthc plan load (cột citation, valid_from, floor_pct), hoặc ghi trích dẫn kế hoạch vào cột plan của tệp chỉ tiêu.',
  { sheet: null, row: w.line }));
}

/**
 * Loads one configuration file, or refuses it whole. Never throws because of the file: every
 * refusal is written to results/config/<kind>/<file>.json with its reasons. size: the object's size
 * from the event, so an oversized file is refused without downloading it.
 */
export async function loadConfigFile(deps: { objects: ObjectStore; config: ConfigStore }, key: string, versionId?: string | null, size?: number): Promise<ConfigLoadResult> {
  const kind = configKindOf(key);
  if (!kind) throw new Error(`not a configuration key (config/registry/…, config/targets/… or config/plan/…): ${key}`);
  let result: ConfigLoadResult;
  if (size !== undefined && size > MAX_SUBMISSION_BYTES) {
    result = { file: key, kind, status: 'rejected', rows: 0, changed: 0, errors: rejectTooLarge(size).errors, warnings: [] };
  } else {
    // Only the key's newest version loads. S3 keeps no order between its events, and may send
    // one again: an older version loaded last would bring its file back over the newer one.
    // Its result file is the newer version's to write.
    if (versionId && versionId !== 'null') {
      const newest = await deps.objects.get(key);
      if (newest.versionId && newest.versionId !== versionId) {
        return { file: key, kind, status: 'unchanged', rows: 0, changed: 0, errors: [], warnings: [
          fileIssue('superseded_version', `Phiên bản ${versionId} của tệp đã có bản mới hơn (${newest.versionId}): không nạp bản cũ.`)] };
      }
    }
    const { bytes } = await deps.objects.get(key, versionId);
    // The same object (retried) is the same load; another upload of the file is another.
    const loadId = createHash('sha256').update(`${key}\n${versionId ?? ''}\n`).update(bytes).digest('hex').slice(0, 16);
    const checked = await checkConfigFile(deps.config, kind, bytes, basename(key));
    const stored = checked.errors.length ? null
      : checked.kind === 'registry' ? await deps.config.putRegistryRows(checked.rows, loadId)
      : checked.kind === 'plan' ? await deps.config.putPlans(checked.rows, loadId) : await deps.config.putTargets(checked.rows, loadId);
    result = { file: key, kind, status: stored ? (stored.changed ? 'loaded' : 'unchanged') : 'rejected', rows: checked.read, changed: stored?.changed ?? 0, errors: checked.errors, warnings: checked.warnings };
  }
  await deps.objects.put(configResultKey(key), `${JSON.stringify(result, null, 2)}\n`, 'application/json; charset=utf-8');
  return result;
}

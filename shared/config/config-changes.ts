// What a registry or targets file would change, said so an administrator can check it before
// loading (`--dry-run`): "X001 → X002 từ 07/2025", new units, new names, new targets.
import { addMonths, periodLabel, periodSpan } from '../period.ts';
import type { Target } from '../units/target.ts';
import { LEVEL_NAMES, levelsOf } from '../units/unit.ts';
import { reopenedFrom } from './config-files.ts';
import type { PlanConfig, RegistryRow } from './plan-config.ts';
import { planOf, type PlanFields } from './plan.ts';

export interface ConfigChange {
  code: 'new_unit' | 'merged' | 'closed' | 'reopened' | 'renamed' | 'unit_changed' | 'new_target' | 'changed_target' | 'new_plan' | 'changed_plan';
  /** The unit; for a plan, the plan's number ("15/KH-UBND"). */
  unit: string;
  /** The first period the change applies to. */
  from: string;
  message: string;
}

/** Plans against the ones loaded before: a plan from a new period, or a different plan for one. */
export function planChanges(plans: readonly PlanFields[], before: PlanConfig): ConfigChange[] {
  return plans.flatMap((p): ConfigChange[] => {
    const plan = planOf(p);
    const was = before.plans.find((x) => x.validFrom === p.validFrom);
    const same = was && JSON.stringify(planOf({ ...was })) === JSON.stringify(plan);
    if (same) return [];
    // Both sides in full: the same citation with another floor must show which number changed.
    const what = (x: { citation: string; floor: number; pilot: readonly unknown[] }) => `${x.citation}: mức tối thiểu ${targetText(Math.round(x.floor * 1000) / 10)}, ${x.pilot.length} thủ tục thí điểm`;
    return [{
      code: was ? 'changed_plan' : 'new_plan', unit: plan.id, from: p.validFrom,
      message: was ? `Từ ${periodLabel(p.validFrom)}: ${what(was)} → ${what(p)}` : `Kế hoạch áp dụng từ ${periodLabel(p.validFrom)}: ${what(p)}`,
    }];
  });
}

/** A percentage as written in Vietnamese (99,7%), or "không giao". */
export function targetText(pct: number | null): string {
  return pct === null ? 'không giao' : `${String(pct).replace('.', ',')}%`;
}

const show = (v: string | null) => (v === null ? '(trống)' : v);

/** How a dry run sums its changes up, kind by kind ("128 đơn vị mới, 252 ngừng báo cáo"). */
const CHANGE_KINDS: Record<ConfigChange['code'], string> = {
  new_unit: 'đơn vị mới', merged: 'sáp nhập', closed: 'ngừng báo cáo', reopened: 'hoạt động trở lại', renamed: 'đổi tên', unit_changed: 'đổi thông tin',
  new_target: 'chỉ tiêu mới', changed_target: 'chỉ tiêu thay đổi', new_plan: 'kế hoạch mới', changed_plan: 'kế hoạch thay đổi',
};

export function changesSummary(changes: readonly ConfigChange[]): string {
  const counts = new Map<ConfigChange['code'], number>();
  for (const c of changes) counts.set(c.code, (counts.get(c.code) ?? 0) + 1);
  return [...counts].map(([code, n]) => `${n.toLocaleString('vi-VN')} ${CHANGE_KINDS[code]}`).join(', ');
}

/**
 * Registry rows against the configuration before them, and after them (as checkConfigFile gives
 * both); rows that change nothing say nothing.
 */
export function registryChanges({ rows, before, after }: { rows: readonly RegistryRow[]; before: PlanConfig; after: PlanConfig }): ConfigChange[] {
  const changes: ConfigChange[] = [];
  // A new unit's level named as the registry after the file names it ("Xã, phường, đặc khu").
  const levels = new Map<string, ReturnType<typeof levelsOf>>();
  const levelName = (r: RegistryRow) => {
    if (!levels.has(r.validFrom)) levels.set(r.validFrom, levelsOf(after.unitsFor(r.validFrom)));
    return levels.get(r.validFrom)!.find((l) => l.level === r.level)?.name ?? LEVEL_NAMES[r.level];
  };
  const ordered = [...rows].sort((a, b) => (a.validFrom === b.validFrom ? (a.code < b.code ? -1 : 1) : a.validFrom < b.validFrom ? -1 : 1));
  for (const r of ordered) {
    const from = periodLabel(r.validFrom);
    const prev = before.rowInForce(r.code, r.validFrom);
    const add = (code: ConfigChange['code'], at: string, message: string) => changes.push({ code, unit: r.code, from: at, message });
    if (!prev) add('new_unit', r.validFrom, `Đơn vị mới từ ${from}: ${r.code} ${r.name} (${levelName(r)}${r.parentCode ? `, thuộc ${r.parentCode}` : ''})`);
    else {
      if (prev.name !== r.name) add('renamed', r.validFrom, `${r.code}: đổi tên "${prev.name}" → "${r.name}" từ ${from}`);
      const fields: string[] = [];
      if (prev.level !== r.level) fields.push(`cấp ${LEVEL_NAMES[prev.level]} → ${LEVEL_NAMES[r.level]}`);
      if (prev.parentCode !== r.parentCode) fields.push(`đơn vị cấp trên ${show(prev.parentCode)} → ${show(r.parentCode)}`);
      if (prev.contactEmail !== r.contactEmail) fields.push(`thư liên hệ ${show(prev.contactEmail)} → ${show(r.contactEmail)}`);
      if (fields.length) add('unit_changed', r.validFrom, `${r.code}: ${fields.join('; ')} từ ${from}`);
    }
    // A row that takes back (or moves later) an end loaded before: the unit reports again, and is reminded.
    const back = reopenedFrom(r, before, after);
    if (back && prev?.validTo) {
      add('reopened', back, `${r.code} ${r.name} hoạt động trở lại từ ${periodLabel(back)}: tệp ${r.validTo ? `dời kỳ cuối đến ${periodLabel(r.validTo)}` : 'bỏ kỳ cuối'} (đã nạp: kỳ cuối ${periodLabel(prev.validTo)}${prev.mergedInto ? `, sáp nhập vào ${prev.mergedInto}` : ''})`);
      // An end where another row of the code begins is a rename or a change of fields (said above), not an end.
    } else if (r.validTo && (prev?.validTo !== r.validTo || prev?.mergedInto !== r.mergedInto) && !after.rowInForce(r.code, addMonths(r.validTo, 1))) {
      const next = addMonths(r.validTo, 1);
      if (r.mergedInto) add('merged', next, `${r.code} ${r.name} → ${r.mergedInto} từ ${periodLabel(next)} (${r.code} sáp nhập vào ${r.mergedInto}; kỳ cuối của ${r.code}: ${periodLabel(r.validTo)})`);
      else add('closed', next, `${r.code} ${r.name} ngừng báo cáo từ ${periodLabel(next)} (kỳ cuối: ${periodLabel(r.validTo)})`);
    }
  }
  // In the order they happen, then by code.
  return changes.sort((a, b) => (a.from === b.from ? (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0) : a.from < b.from ? -1 : 1));
}

/** Targets against those in force before them (a loaded one replaces its unit and window_from's). */
export function targetChanges(rows: readonly Target[], before: readonly Target[]): ConfigChange[] {
  const changes: ConfigChange[] = [];
  const current = new Map(before.map((t) => [`${t.unit}#${t.windowFrom}`, t]));
  for (const r of rows) {
    const window = periodSpan(r.windowFrom, r.windowTo);
    const prev = current.get(`${r.unit}#${r.windowFrom}`);
    if (!prev) {
      changes.push({ code: 'new_target', unit: r.unit, from: r.windowFrom, message: `${r.unit} kỳ ${window}: chỉ tiêu mới ${targetText(r.targetPct)}` });
    } else if (prev.targetPct !== r.targetPct || prev.windowTo !== r.windowTo) {
      const was = prev.windowTo === r.windowTo ? '' : ` (kỳ cũ đến ${periodLabel(prev.windowTo)})`;
      changes.push({ code: 'changed_target', unit: r.unit, from: r.windowFrom, message: `${r.unit} kỳ ${window}: chỉ tiêu ${targetText(prev.targetPct)} → ${targetText(r.targetPct)}${was}` });
    }
  }
  return changes;
}

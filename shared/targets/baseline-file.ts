// Reads a baseline file (the columns of Phụ lục 2: at least code, level, projected_total,
// projected_online, not_online) and writes the targets file the allocation produces.
import { parseCsvObjects } from '../csv.ts';
import { capText, fileIssue, type FileIssue } from '../report-file/file-issue.ts';
import { isLevel, isUnitCode, MAX_UNIT_CODE } from '../units/unit.ts';
import type { Allocation, BaselineRow } from './allocate.ts';

const REQUIRED = ['code', 'level', 'projected_total', 'projected_online', 'not_online'];

export function readBaselineCsv(text: string): { rows: BaselineRow[]; errors: FileIssue[] } {
  const records = parseCsvObjects(text);
  const errors: FileIssue[] = [];
  const header = Object.keys(records[0] ?? {});
  for (const column of REQUIRED) {
    if (!header.includes(column)) errors.push(fileIssue('missing_column', `Thiếu cột "${column}".`, { sheet: null, row: 1 }));
  }
  if (errors.length) return { rows: [], errors };
  const rows: BaselineRow[] = [];
  records.forEach((r, i) => {
    const row = i + 2;
    const num = (key: string): number | null | undefined => {
      const v = r[key].replace(/[\s.,](?=\d{3}\b)/g, '');
      if (v === '' || v === '-') return null;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) {
        errors.push(fileIssue('invalid_number', `Dòng ${row}: "${key}" = "${r[key]}" không phải số hợp lệ.`, { sheet: null, row }));
        return undefined;
      }
      return n;
    };
    // The registry's rule: a code is also a line of the targets file written from it.
    const code = r.code.toUpperCase();
    if (!isUnitCode(code)) {
      errors.push(fileIssue('invalid_code', `Dòng ${row}: mã đơn vị "${capText(r.code)}" chỉ gồm chữ in không dấu, số, "-", "_" hoặc ".", tối đa ${MAX_UNIT_CODE} ký tự.`, { sheet: null, row }));
      return;
    }
    if (!isLevel(r.level)) {
      errors.push(fileIssue('invalid_level', `Dòng ${row}: cấp "${r.level}" phải là department, district hoặc commune.`, { sheet: null, row }));
      return;
    }
    const total = num('projected_total');
    const online = num('projected_online');
    const notOnline = num('not_online');
    if (total === undefined || online === undefined || notOnline === undefined) return;
    rows.push({ code, level: r.level, projectedTotal: total ?? 0, projectedOnline: online, notOnline });
  });
  return { rows, errors };
}

/** The targets file: what `tthc targets load` accepts. */
export function targetsCsv(allocations: readonly Allocation[], window: { from: string; to: string }): string {
  const lines = ['unit,level,window_from,window_to,target_pct,extra_online,weight_pct'];
  for (const a of allocations) {
    lines.push([a.code, a.level, window.from, window.to, a.targetPct ?? '', a.extraOnline ?? '', a.weightPct ?? ''].join(','));
  }
  return `${lines.join('\n')}\n`;
}

// A plan file (tthc plan load, config/plan/ in the bucket): the plan the city works to from
// a period on. CSV or xlsx, one row per plan:
//   citation, valid_from, floor_pct   required: "Kế hoạch số 15/KH-UBND ngày 20/01/2026 …", 2026-01, 60
//   valid_to, services_goal_pct (80 when blank), window_from, window_to, collector   optional
// and its online-only pilot list as further rows with the same valid_from and
// pilot_level (department, district, commune), pilot_procedure, optionally pilot_field and
// pilot_unit; their other cells may stay blank. A plan loaded again with the same valid_from
// replaces the one stored, pilot list included. Validated whole, like the other files.
import { FIRST_YEAR, isPlanPeriod, LAST_YEAR, periodLabel } from '../period.ts';
import { fileIssue, type FileIssue } from '../report-file/file-issue.ts';
import type { OnlineOnlyProcedure } from '../units/plan-128-2022.ts';
import { isLevel } from '../units/unit.ts';
import { at, checkColumns, PLAIN_DECIMAL, readTable, type ReadRows } from './config-files.ts';
import type { PlanFields } from './plan.ts';

const PLAN_COLUMNS = ['citation', 'valid_from', 'floor_pct'];
const MAX_TEXT = 500;
/** A plan is stored as one item (DynamoDB's limit is 400 KB): a pilot list of a few thousand procedures fits. */
export const MAX_PLAN_BYTES = 300_000;

export async function readPlanFile(bytes: Buffer): Promise<ReadRows<PlanFields>> {
  const t = await readTable(bytes);
  if (!('header' in t)) return { rows: [], errors: [t], lines: [], read: 0 };
  const errors: FileIssue[] = [];
  if (!checkColumns(t, PLAN_COLUMNS, errors)) return { rows: [], errors, lines: [], read: 0 };
  const plans = new Map<string, { plan: PlanFields; line: number; pilot: OnlineOnlyProcedure[] }>();
  const pilots: Array<{ validFrom: string; line: number; p: OnlineOnlyProcedure }> = [];
  for (const { row, cells } of t.rows) {
    const bad = (column: string, code: string, message: string) => errors.push(fileIssue(code, `Dòng ${row}: ${message}`, at(t, row, column)));
    const text = (column: string) => (cells[column] ?? '').replace(/\s+/g, ' ').trim();
    const from = cells.valid_from;
    if (!isPlanPeriod(from)) {
      bad('valid_from', 'invalid_period', `valid_from "${from}" phải có dạng YYYY-MM, trong các năm ${FIRST_YEAR}–${LAST_YEAR}.`);
      continue;
    }
    const citation = text('citation');
    const procedure = text('pilot_procedure');
    if (!citation && !procedure) bad('citation', 'missing_citation', 'thiếu trích dẫn kế hoạch (citation), ví dụ "Kế hoạch số 15/KH-UBND ngày 20/01/2026 của UBND thành phố".');
    if (procedure) {
      const level = cells.pilot_level ?? '';
      if (!isLevel(level)) bad('pilot_level', 'invalid_level', `cấp của thủ tục thí điểm "${level}" phải là department, district hoặc commune.`);
      if (procedure.length > MAX_TEXT) bad('pilot_procedure', 'text_too_long', `tên thủ tục dài quá ${MAX_TEXT} ký tự.`);
      pilots.push({ validFrom: from, line: row, p: { level: level as OnlineOnlyProcedure['level'], unitName: text('pilot_unit'), field: text('pilot_field'), procedureName: procedure } });
    }
    if (!citation) continue;
    if (citation.length > MAX_TEXT) bad('citation', 'text_too_long', `trích dẫn kế hoạch dài quá ${MAX_TEXT} ký tự.`);
    const seen = plans.get(from);
    if (seen) bad('citation', 'duplicate_row', `kế hoạch từ kỳ ${periodLabel(from)} đã có ở dòng ${seen.line}.`);
    const validTo = cells.valid_to ?? '';
    if (validTo && (!isPlanPeriod(validTo) || validTo < from)) bad('valid_to', 'invalid_period', `valid_to "${validTo}" phải có dạng YYYY-MM, trong các năm ${FIRST_YEAR}–${LAST_YEAR}, và không trước valid_from.`);
    const percent = (column: string, fallback: number | null) => {
      const v = cells[column] ?? '';
      if (v === '' && fallback !== null) return fallback;
      if (PLAIN_DECIMAL.test(v) && Number(v.replace(',', '.')) <= 100) return Number(v.replace(',', '.')) / 100;
      bad(column, 'invalid_percent', `${column} "${v}" phải là một số thập phân từ 0 đến 100, ví dụ 60 hoặc 62,5.`);
      return 0;
    };
    const floor = percent('floor_pct', null);
    const servicesGoal = percent('services_goal_pct', 0.8);
    const [wFrom, wTo] = [cells.window_from ?? '', cells.window_to ?? ''];
    let window: PlanFields['window'] = null;
    if (wFrom || wTo) {
      if (!isPlanPeriod(wFrom) || !isPlanPeriod(wTo) || wTo < wFrom) bad('window_from', 'invalid_window', `kỳ chỉ tiêu "${wFrom}" đến "${wTo}" phải là hai kỳ YYYY-MM trong các năm ${FIRST_YEAR}–${LAST_YEAR}, kỳ đầu không sau kỳ cuối.`);
      else window = { from: wFrom, to: wTo };
    }
    const collector = text('collector');
    if (collector.length > MAX_TEXT) bad('collector', 'text_too_long', `đơn vị tổng hợp báo cáo dài quá ${MAX_TEXT} ký tự.`);
    if (!seen) {
      plans.set(from, {
        line: row, pilot: [],
        plan: { citation, validFrom: from, validTo: validTo || null, floor, servicesGoal, window, pilot: [], collector: collector || null },
      });
    }
  }
  for (const x of pilots) {
    const plan = plans.get(x.validFrom);
    if (plan) plan.pilot.push(x.p);
    else errors.push(fileIssue('pilot_without_plan', `Dòng ${x.line}: thủ tục thí điểm của kế hoạch từ kỳ ${periodLabel(x.validFrom)}, nhưng tệp không có dòng kế hoạch nào từ kỳ đó (cột citation).`, at(t, x.line, 'valid_from')));
  }
  const list = [...plans.values()].sort((a, b) => a.line - b.line);
  for (const x of list) {
    const bytes = Buffer.byteLength(JSON.stringify({ ...x.plan, pilot: x.pilot }));
    if (bytes > MAX_PLAN_BYTES) {
      errors.push(fileIssue('plan_too_large', `Dòng ${x.line}: kế hoạch từ kỳ ${periodLabel(x.plan.validFrom)} có ${x.pilot.length.toLocaleString('vi-VN')} thủ tục thí điểm, quá lớn để lưu (${Math.round(bytes / 1000)} KB, tối đa ${MAX_PLAN_BYTES / 1000} KB).`, at(t, x.line, 'citation')));
    }
  }
  if (list.length === 0 && errors.length === 0) errors.push(fileIssue('no_data_rows', 'Tệp không có dòng kế hoạch nào.', { sheet: t.sheet, row: 2 }));
  return { rows: list.map((x) => ({ ...x.plan, pilot: x.pilot })), errors, lines: list.map((x) => x.line), read: t.rows.length };
}

// The registry and targets files an administrator uploads (CSV, or xlsx with the same
// columns). Validated whole: a file with any error changes nothing, and every error says
// where it is, in the same shape as report files' errors.
import { parseCsv } from '../csv.ts';
import { isPeriod } from '../period.ts';
import { fileIssue, type FileIssue } from '../report-file/file-issue.ts';
import { detectFileKind } from '../report-file/file-type.ts';
import { cellText } from '../report-file/grid.ts';
import { readXlsxSheets } from '../report-file/xlsx.ts';
import type { Target } from '../units/target.ts';
import { isLevel } from '../units/unit.ts';
import type { PlanConfig, RegistryRow } from './plan-config.ts';

export type ConfigKind = 'registry' | 'targets';

interface Table {
  sheet: string | null;
  header: string[];
  rows: Array<{ row: number; cells: Record<string, string> }>;
}

/** A CSV or the first sheet of a workbook, as header → text per row (1-based row numbers). */
async function readTable(bytes: Buffer): Promise<Table | FileIssue> {
  const kind = detectFileKind(bytes);
  let records: string[][];
  let sheet: string | null = null;
  if (kind.kind === 'csv') records = parseCsv(kind.text, undefined, 100_000);
  else if (kind.kind === 'xlsx') {
    const [first] = await readXlsxSheets(bytes);
    if (!first) return fileIssue('no_table_found', 'Tệp Excel không có sheet nào.');
    sheet = first.name;
    records = first.rows.slice(1).map((r) => (r ?? []).slice(1).map((v) => cellText(v ?? null)));
  } else return fileIssue('unsupported_type', 'Chỉ nhận tệp .csv (UTF-8) hoặc .xlsx.');
  const [head = [], ...body] = records;
  const header = head.map((h) => h.trim().toLowerCase());
  return {
    sheet, header,
    rows: body.map((cells, i) => ({ row: i + 2, cells: Object.fromEntries(header.map((h, c) => [h, (cells[c] ?? '').trim()])) }))
      .filter((r) => Object.values(r.cells).some((v) => v !== '')),
  };
}

const REGISTRY_COLUMNS = ['code', 'level', 'name', 'valid_from'];
const TARGET_COLUMNS = ['unit', 'window_from', 'window_to', 'target_pct'];

function checkColumns(t: Table, required: string[], errors: FileIssue[]): boolean {
  for (const c of required) {
    if (!t.header.includes(c)) errors.push(fileIssue('missing_column', `Thiếu cột "${c}". Các cột bắt buộc: ${required.join(', ')}.`, { sheet: t.sheet, row: 1 }));
  }
  return errors.length === 0;
}

function at(t: Table, row: number, column: string) {
  return { sheet: t.sheet, row, col: t.header.indexOf(column) + 1 };
}

export async function readRegistryFile(bytes: Buffer): Promise<{ rows: RegistryRow[]; errors: FileIssue[] }> {
  const t = await readTable(bytes);
  if (!('header' in t)) return { rows: [], errors: [t] };
  const errors: FileIssue[] = [];
  if (!checkColumns(t, REGISTRY_COLUMNS, errors)) return { rows: [], errors };
  const rows: RegistryRow[] = [];
  const seen = new Map<string, number>();
  for (const { row, cells } of t.rows) {
    const bad = (column: string, code: string, message: string) => errors.push(fileIssue(code, `Dòng ${row}: ${message}`, at(t, row, column)));
    const code = cells.code.toUpperCase();
    if (!/^[A-Z0-9][A-Z0-9_.-]*$/.test(code)) bad('code', 'invalid_code', `mã đơn vị "${cells.code}" chỉ gồm chữ không dấu, số, "-", "_" hoặc ".".`);
    if (!isLevel(cells.level)) bad('level', 'invalid_level', `cấp "${cells.level}" phải là department, district hoặc commune.`);
    if (!cells.name) bad('name', 'missing_name', 'thiếu tên đơn vị.');
    if (!isPeriod(cells.valid_from)) bad('valid_from', 'invalid_period', `valid_from "${cells.valid_from}" phải có dạng YYYY-MM.`);
    const validTo = cells.valid_to ?? '';
    if (validTo && (!isPeriod(validTo) || validTo < cells.valid_from)) bad('valid_to', 'invalid_period', `valid_to "${validTo}" phải có dạng YYYY-MM và không trước valid_from.`);
    const email = cells.contact_email ?? '';
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) bad('contact_email', 'invalid_email', `địa chỉ thư "${email}" không hợp lệ.`);
    const key = `${code}#${cells.valid_from}`;
    if (seen.has(key)) bad('code', 'duplicate_row', `đơn vị ${code} từ kỳ ${cells.valid_from} đã có ở dòng ${seen.get(key)}.`);
    seen.set(key, row);
    rows.push({
      code, level: cells.level as RegistryRow['level'], name: cells.name, parentCode: (cells.parent_code ?? '').toUpperCase() || null,
      contactEmail: email || null, validFrom: cells.valid_from, validTo: validTo || null, mergedInto: (cells.merged_into ?? '').toUpperCase() || null,
    });
  }
  if (rows.length === 0 && errors.length === 0) errors.push(fileIssue('no_data_rows', 'Tệp không có dòng đơn vị nào.', { sheet: t.sheet, row: 2 }));
  return { rows, errors };
}

/** Checks that need the configuration: parents and successors exist when the row takes effect. */
export function checkRegistryAgainst(rows: readonly RegistryRow[], config: PlanConfig): FileIssue[] {
  const errors: FileIssue[] = [];
  rows.forEach((r, i) => {
    const next = config.rowsFor(r.validFrom);
    const known = (code: string) => rows.some((x) => x.code === code && x.validFrom <= r.validFrom) || next.some((x) => x.code === code);
    if (r.parentCode && !known(r.parentCode)) {
      errors.push(fileIssue('unknown_parent', `Đơn vị ${r.code}: đơn vị cấp trên ${r.parentCode} không có trong danh mục từ kỳ ${r.validFrom}.`, { sheet: null, row: i + 2 }));
    }
    if (r.mergedInto && !r.validTo) {
      errors.push(fileIssue('merged_without_end', `Đơn vị ${r.code} sáp nhập vào ${r.mergedInto} nhưng thiếu valid_to (kỳ cuối cùng của ${r.code}).`, { sheet: null, row: i + 2 }));
    }
  });
  return errors;
}

export async function readTargetsFile(bytes: Buffer, config: PlanConfig): Promise<{ rows: Target[]; errors: FileIssue[] }> {
  const t = await readTable(bytes);
  if (!('header' in t)) return { rows: [], errors: [t] };
  const errors: FileIssue[] = [];
  if (!checkColumns(t, TARGET_COLUMNS, errors)) return { rows: [], errors };
  const rows: Target[] = [];
  for (const { row, cells } of t.rows) {
    const bad = (column: string, code: string, message: string) => errors.push(fileIssue(code, `Dòng ${row}: ${message}`, at(t, row, column)));
    const unit = cells.unit.toUpperCase();
    const { window_from: from, window_to: to } = cells;
    if (!isPeriod(from) || !isPeriod(to) || to < from) {
      bad('window_from', 'invalid_window', `kỳ chỉ tiêu "${from}" đến "${to}" phải là hai kỳ YYYY-MM, kỳ đầu không sau kỳ cuối.`);
      continue;
    }
    if (!config.registryFor(from).get(unit)) bad('unit', 'unknown_unit_code', `mã đơn vị "${cells.unit}" không có trong danh mục kỳ ${from}.`);
    const pct = cells.target_pct === '' ? null : Number(cells.target_pct.replace(',', '.'));
    if (pct !== null && !(Number.isFinite(pct) && pct >= 0 && pct <= 100)) bad('target_pct', 'invalid_target', `chỉ tiêu "${cells.target_pct}" phải là số phần trăm từ 0 đến 100 (để trống: không giao).`);
    rows.push({ unit, windowFrom: from, windowTo: to, targetPct: pct });
  }
  if (rows.length === 0 && errors.length === 0) errors.push(fileIssue('no_data_rows', 'Tệp không có dòng chỉ tiêu nào.', { sheet: t.sheet, row: 2 }));
  return { rows, errors };
}


// The format's arithmetic checks, on every data row and on the total row, and the
// total row against the sum of the data rows. The total row is never added in.
import { COLUMN_TITLES, type ColumnKey } from './columns.ts';
import { countText as n } from './counts.ts';
import { columnLetter, fileIssue, type FileIssue } from './file-issue.ts';
import { foldKey } from '../text.ts';
import { listUpTo, unlistedIssue, type Table, type TableRow } from './table.ts';

type Values = Partial<Record<ColumnKey, number>>;

/** Received ≠ resolved + pending is an error past both of these (else a warning). */
export const BALANCE_SLACK = 5;
export const BALANCE_SHARE = 0.02;

function sumOf(values: Values, keys: ColumnKey[]): { sum: number; parts: number[] } | null {
  const parts: number[] = [];
  for (const k of keys) {
    const v = values[k];
    if (v === undefined) return null;
    parts.push(v);
  }
  return { sum: parts.reduce((a, b) => a + b, 0), parts };
}

/** The parts that make up received_total, given which columns the file has. */
function receivedParts(columns: Map<ColumnKey, number>): ColumnKey[] {
  const desk: ColumnKey[] = columns.has('received_direct_or_postal')
    ? ['received_direct_or_postal']
    : columns.has('received_postal') ? ['received_direct', 'received_postal'] : ['received_direct'];
  return ['received_online', ...desk, 'carried_over'];
}

export function checkTable(table: Table): { errors: FileIssue[]; warnings: FileIssue[] } {
  const errors: FileIssue[] = [];
  const warnings: FileIssue[] = [];
  const { columns } = table;
  const at = (row: number, key: ColumnKey) => ({ sheet: table.sheet, row, col: columns.get(key) });

  const identities: Array<{ total: ColumnKey; parts: ColumnKey[]; code: string }> = [
    { total: 'received_total', parts: receivedParts(columns), code: 'received_total_mismatch' },
    { total: 'resolved_total', parts: ['resolved_early', 'resolved_on_time', 'resolved_overdue'], code: 'resolved_total_mismatch' },
    { total: 'pending_total', parts: ['pending_within', 'pending_overdue'], code: 'pending_total_mismatch' },
  ];

  /** Rows whose sums fail, and the columns those sums involve: one end of a culprit. */
  const brokenRows = new Map<TableRow, Set<ColumnKey>>();
  const involve = (row: TableRow, keys: ColumnKey[]) => {
    const set = brokenRows.get(row) ?? new Set<ColumnKey>();
    for (const k of keys) if (columns.has(k)) set.add(k);
    brokenRows.set(row, set);
  };

  // A row's failed sums, as the cells' errors are: the first MAX_CELL_ERRORS listed, the rest
  // counted (40,000 broken rows would be 160,000 messages in the clerk's feedback).
  const rowErrors = listUpTo(errors);
  // And the balance warnings: a system that counts withdrawn dossiers its own way warns on every row.
  const rowWarnings = listUpTo(warnings);

  const rows: TableRow[] = table.totalRow ? [...table.dataRows, table.totalRow] : table.dataRows;
  for (const row of rows) {
    for (const id of identities) {
      const total = row.values[id.total];
      const parts = sumOf(row.values, id.parts);
      if (!columns.has(id.total) || total === undefined || !parts || total === parts.sum) continue;
      involve(row, [id.total, ...id.parts]);
      rowErrors.add(() => fileIssue(id.code,
        `${rowName(row)}: "${COLUMN_TITLES[id.total]}" ghi ${n(total)} nhưng ${id.parts.map(shortTitle).join(' + ')} = ${parts.parts.map(n).join(' + ')} = ${n(parts.sum)}.`,
        at(row.row, id.total)));
    }
    // Received = resolved + pending. Systems count withdrawn dossiers differently, so a small
    // gap is a warning; a gap past both BALANCE_SLACK dossiers and BALANCE_SHARE of received
    // is a wrong count (a typo of a digit), and the file is refused.
    const received = columns.has('received_total') ? row.values.received_total : sumOf(row.values, receivedParts(columns))?.sum;
    const resolved = columns.has('resolved_total') ? row.values.resolved_total : sumOf(row.values, identities[1].parts)?.sum;
    const pending = columns.has('pending_total') ? row.values.pending_total : sumOf(row.values, identities[2].parts)?.sum;
    if (received !== undefined && resolved !== undefined && pending !== undefined && received !== resolved + pending) {
      const gap = Math.abs(received - (resolved + pending));
      const wrong = gap > BALANCE_SLACK && gap > BALANCE_SHARE * received;
      if (wrong) involve(row, balanceKeys(columns, identities));
      const issue = () => fileIssue('received_not_balanced',
        `${rowName(row)}: số hồ sơ nhận (${n(received)}) khác số đã giải quyết + đang giải quyết (${n(resolved)} + ${n(pending)} = ${n(resolved + pending)})` +
        (wrong ? `, lệch ${n(gap)} hồ sơ: quá ${BALANCE_SLACK} hồ sơ và quá ${BALANCE_SHARE * 100}% số nhận. Kiểm tra lại các số của dòng này.` : '.'),
        { sheet: table.sheet, row: row.row });
      (wrong ? rowErrors : rowWarnings).add(issue);
    }
  }

  /** Columns whose total row disagrees with their sum: the other end of a culprit. */
  const brokenColumns = new Map<ColumnKey, { stated: number; sum: number }>();
  if (table.totalRow) {
    for (const [key, col] of columns) {
      const stated = table.totalRow.values[key];
      if (stated === undefined) continue;
      const values = table.dataRows.map((r) => r.values[key]);
      if (values.some((v) => v === undefined)) continue; // a bad cell is already reported
      const sum = (values as number[]).reduce((a, b) => a + b, 0);
      if (sum !== stated) {
        brokenColumns.set(key, { stated, sum });
        errors.push(fileIssue('total_row_mismatch',
          `Dòng "${table.totalRow.label || 'Tổng cộng'}" ghi ${n(stated)} ở cột "${COLUMN_TITLES[key]}" nhưng cộng các dòng số liệu được ${n(sum)}.`,
          { sheet: table.sheet, row: table.totalRow.row, col }));
      }
    }
  }

  // One typo breaks its row's sum and its column's total: where exactly one cell lies on a
  // broken row and a broken column, name it, so the clerk fixes one cell, not two sums.
  const suspects: Array<{ row: TableRow; key: ColumnKey }> = [];
  for (const [row, keys] of brokenRows) for (const key of keys) if (brokenColumns.has(key)) suspects.push({ row, key });
  if (suspects.length === 1) {
    const { row, key } = suspects[0];
    const { stated, sum } = brokenColumns.get(key)!;
    const written = row.values[key]!;
    // A data row's cell fits when the column adds up to the total row; the total row's, when it is the sum.
    const fitting = row === table.totalRow ? sum : written - (sum - stated);
    const fixesRow = fitting >= 0 && rowHolds({ ...row, values: { ...row.values, [key]: fitting } }, identities, columns);
    // First: the one cell to fix; the two sums it breaks follow, explained by it.
    errors.unshift(fileIssue('likely_typo',
      `Ô ${columnLetter(columns.get(key)!)}${row.row} (dòng ${row.row}${row.label ? ` "${row.label}"` : ''}, cột "${COLUMN_TITLES[key]}") có lẽ ghi sai: ` +
      `ô này làm sai cả phép cộng của dòng lẫn tổng của cột. Ô ghi ${n(written)}` +
      (fixesRow ? `; nếu là ${n(fitting)} thì cả dòng và cột đều khớp.` : '.'),
      at(row.row, key)));
  }
  const repeats = checkRepeats(table, listUpTo(errors), listUpTo(warnings));
  if (repeats.errors > 0) errors.push(unlistedIssue(`${repeats.errors.toLocaleString('vi-VN')} dòng lặp lại khác`, table.sheet));
  if (repeats.warnings > 0) warnings.push(fileIssue('too_many_warnings', `Còn ${repeats.warnings.toLocaleString('vi-VN')} lĩnh vực khác có ở hơn một dòng, không được liệt kê.`, { sheet: table.sheet }));
  if (rowErrors.unlisted > 0) errors.push(unlistedIssue(`${rowErrors.unlisted.toLocaleString('vi-VN')} lỗi khác ở các phép cộng của dòng`, table.sheet));
  if (rowWarnings.unlisted > 0) {
    warnings.push(fileIssue('too_many_warnings', `Còn ${rowWarnings.unlisted.toLocaleString('vi-VN')} dòng khác có số nhận khác số đã và đang giải quyết, không được liệt kê.`, { sheet: table.sheet }));
  }
  return { errors, warnings };
}

/** A repeated row, or a group row equal to its rows' sum, is an error when it holds at least this many non-zero counts (a few ones and zeros add up by chance). */
const REPEAT_NONZERO = 3;

/**
 * Rows counted twice: the same field copied (its dossiers added again), and a group's subtotal
 * row above its own rows ("I. Tư pháp" = Hộ tịch + Chứng thực). The same field with other
 * counts may be two groups' rows, so it is a warning.
 */
function checkRepeats(table: Table, errors: ReturnType<typeof listUpTo>, warnings: ReturnType<typeof listUpTo>): { errors: number; warnings: number } {
  const keys = [...table.columns.keys()];
  const counts = (row: TableRow) => (keys.every((k) => row.values[k] !== undefined) ? keys.map((k) => row.values[k]!) : null);
  const named = (row: TableRow) => (row.label ? ` ("${row.label}")` : '');
  const firstOf = new Map<string, TableRow>();
  for (const row of table.dataRows) {
    if (!row.label) continue;
    const key = foldKey(row.label);
    const first = firstOf.get(key);
    if (!first) { firstOf.set(key, row); continue; }
    const a = counts(first);
    const b = counts(row);
    if (a && b && a.every((v, i) => v === b[i])) {
      if (b.filter((v) => v !== 0).length >= REPEAT_NONZERO) {
        errors.add(() => fileIssue('duplicate_row',
          `Dòng ${row.row}${named(row)} trùng hoàn toàn dòng ${first.row}: cùng lĩnh vực, cùng mọi số liệu, nên bị cộng hai lần. Xoá một trong hai dòng.`,
          { sheet: table.sheet, row: row.row }));
      }
    } else {
      warnings.add(() => fileIssue('duplicate_field',
        `Lĩnh vực "${row.label}" có ở cả dòng ${first.row} và dòng ${row.row}: cả hai dòng đều được cộng. Nếu một dòng là bản cũ, xoá nó; nếu là hai nhóm khác nhau, ghi rõ tên nhóm.`,
        { sheet: table.sheet, row: row.row }));
    }
  }
  // A group row equal to the sum of the rows right under it (two or more, up to the next group).
  table.dataRows.forEach((row, i) => {
    const own = row.group ? counts(row) : null;
    if (!own || own.filter((v) => v !== 0).length < REPEAT_NONZERO) return;
    const sum = keys.map(() => 0);
    for (let j = i + 1; j < table.dataRows.length && !table.dataRows[j].group; j++) {
      const next = counts(table.dataRows[j]);
      if (!next) return;
      next.forEach((v, k) => (sum[k] += v));
      if (sum.some((v, k) => v > own[k])) return;
      if (j - i >= 2 && sum.every((v, k) => v === own[k])) {
        const last = table.dataRows[j].row;
        errors.add(() => fileIssue('group_subtotal',
          `Dòng ${row.row}${named(row)} bằng tổng các dòng ${table.dataRows[i + 1].row}–${last} ngay dưới: đó là dòng cộng của nhóm, nên số liệu bị cộng hai lần. Để trống các ô số của dòng nhóm (hoặc xoá các dòng chi tiết).`,
          { sheet: table.sheet, row: row.row }));
        return;
      }
    }
  });
  return { errors: errors.unlisted, warnings: warnings.unlisted };
}

/** Every column that enters received, resolved or pending as this file computes them. */
function balanceKeys(columns: Map<ColumnKey, number>, identities: Array<{ total: ColumnKey; parts: ColumnKey[] }>): ColumnKey[] {
  return identities.flatMap((id) => (columns.has(id.total) ? [id.total] : id.parts));
}

/** The row's sums hold (and received = resolved + pending within the slack). */
function rowHolds(row: TableRow, identities: Array<{ total: ColumnKey; parts: ColumnKey[] }>, columns: Map<ColumnKey, number>): boolean {
  for (const id of identities) {
    const total = row.values[id.total];
    const parts = sumOf(row.values, id.parts);
    if (columns.has(id.total) && total !== undefined && parts && total !== parts.sum) return false;
  }
  const [received, resolved, pending] = identities.map((id) => (columns.has(id.total) ? row.values[id.total] : sumOf(row.values, id.parts)?.sum));
  if (received === undefined || resolved === undefined || pending === undefined) return true;
  const gap = Math.abs(received - (resolved + pending));
  return !(gap > BALANCE_SLACK && gap > BALANCE_SHARE * received);
}

function rowName(row: TableRow): string {
  return row.label ? `Dòng ${row.row} ("${row.label}")` : `Dòng ${row.row}`;
}

function shortTitle(key: ColumnKey): string {
  const title = COLUMN_TITLES[key];
  return title.includes(' / ') ? title.split(' / ')[1] : title;
}

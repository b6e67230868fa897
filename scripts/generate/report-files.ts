// Realistic monthly report files, as Hải Phòng's units upload them (shared/docs/report-format.md):
// Biểu 06a workbooks in every shape the format page accepts, and the CSV template. Drives the
// reader's tests, the demo and the benchmarks. Deterministic: the same spec and seed give the
// same bytes' content (exceljs stamps creation times, so bytes may differ; cells never do).
import ExcelJS from 'exceljs';
import { addCounts, zeroCounts, type Counts } from '../../shared/report-file/counts.ts';
import { columnLetter } from '../../shared/report-file/file-issue.ts';
import { parsePeriod, periodBounds } from '../../shared/period.ts';
import { looseKey } from '../../shared/text.ts';

// ---------------------------------------------------------------------------------------------
// Seeded randomness

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  /** An independent stream derived from this one's seed and a label. */
  fork(label: string | number): Rng;
}

function hashSeed(seed: number | string): number {
  const text = String(seed);
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for test data, and the same on every machine. */
export function makeRng(seed: number | string): Rng {
  let state = hashSeed(seed);
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
    fork: (label) => makeRng(`${seed}/${label}`),
  };
  return rng;
}

// ---------------------------------------------------------------------------------------------
// Counts

export interface CountOptions {
  /** Share of new dossiers received online (0..1); random when absent. */
  onlineShare?: number;
}

/**
 * One field row's counts, consistent by construction: received = online + direct + postal +
 * carried over = resolved + pending. `scale` is roughly the new dossiers of the row; 0 gives
 * a row of zeros ("không phát sinh").
 */
export function randomCounts(rng: Rng, scale: number, options: CountOptions = {}): Counts {
  const fresh = scale <= 0 ? 0 : Math.max(0, Math.round(scale * (0.6 + 0.8 * rng.next())));
  const online = Math.round(fresh * (options.onlineShare ?? rng.next()));
  const desk = fresh - online;
  const postal = rng.chance(0.6) ? Math.round(desk * 0.08 * rng.next()) : 0;
  const direct = desk - postal;
  const carried = fresh === 0 ? 0 : Math.round(fresh * 0.35 * rng.next());
  const received = fresh + carried;
  const resolved = Math.round(received * (0.6 + 0.38 * rng.next()));
  const overdue = Math.round(resolved * 0.05 * rng.next());
  const early = Math.round((resolved - overdue) * rng.next());
  const pending = received - resolved;
  const pendingOverdue = Math.round(pending * 0.15 * rng.next());
  return {
    received_online: online,
    received_direct: direct,
    received_postal: postal,
    carried_over: carried,
    resolved_early: early,
    resolved_on_time: resolved - overdue - early,
    resolved_overdue: overdue,
    pending_within: pending - pendingOverdue,
    pending_overdue: pendingOverdue,
    returned_postal: Math.round(Math.min(postal * 2 + 1, resolved) * rng.next()),
  };
}

// ---------------------------------------------------------------------------------------------
// The spec of one file

export interface ReportRow {
  field: string;
  counts: Counts;
}

export type OnlineLevelText = 'Toàn trình' | 'Một phần' | 'Mức độ 4' | 'Mức độ 3' | '';

export interface ReportProcedure {
  code: string | null;
  name: string;
  level: OnlineLevelText;
  online: number;
  direct: number;
  postal: number;
}

export type NumberStyle = 'number' | 'text' | 'dots' | 'commas' | 'spaces' | 'padded' | 'mixed';
export type ZeroStyle = 'number' | 'dash' | 'empty';
export type TitleStyle = 'range' | 'month' | 'period' | 'dates' | 'none';

export interface Variant {
  layout: '06a' | 'csv';
  /** 3 = the official form: groups, then "Trong đó" over the received channels, then leaves. */
  headerRows: 1 | 2 | 3;
  /** Separate "Trực tiếp" (+ "Bưu chính") columns, or the form's combined one. */
  desk: 'separate' | 'combined';
  /** With desk = separate: whether a postal column exists (else postal is counted as desk). */
  postalColumn: boolean;
  /** The three optional "Tổng số" columns. */
  totalColumns: boolean;
  /** In data rows, the total columns as formulas with cached results. */
  rowTotalFormulas: boolean;
  returnedPostal: boolean;
  /** Merged header and title cells; false = an exporter that leaves group cells blank. */
  merged: boolean;
  /** Shuffle columns (groups, and columns inside groups); uses `seed`. */
  shuffle: boolean;
  /** First row and column of the title block (1, 1 = A1). */
  origin: { row: number; col: number };
  columnNumbers: boolean;
  totalRow: 'none' | 'values' | 'formulas';
  /** The total row right under the header, before the fields. */
  totalFirst: boolean;
  totalLabel: string;
  numbers: NumberStyle;
  zero: ZeroStyle;
  title: TitleStyle;
  unitLine: boolean;
  unitPrefix: boolean;
  unitUpper: boolean;
  unitAscii: boolean;
  unitNfd: boolean;
  codeLine: boolean;
  headerText: 'normal' | 'upper' | 'ascii';
  fieldHeader: string;
  postalHeader: string;
  carriedHeader: string;
  instructionSheet: boolean;
  blankRows: boolean;
  signature: boolean;
  /** Writes the "Chi tiết TTHC" sheet when the spec has procedures. */
  detailSheet: boolean;
  sheetName: string;
  csvSeparator: ',' | ';';
  csvBom: boolean;
  csvQuoteAll: boolean;
  csvExtraColumns: boolean;
  csvUnitColumn: boolean;
  csvCrlf: boolean;
  /** Drives shuffles and 'mixed' number styles. */
  seed: number;
}

/** The official form, as in tests/fixtures/samples/06a-S01-2022-06.xlsx. */
export const DEFAULT_VARIANT: Variant = {
  layout: '06a', headerRows: 2, desk: 'separate', postalColumn: true, totalColumns: true, rowTotalFormulas: false,
  returnedPostal: true, merged: true, shuffle: false, origin: { row: 1, col: 1 }, columnNumbers: true,
  totalRow: 'values', totalFirst: false, totalLabel: 'Tổng cộng', numbers: 'number', zero: 'number', title: 'range',
  unitLine: true, unitPrefix: false, unitUpper: false, unitAscii: false, unitNfd: false, codeLine: true,
  headerText: 'normal', fieldHeader: 'Lĩnh vực giải quyết', postalHeader: 'Dịch vụ bưu chính công ích',
  carriedHeader: 'Từ kỳ trước', instructionSheet: false, blankRows: false, signature: true, detailSheet: true,
  sheetName: 'Biểu 06a', csvSeparator: ',', csvBom: true, csvQuoteAll: false, csvExtraColumns: false,
  csvUnitColumn: true, csvCrlf: false, seed: 1,
};

export interface ReportSpec {
  unit: { code: string; name: string };
  /** 'YYYY-MM'. */
  period: string;
  rows: ReportRow[];
  procedures?: ReportProcedure[];
  variant?: Partial<Variant>;
  /** Cells written as given instead of the row's count: a clerk's typo, for rejected files. */
  typos?: Typo[];
}

export interface Typo {
  /** Index into `rows`, or the total row (Biểu 06a with a total row only). */
  row: number | 'total';
  column: Key;
  value: number | string | null | { formula: string; result?: number } | { error: string };
}

export function variantOf(spec: ReportSpec): Variant {
  return { ...DEFAULT_VARIANT, ...spec.variant };
}

// ---------------------------------------------------------------------------------------------
// What the file says, and what a correct reader must read back

export type Key = keyof Counts | 'received_total' | 'resolved_total' | 'pending_total' | 'received_direct_or_postal';

/** The row as the file can express it: postal folded into the desk column where there is no
 * postal column of its own (unknown, so null), returned_postal null without its column. */
export function countsAsWritten(c: Counts, v: Variant): Counts {
  const separatePostal = v.desk === 'separate' && v.postalColumn;
  return {
    ...c,
    received_direct: separatePostal ? c.received_direct : c.received_direct + (c.received_postal ?? 0),
    received_postal: separatePostal ? c.received_postal ?? 0 : null,
    returned_postal: v.returnedPostal ? c.returned_postal ?? 0 : null,
  };
}

/** The counts a correct reader returns for the file (sum of the rows as written). */
export function expectedCounts(spec: ReportSpec): Counts {
  const v = variantOf(spec);
  return spec.rows.map((r) => countsAsWritten(r.counts, v)).reduce(addCounts, countsAsWritten(zeroCounts(), v));
}

function valueOf(c: Counts, key: Key): number {
  switch (key) {
    case 'received_total': return c.received_online + c.received_direct + (c.received_postal ?? 0) + c.carried_over;
    case 'resolved_total': return c.resolved_early + c.resolved_on_time + c.resolved_overdue;
    case 'pending_total': return c.pending_within + c.pending_overdue;
    case 'received_direct_or_postal': return c.received_direct;
    default: return c[key] ?? 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Columns and the header tree

type Group = 'received' | 'resolved' | 'pending';

interface HeaderNode {
  /** Text in a multi-row header. */
  text: string;
  /** Text when the header is a single row (must say its group itself). */
  flat?: string;
  key?: Key | 'stt' | 'field';
  children?: HeaderNode[];
  /** "Trong đó": only a level of its own in three-row headers. */
  subgroup?: boolean;
}

const GROUP_TITLES: Record<Group, string> = {
  received: 'Số hồ sơ nhận giải quyết',
  resolved: 'Số hồ sơ đã giải quyết',
  pending: 'Số hồ sơ đang giải quyết',
};

function headerTree(v: Variant, rng: Rng): HeaderNode[] {
  const leaf = (key: Key, text: string, flat = text): HeaderNode => ({ key, text, flat });
  const channels: HeaderNode[] = [leaf('received_online', 'Trực tuyến')];
  if (v.desk === 'combined') channels.push(leaf('received_direct_or_postal', 'Trực tiếp, dịch vụ bưu chính'));
  else {
    channels.push(leaf('received_direct', 'Trực tiếp'));
    if (v.postalColumn) channels.push(leaf('received_postal', v.postalHeader));
  }
  const maybe = <T>(on: boolean, node: T): T[] => (on ? [node] : []);
  const mix = <T>(nodes: T[]) => (v.shuffle ? rng.shuffle(nodes) : nodes);
  const received: HeaderNode = {
    text: GROUP_TITLES.received,
    children: mix([
      ...maybe(v.totalColumns, leaf('received_total', 'Tổng số', 'Tổng số hồ sơ nhận giải quyết')),
      { text: 'Trong đó', subgroup: true, children: mix(channels) },
      leaf('carried_over', v.carriedHeader),
    ]),
  };
  const resolved: HeaderNode = {
    text: GROUP_TITLES.resolved,
    children: mix([
      ...maybe(v.totalColumns, leaf('resolved_total', 'Tổng số', 'Tổng số đã giải quyết')),
      leaf('resolved_early', 'Trước hạn', 'Đã giải quyết trước hạn'),
      leaf('resolved_on_time', 'Đúng hạn', 'Đã giải quyết đúng hạn'),
      leaf('resolved_overdue', 'Quá hạn', 'Đã giải quyết quá hạn'),
    ]),
  };
  const pending: HeaderNode = {
    text: GROUP_TITLES.pending,
    children: mix([
      ...maybe(v.totalColumns, leaf('pending_total', 'Tổng số', 'Tổng số đang giải quyết')),
      leaf('pending_within', 'Trong hạn', 'Đang giải quyết trong hạn'),
      leaf('pending_overdue', 'Quá hạn', 'Đang giải quyết quá hạn'),
    ]),
  };
  // STT stays just before the field column; the blocks move as wholes, like a clerk moving columns.
  const label: HeaderNode = { text: '', children: [{ key: 'stt', text: 'STT' }, { key: 'field', text: v.fieldHeader }] };
  const blocks = mix([label, received, resolved, pending, ...maybe(v.returnedPostal, leaf('returned_postal', 'Trả kết quả qua bưu chính'))]);
  return blocks.flatMap((b) => (b.text === '' ? b.children! : [b]));
}

interface PlacedText { text: string; row: number; col: number; row2: number; col2: number }
interface PlacedColumn { key: Key | 'stt' | 'field'; col: number }

/** Lays the tree out over `rows` header rows from (row, col): texts with their spans, and leaf columns. */
function layoutHeader(nodes: HeaderNode[], rows: number, row: number, col: number): { texts: PlacedText[]; columns: PlacedColumn[] } {
  const texts: PlacedText[] = [];
  const columns: PlacedColumn[] = [];
  const lastRow = row + rows - 1;
  const place = (node: HeaderNode, r: number, c: number): number => {
    let kids = node.children;
    // Without room for a "Trong đó" level, its children belong to the group directly.
    if (kids && rows - (r - row) < 3) kids = kids.flatMap((k) => (k.subgroup ? k.children! : [k]));
    if (!kids || rows === 1) {
      if (kids) return kids.reduce((cc, k) => place(k, r, cc), c);
      texts.push({ text: rows === 1 ? node.flat ?? node.text : node.text, row: r, col: c, row2: lastRow, col2: c });
      columns.push({ key: node.key!, col: c });
      return c + 1;
    }
    let next = c;
    for (const k of kids) next = place(k, r + 1, next);
    texts.push({ text: node.text, row: r, col: c, row2: r, col2: next - 1 });
    return next;
  };
  let c = col;
  for (const n of nodes) c = place(n, row, c);
  return { texts, columns };
}

function styleHeader(text: string, style: Variant['headerText']): string {
  if (style === 'upper') return text.toUpperCase();
  if (style === 'ascii') return stripDiacritics(text);
  return text;
}

export function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

// ---------------------------------------------------------------------------------------------
// Cell values

type Cell = ExcelJS.CellValue;

function groupThousands(n: number, sep: string): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/** A count as the variant writes it: a number, or one of the text forms clerks type. */
export function formatCount(n: number, style: NumberStyle, zeroStyle: ZeroStyle, rng: Rng): number | string | null {
  if (n === 0) {
    if (zeroStyle === 'dash') return '-';
    if (zeroStyle === 'empty') return null;
  }
  const s = style === 'mixed' ? rng.pick(['number', 'text', 'dots', 'commas', 'spaces', 'padded'] as const) : style;
  switch (s) {
    case 'number': return n;
    case 'text': return String(n);
    case 'dots': return groupThousands(n, '.');
    case 'commas': return groupThousands(n, ',');
    case 'spaces': return groupThousands(n, rng.chance(0.5) ? ' ' : '\u00a0');
    case 'padded': return ` ${n} `;
  }
}

function unitNameText(spec: ReportSpec, v: Variant): string {
  let name = spec.unit.name;
  if (v.unitPrefix && !/^(ubnd|ủy ban)/i.test(name)) name = `UBND ${name}`;
  if (v.unitAscii) name = stripDiacritics(name);
  if (v.unitUpper) name = name.toUpperCase();
  return name;
}

function periodLines(period: string, style: TitleStyle): Cell[][] {
  const { year, month } = parsePeriod(period);
  const { from, to } = periodBounds(period);
  const dd = (d: { day: number; month: number; year: number }) =>
    `${String(d.day).padStart(2, '0')}/${String(d.month).padStart(2, '0')}/${d.year}`;
  switch (style) {
    case 'range': return [[`Kỳ báo cáo: Từ ngày ${dd(from)} đến ngày ${dd(to)}`]];
    case 'month': return [[`Tháng ${month}/${year}`]];
    case 'period': return [[`Kỳ báo cáo: ${String(month).padStart(2, '0')}/${year}`]];
    case 'dates': return [['Kỳ báo cáo: Từ ngày', new Date(Date.UTC(from.year, from.month - 1, from.day)), 'đến ngày',
      new Date(Date.UTC(to.year, to.month - 1, to.day))]];
    case 'none': return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Writers

export async function writeReport(spec: ReportSpec): Promise<Buffer> {
  const v = variantOf(spec);
  if (v.layout === 'csv') return writeCsv(spec, v);
  return writeWorkbook(spec, v);
}

async function writeWorkbook(spec: ReportSpec, v: Variant): Promise<Buffer> {
  const rng = makeRng(v.seed);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Một cửa điện tử';
  wb.created = wb.modified = new Date(Date.UTC(2022, 5, 16));
  if (v.instructionSheet) writeInstructions(wb.addWorksheet('Hướng dẫn'));
  const ws = wb.addWorksheet(v.sheetName);

  const tree = headerTree(v, rng.fork('columns'));
  const c0 = v.origin.col;
  let r = v.origin.row;
  const { columns: probe } = layoutHeader(tree, v.headerRows, 1, c0);
  const width = probe.length;
  const put = (row: number, col: number, value: Cell) => { if (value !== null && value !== undefined) ws.getCell(row, col).value = value; };
  const line = (cells: Cell[], merge = v.merged) => {
    cells.forEach((value, i) => put(r, c0 + i, value));
    if (merge && cells.length === 1 && width > 1) ws.mergeCells(r, c0, r, c0 + width - 1);
    r++;
  };

  // Title block.
  line(['ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG']);
  line(['TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH']);
  line(['Biểu số II.06a/VPCP/KSTT']);
  if (v.unitLine) {
    const text = `${v.unitAscii ? 'Don vi bao cao' : 'Đơn vị báo cáo'}: ${unitNameText(spec, v)}`;
    line([v.unitNfd ? text.normalize('NFD') : text]);
  }
  if (v.codeLine) line([`Mã đơn vị: ${spec.unit.code}`]);
  for (const cells of periodLines(spec.period, v.title)) line(cells, v.merged && cells.length === 1);
  line(['Đơn vị tính: Số hồ sơ TTHC']);
  r++;

  // Header.
  const headerTop = r;
  const { texts, columns } = layoutHeader(tree, v.headerRows, headerTop, c0);
  for (const t of texts) {
    const text = styleHeader(t.text, v.headerText);
    put(t.row, t.col, text);
    if (v.merged && (t.row2 > t.row || t.col2 > t.col)) ws.mergeCells(t.row, t.col, t.row2, t.col2);
  }
  r = headerTop + v.headerRows;
  if (v.columnNumbers) {
    columns.forEach((_, i) => put(r, c0 + i, `(${i + 1})`));
    r++;
  }

  const countColumns = columns.filter((c) => c.key !== 'stt' && c.key !== 'field') as Array<{ key: Key; col: number }>;
  const colOf = (key: string) => columns.find((c) => c.key === key)!.col;
  const numbers = rng.fork('numbers');
  const written = spec.rows.map((row) => countsAsWritten(row.counts, v));
  const totals = expectedCounts(spec);

  const dataRowNumbers: number[] = [];
  let totalRowNumber = 0;
  const writeTotalRow = () => { totalRowNumber = r++; };
  if (v.totalRow !== 'none' && v.totalFirst) writeTotalRow();
  written.forEach((counts, i) => {
    put(r, colOf('stt'), i + 1);
    put(r, colOf('field'), spec.rows[i].field);
    for (const { key, col } of countColumns) {
      const n = valueOf(counts, key);
      const isTotal = key === 'received_total' || key === 'resolved_total' || key === 'pending_total';
      if (isTotal && v.rowTotalFormulas) put(r, col, { formula: rowTotalFormula(key, r, columns), result: n } as ExcelJS.CellFormulaValue);
      else put(r, col, formatCount(n, v.numbers, v.zero, numbers));
    }
    dataRowNumbers.push(r++);
    if (v.blankRows && i % 3 === 1) r++;
  });
  if (v.totalRow !== 'none' && !v.totalFirst) writeTotalRow();
  if (v.totalRow !== 'none') {
    put(totalRowNumber, colOf('field'), v.totalLabel);
    const first = Math.min(...dataRowNumbers);
    const last = Math.max(...dataRowNumbers);
    for (const { key, col } of countColumns) {
      const n = valueOf(totals, key);
      if (v.totalRow === 'formulas' && dataRowNumbers.length > 0) {
        const letter = columnLetter(col);
        put(totalRowNumber, col, { formula: `SUM(${letter}${first}:${letter}${last})`, result: n } as ExcelJS.CellFormulaValue);
      } else put(totalRowNumber, col, formatCount(n, v.numbers, v.zero, numbers));
    }
  }

  for (const typo of spec.typos ?? []) {
    const row = typo.row === 'total' ? totalRowNumber : dataRowNumbers[typo.row];
    const col = columns.find((c) => c.key === typo.column)?.col;
    if (!row || !col) throw new Error(`typo outside the table: row ${typo.row}, column ${typo.column}`);
    ws.getCell(row, col).value = typo.value as ExcelJS.CellValue;
  }

  if (v.signature) {
    r += 1;
    put(r, c0, 'Ghi chú: số liệu trích xuất từ hệ thống Một cửa điện tử.');
    r += 1;
    const right = c0 + Math.max(2, width - 3);
    const left = c0 + Math.max(1, Math.floor(width / 2) - 1);
    put(r++, right, `Hải Phòng, ngày 20 tháng ${parsePeriod(spec.period).month} năm ${parsePeriod(spec.period).year}`);
    put(r, left, 'NGƯỜI LẬP BIỂU');
    put(r++, right, 'THỦ TRƯỞNG ĐƠN VỊ');
    put(r, left, '(Ký, ghi rõ họ tên)');
    put(r, right, '(Ký tên, đóng dấu)');
    r += 4;
    put(r, left, 'Trần Thị B');
    put(r, right, 'Nguyễn Văn A');
  }

  if (v.detailSheet && spec.procedures?.length) writeDetail(wb.addWorksheet('Chi tiết TTHC'), spec.procedures, v, numbers);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function rowTotalFormula(key: Key, row: number, columns: PlacedColumn[]): string {
  const parts: Record<string, Key[]> = {
    received_total: ['received_online', 'received_direct', 'received_postal', 'received_direct_or_postal', 'carried_over'],
    resolved_total: ['resolved_early', 'resolved_on_time', 'resolved_overdue'],
    pending_total: ['pending_within', 'pending_overdue'],
  };
  return parts[key].flatMap((k) => columns.filter((c) => c.key === k)).map((c) => `${columnLetter(c.col)}${row}`).join('+');
}

function writeInstructions(ws: ExcelJS.Worksheet): void {
  const lines: Cell[][] = [
    ['HƯỚNG DẪN ĐIỀN BIỂU 06a'],
    ['Điền số hồ sơ của kỳ báo cáo vào sheet "Biểu 06a"; không sửa tiêu đề cột.'],
    ['Cột', 'Ý nghĩa'],
    ['Trực tuyến', 'Hồ sơ nộp trực tuyến qua Cổng dịch vụ công'],
    ['Trực tiếp', 'Hồ sơ nộp trực tiếp tại Bộ phận một cửa'],
    ['Từ kỳ trước', 'Hồ sơ kỳ trước chuyển qua'],
    ['Quá hạn', 'Hồ sơ đã giải quyết quá hạn hoặc đang giải quyết quá hạn'],
    ['Ô để trống hoặc ghi "-" được tính là 0.'],
  ];
  lines.forEach((cells, i) => cells.forEach((v, j) => { ws.getCell(i + 1, j + 1).value = v; }));
}

function writeDetail(ws: ExcelJS.Worksheet, procedures: ReportProcedure[], v: Variant, rng: Rng): void {
  const header = ['STT', 'Mã TTHC', 'Tên TTHC', 'Mức độ', 'Trực tuyến', 'Trực tiếp', 'Bưu chính'];
  header.forEach((h, j) => { ws.getCell(1, j + 1).value = h; });
  procedures.forEach((p, i) => {
    const values: Cell[] = [i + 1, p.code, p.name, p.level || null,
      formatCount(p.online, v.numbers, 'number', rng), formatCount(p.direct, v.numbers, 'number', rng), formatCount(p.postal, v.numbers, 'number', rng)];
    values.forEach((value, j) => { if (value !== null && value !== '') ws.getCell(i + 2, j + 1).value = value; });
  });
}

function writeCsv(spec: ReportSpec, v: Variant): Buffer {
  const rng = makeRng(v.seed);
  const keys: Key[] = [
    ...(v.totalColumns ? ['received_total' as const] : []),
    'received_online',
    ...(v.desk === 'combined' ? ['received_direct_or_postal' as const]
      : ['received_direct' as const, ...(v.postalColumn ? ['received_postal' as const] : [])]),
    'carried_over',
    ...(v.totalColumns ? ['resolved_total' as const] : []),
    'resolved_early', 'resolved_on_time', 'resolved_overdue',
    ...(v.totalColumns ? ['pending_total' as const] : []),
    'pending_within', 'pending_overdue',
    ...(v.returnedPostal ? ['returned_postal' as const] : []),
  ];
  type CsvColumn = { name: string; value: (row: ReportRow, counts: Counts) => string | number | null };
  let columns: CsvColumn[] = [
    ...(v.csvUnitColumn ? [{ name: 'unit_code', value: () => spec.unit.code }] : []),
    { name: 'period', value: () => spec.period },
    { name: 'field', value: (row) => row.field },
    ...keys.map((k) => ({ name: k, value: (_: ReportRow, c: Counts) => formatCount(valueOf(c, k), v.numbers, v.zero, rng) })),
  ];
  if (v.csvExtraColumns) {
    columns.splice(1, 0, { name: 'ten_don_vi_bao_cao', value: () => spec.unit.name });
    columns.push({ name: 'ghi_chu', value: (_, c) => (valueOf(c, 'received_total') === 0 ? 'Không phát sinh' : '') });
    columns.push({ name: 'ngay_xuat', value: () => '20/06/2022 08:15' });
  }
  if (v.shuffle) columns = rng.fork('columns').shuffle(columns);
  const sep = v.csvSeparator;
  const quote = (x: string | number | null) => {
    const s = x === null ? '' : String(x);
    return v.csvQuoteAll || s.includes(sep) || s.includes('"') || /[\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const eol = v.csvCrlf ? '\r\n' : '\n';
  const lines = [columns.map((c) => quote(c.name)).join(sep)];
  spec.rows.forEach((row, i) => {
    const counts = countsAsWritten(row.counts, v);
    lines.push(columns.map((c) => {
      const typo = spec.typos?.find((t) => t.row === i && t.column === c.name);
      if (typo && typeof typo.value === 'object' && typo.value !== null) throw new Error('a CSV cell holds text only');
      return quote(typo ? (typo.value as string | number | null) : c.value(row, counts));
    }).join(sep));
  });
  return Buffer.from(`${v.csvBom ? '\uFEFF' : ''}${lines.join(eol)}${eol}`, 'utf8');
}

// ---------------------------------------------------------------------------------------------
// A realistic month: one spec per unit

export interface UnitLike {
  code: string;
  name: string;
  level?: 'department' | 'district' | 'commune';
}

const DEPARTMENT_FIELDS = [
  'Thương mại', 'Công nghiệp', 'Điện', 'Hóa chất', 'An toàn thực phẩm', 'Xúc tiến thương mại', 'Đầu tư tại Việt Nam',
  'Thành lập và hoạt động doanh nghiệp', 'Đường bộ', 'Đường thủy nội địa', 'Đăng kiểm', 'Đất đai', 'Môi trường',
  'Tài nguyên nước', 'Khoáng sản', 'Xây dựng', 'Quy hoạch - kiến trúc', 'Nhà ở', 'Lao động - tiền lương', 'Việc làm',
  'Giáo dục nghề nghiệp', 'An toàn, vệ sinh lao động', 'Khám bệnh, chữa bệnh', 'Dược phẩm', 'Y tế dự phòng',
  'Văn hóa', 'Thể dục thể thao', 'Du lịch', 'Báo chí', 'Xuất bản, in và phát hành', 'Viễn thông và Internet',
  'Công chứng', 'Luật sư', 'Lý lịch tư pháp', 'Quốc tịch', 'Trồng trọt', 'Chăn nuôi', 'Thủy sản', 'Lâm nghiệp',
  'Giáo dục và Đào tạo', 'Khoa học công nghệ', 'Tôn giáo Chính phủ', 'Thi đua - khen thưởng',
];
const LOCAL_FIELDS = [
  'Hộ tịch', 'Chứng thực', 'Đất đai', 'Xây dựng', 'Bảo trợ xã hội', 'Người có công', 'Thi đua - khen thưởng',
  'Nuôi con nuôi', 'Tôn giáo Chính phủ', 'Môi trường', 'Nông nghiệp', 'Giáo dục và Đào tạo', 'Y tế',
  'Văn hóa', 'Thành lập và hoạt động của hộ kinh doanh', 'Lưu thông hàng hóa trong nước', 'Giao thông vận tải',
  'Nhà ở', 'Tài nguyên nước', 'Phòng, chống thiên tai', 'Hòa giải cơ sở', 'Bồi thường nhà nước', 'Công chứng',
  'Lao động, tiền lương', 'Quản lý công sản', 'Tín ngưỡng', 'Gia đình', 'Thể dục, thể thao', 'Kinh tế hợp tác', 'Phổ biến giáo dục pháp luật',
];
const PROCEDURE_NAMES = [
  'Đăng ký khai sinh', 'Đăng ký kết hôn', 'Chứng thực bản sao từ bản chính', 'Cấp giấy phép xây dựng nhà ở riêng lẻ',
  'Đăng ký biến động quyền sử dụng đất', 'Cấp Giấy phép kinh doanh bán lẻ sản phẩm rượu', 'Thông báo thực hiện khuyến mại',
  'Cấp lại Giấy chứng nhận đủ điều kiện an toàn thực phẩm', 'Đăng ký hộ kinh doanh', 'Trợ cấp xã hội hằng tháng',
];

function levelOf(u: UnitLike): 'department' | 'district' | 'commune' {
  if (u.level) return u.level;
  return u.code.startsWith('S') ? 'department' : u.code.startsWith('H') ? 'district' : 'commune';
}

/** log-uniform in [min, max]: most units small, a few large, like the real volumes. */
function logUniform(rng: Rng, min: number, max: number): number {
  return Math.round(Math.exp(Math.log(min) + rng.next() * (Math.log(max) - Math.log(min))));
}

/** A realistic mix of variants for one file. */
export function randomVariant(rng: Rng, unitLevel: 'department' | 'district' | 'commune' = 'commune'): Variant {
  const layout = rng.chance(0.2) ? 'csv' : '06a';
  const desk = rng.chance(0.45) ? 'combined' : 'separate';
  const totalRow = rng.pick(['values', 'values', 'values', 'formulas', 'formulas', 'none'] as const);
  return {
    ...DEFAULT_VARIANT,
    layout,
    headerRows: rng.pick([3, 3, 2, 2, 1] as const),
    desk,
    postalColumn: rng.chance(0.85),
    totalColumns: rng.chance(0.75),
    rowTotalFormulas: rng.chance(0.15),
    returnedPostal: rng.chance(0.3),
    merged: rng.chance(0.75),
    shuffle: rng.chance(0.1),
    origin: rng.chance(0.8) ? { row: 1, col: 1 } : { row: rng.int(1, 4), col: rng.int(1, 4) },
    columnNumbers: rng.chance(0.5),
    totalRow,
    totalFirst: rng.chance(0.05),
    totalLabel: rng.pick(['Tổng cộng', 'Tổng cộng', 'Tổng số', 'Cộng', 'TỔNG CỘNG']),
    numbers: rng.chance(0.7) ? 'number' : rng.pick(['text', 'dots', 'commas', 'spaces', 'padded', 'mixed'] as const),
    zero: rng.pick(['number', 'number', 'number', 'dash', 'dash', 'empty'] as const),
    title: rng.pick(['range', 'range', 'range', 'month', 'period', 'dates'] as const),
    unitPrefix: unitLevel !== 'department' && rng.chance(0.6),
    unitUpper: rng.chance(0.1),
    unitAscii: rng.chance(0.1),
    unitNfd: rng.chance(0.05),
    codeLine: rng.chance(0.5),
    headerText: rng.pick(['normal', 'normal', 'normal', 'normal', 'normal', 'upper', 'ascii'] as const),
    fieldHeader: rng.pick(['Lĩnh vực giải quyết', 'Lĩnh vực', 'Tên lĩnh vực']),
    postalHeader: rng.pick(['Dịch vụ bưu chính công ích', 'Bưu chính', 'BCCI']),
    carriedHeader: rng.pick(['Từ kỳ trước', 'Kỳ trước chuyển qua']),
    instructionSheet: rng.chance(0.15),
    blankRows: rng.chance(0.1),
    signature: rng.chance(0.8),
    detailSheet: rng.chance(0.25),
    csvSeparator: rng.chance(0.4) ? ';' : ',',
    csvBom: rng.chance(0.5),
    csvQuoteAll: rng.chance(0.3),
    csvExtraColumns: rng.chance(0.3),
    csvUnitColumn: rng.chance(0.9),
    csvCrlf: rng.chance(0.5),
    seed: rng.int(1, 2 ** 31),
  };
}

/**
 * One report spec per unit for a period, with realistic sizes (departments up to tens of
 * thousands of dossiers a month, districts thousands, communes tens to hundreds; 3–30 field
 * rows) and a realistic mix of variants. Units whose name is shared by another unit always
 * carry a "Mã đơn vị" line. Read each file with its unit's code as the uploader (the S3
 * prefix): like real exports, a few CSV files have no unit_code column.
 */
export function realisticMonth(seed: number | string, units: readonly UnitLike[], period: string): ReportSpec[] {
  const names = new Map<string, number>();
  for (const u of units) names.set(looseKey(u.name), (names.get(looseKey(u.name)) ?? 0) + 1);
  return units.map((unit) => {
    const rng = makeRng(`${seed}/${unit.code}/${period}`);
    const level = levelOf(unit);
    const [monthly, fieldsMin, fieldsMax, fieldPool] = level === 'department'
      ? [logUniform(rng, 30, 40_000), 4, 30, DEPARTMENT_FIELDS]
      : level === 'district' ? [logUniform(rng, 400, 8_000), 8, 30, LOCAL_FIELDS] : [logUniform(rng, 20, 600), 3, 12, LOCAL_FIELDS];
    // Spread so that some units beat their targets and some do not, as the plan expects by late 2022.
    const onlineShare = level === 'department' ? 0.4 + 0.6 * rng.next() : 0.15 + 0.8 * rng.next();
    const fields = rng.shuffle(fieldPool).slice(0, rng.int(fieldsMin, Math.min(fieldsMax, fieldPool.length)));
    // Skewed weights: a few fields carry most dossiers; some have none this month.
    const weights: number[] = fields.map(() => (rng.chance(0.15) ? 0 : rng.next() ** 3));
    if (!weights.some((w) => w > 0)) weights[0] = 1;
    const sum = weights.reduce((a, b) => a + b, 0);
    const rows = fields.map((field, i) => ({ field, counts: randomCounts(rng, (monthly * weights[i]) / sum, { onlineShare }) }));
    const variant = randomVariant(rng, level);
    if ((names.get(looseKey(unit.name)) ?? 0) > 1) variant.codeLine = variant.csvUnitColumn = true;
    let specRows = rows;
    if (variant.layout === 'csv' && rng.chance(0.15)) {
      // Systems that export one line for the whole unit.
      const all = rows.map((r) => r.counts).reduce(addCounts, zeroCounts());
      specRows = [{ field: 'Tất cả lĩnh vực', counts: all }];
    }
    const procedures = variant.detailSheet ? randomProcedures(rng, specRows) : undefined;
    return { unit: { code: unit.code, name: unit.name }, period, rows: specRows, procedures, variant };
  });
}

/** What the spec's unit leaves pending at the end of its period: the next period's "Từ kỳ trước". */
export function pendingOf(spec: ReportSpec): number {
  return spec.rows.reduce((s, r) => s + r.counts.pending_within + r.counts.pending_overdue, 0);
}

/**
 * The spec with "Từ kỳ trước" continuing the period before: `pending` dossiers carried over in
 * all, spread over the rows as they carried (or received) them, each row kept balanced (what
 * more is carried is resolved on time; what less, is taken from what was resolved or pending).
 * realisticMonth draws each month on its own, so two months in a row would not follow.
 */
export function carryingOver(spec: ReportSpec, pending: number): ReportSpec {
  const carried = spec.rows.reduce((s, r) => s + r.counts.carried_over, 0);
  const weights = spec.rows.map((r) => (carried > 0 ? r.counts.carried_over : r.counts.received_online + r.counts.received_direct + (r.counts.received_postal ?? 0)));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return spec; // nothing received: a row of zeros carries nothing
  let left = pending;
  const rows = spec.rows.map((r, i) => {
    const c = { ...r.counts };
    const share = i === spec.rows.length - 1 ? left : Math.min(left, Math.round((pending * weights[i]) / total));
    left -= share;
    let delta = share - c.carried_over;
    c.carried_over = share;
    if (delta >= 0) c.resolved_on_time += delta;
    for (const k of ['resolved_on_time', 'pending_within', 'resolved_early', 'resolved_overdue', 'pending_overdue'] as const) {
      if (delta >= 0) break;
      const take = Math.min(c[k], -delta);
      c[k] -= take;
      delta += take;
    }
    if (c.returned_postal !== null) c.returned_postal = Math.min(c.returned_postal, c.resolved_early + c.resolved_on_time + c.resolved_overdue);
    return { ...r, counts: c };
  });
  return { ...spec, rows };
}

function randomProcedures(rng: Rng, rows: ReportRow[]): ReportProcedure[] {
  const online = rows.reduce((s, r) => s + r.counts.received_online, 0);
  const direct = rows.reduce((s, r) => s + r.counts.received_direct, 0);
  return rng.shuffle(PROCEDURE_NAMES).slice(0, rng.int(2, 8)).map((name, i) => ({
    code: rng.chance(0.8) ? `1.${String(rng.int(1, 12999)).padStart(6, '0')}` : null,
    name,
    level: rng.pick(['Toàn trình', 'Một phần', 'Mức độ 4', 'Mức độ 3', ''] as const),
    online: Math.round((online / 10) * rng.next()),
    direct: i === 0 ? 1 : Math.round((direct / 10) * rng.next()),
    postal: rng.chance(0.2) ? rng.int(0, 3) : 0,
  }));
}

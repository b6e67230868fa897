// The blank report a clerk downloads: Biểu 06a (or the CSV template) already naming the unit,
// its code and the period, so what comes back is read without guessing. The reader accepts
// it once the clerk types the fields and numbers in (tests/portal/template.test.ts).
import { loadExcelJS } from '../report-file/xlsx.ts';
import { formatDate, periodBounds, periodLabel, type PeriodConfig } from '../period.ts';
import type { Unit } from '../units/unit.ts';

export type TemplateFormat = 'xlsx' | 'csv';

export interface TemplateFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

/** Layout B's header (report-format.md), in the contract's order. */
export const CSV_TEMPLATE_COLUMNS = [
  'unit_code', 'period', 'field', 'received_online', 'received_direct', 'received_postal', 'carried_over',
  'resolved_early', 'resolved_on_time', 'resolved_overdue', 'pending_within', 'pending_overdue', 'returned_postal',
] as const;

/** Biểu 06a's table: group → leaf, read by the reader as a tree (the two "Quá hạn" differ by group). */
const GROUPS: Array<{ title: string; leaves: string[] }> = [
  { title: 'Lĩnh vực', leaves: [] },
  { title: 'Số hồ sơ nhận giải quyết', leaves: ['Trực tuyến', 'Trực tiếp', 'Dịch vụ bưu chính công ích', 'Từ kỳ trước'] },
  { title: 'Số hồ sơ đã giải quyết', leaves: ['Trước hạn', 'Đúng hạn', 'Quá hạn'] },
  { title: 'Số hồ sơ đang giải quyết', leaves: ['Trong hạn', 'Quá hạn'] },
  { title: 'Trả kết quả qua bưu chính', leaves: [] },
];

/** Empty rows left for the fields (lĩnh vực); more can be inserted. */
const BLANK_ROWS = 12;

export async function buildTemplate(unit: Unit, period: string, format: TemplateFormat, periods: PeriodConfig): Promise<TemplateFile> {
  const base = `bieu-06a-${unit.code}-${period}`;
  if (format === 'csv') {
    // One line for the unit as a whole; a clerk may copy it per field. BOM: Excel opens it as UTF-8.
    const row = [unit.code, period, '', ...Array(CSV_TEMPLATE_COLUMNS.length - 3).fill('')];
    return {
      fileName: `${base}.csv`,
      contentType: 'text/csv; charset=utf-8',
      bytes: Buffer.from(`\ufeff${CSV_TEMPLATE_COLUMNS.join(',')}\r\n${row.join(',')}\r\n`, 'utf8'),
    };
  }
  const { from, to } = periodBounds(period, periods);
  const book = new (await loadExcelJS()).Workbook();
  const sheet = book.addWorksheet('Biểu 06a');
  const lines = [
    'Biểu số II.06a/VPCP/KSTT',
    'TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC',
    `Đơn vị báo cáo: ${unit.name}`,
    `Mã đơn vị: ${unit.code}`,
    `Kỳ báo cáo: ${periodLabel(period)} (từ ngày ${formatDate(from)} đến ngày ${formatDate(to)})`,
    'Đơn vị tính: Số hồ sơ TTHC',
  ];
  for (const line of lines) sheet.addRow([line]);
  sheet.addRow([]);

  const headTop = sheet.rowCount + 1;
  const top: string[] = [];
  const leaf: string[] = [];
  for (const g of GROUPS) {
    if (g.leaves.length === 0) {
      top.push(g.title);
      leaf.push('');
    } else {
      for (const [i, l] of g.leaves.entries()) {
        top.push(i === 0 ? g.title : '');
        leaf.push(l);
      }
    }
  }
  sheet.addRow(top);
  sheet.addRow(leaf);
  let col = 1;
  for (const g of GROUPS) {
    if (g.leaves.length === 0) sheet.mergeCells(headTop, col, headTop + 1, col);
    else if (g.leaves.length > 1) sheet.mergeCells(headTop, col, headTop, col + g.leaves.length - 1);
    col += Math.max(1, g.leaves.length);
  }
  const width = leaf.length;
  for (let r = headTop; r <= headTop + 1; r++) {
    const row = sheet.getRow(r);
    row.font = { bold: true };
    row.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  }
  for (let i = 0; i < BLANK_ROWS; i++) sheet.addRow([]);
  const thin = { style: 'thin' as const };
  for (let r = headTop; r <= headTop + 1 + BLANK_ROWS; r++) {
    for (let c = 1; c <= width; c++) sheet.getCell(r, c).border = { top: thin, left: thin, bottom: thin, right: thin };
  }
  sheet.getColumn(1).width = 34;
  for (let c = 2; c <= width; c++) sheet.getColumn(c).width = 13;
  sheet.views = [{ state: 'frozen', ySplit: headTop + 1 }];
  return {
    fileName: `${base}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    bytes: Buffer.from(await book.xlsx.writeBuffer()),
  };
}

// Decoding: bytes → what kind of file → its sheets (a workbook's, through the zip guard) or
// a CSV's rows as one sheet. Nothing here knows what a report says.
import { parseCsv, TooManyRecords, UnterminatedQuote } from '../csv.ts';
import { fileIssue, type FileIssue } from './file-issue.ts';
import { detectFileKind } from './file-type.ts';
import { cellTextCapped, type Sheet } from './grid.ts';
import { DEFAULT_ZIP_LIMITS, inspectXlsxZip, type ZipLimits } from './zip-guard.ts';
import { readXlsxSheets } from './xlsx.ts';

export type Decoded =
  | { ok: true; sheets: Sheet[] }
  | { ok: false; errors: FileIssue[] };

/** Lines a CSV report may have: a unit has at most a few thousand procedures. */
export const MAX_CSV_ROWS = 50_000;
const ACCEPTED_TYPES = 'Chỉ nhận tệp Excel .xlsx (Excel 2007 trở lên) hoặc .csv (UTF-8).';

const UNSUPPORTED_MESSAGES: Record<string, string> = {
  xls: `Tệp là Excel 97-2003 (.xls). Mở bằng Excel và "Lưu thành" .xlsx rồi gửi lại. ${ACCEPTED_TYPES}`,
  ods: `Tệp là bảng tính OpenDocument (.ods). Lưu lại dạng .xlsx rồi gửi lại. ${ACCEPTED_TYPES}`,
  pdf: `Tệp là PDF: không đọc được số liệu. ${ACCEPTED_TYPES}`,
  docx: `Tệp là văn bản Word. ${ACCEPTED_TYPES}`,
  zip: `Tệp nén không phải bảng tính Excel. ${ACCEPTED_TYPES}`,
  binary: `Không nhận dạng được loại tệp. ${ACCEPTED_TYPES}`,
  encrypted: 'Tệp Excel có đặt mật khẩu: gỡ mật khẩu (Excel: Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu), lưu rồi gửi lại.',
  empty: 'Tệp rỗng (0 byte).',
};

const failed = (...errors: FileIssue[]): Decoded => ({ ok: false, errors });

export async function decodeFile(bytes: Buffer, zipLimits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<Decoded> {
  const kind = detectFileKind(bytes);
  if (kind.kind === 'unsupported') {
    return failed(fileIssue(kind.detected === 'encrypted' ? 'file_encrypted' : 'unsupported_type', UNSUPPORTED_MESSAGES[kind.detected]));
  }
  if (kind.kind === 'bad_encoding') {
    return failed(kind.detected === 'utf16'
      ? fileIssue('csv_not_utf8', 'Tệp CSV được lưu dạng UTF-16 ("Unicode Text"), không phải UTF-8. Trong Excel chọn "Lưu thành" → "CSV UTF-8 (phân cách bằng dấu phẩy)" rồi gửi lại.')
      : fileIssue('csv_encoding', 'Tệp CSV không phải mã UTF-8 (có thể là TCVN3/VNI hoặc Windows-1258). Lưu lại dạng "CSV UTF-8" rồi gửi lại.'));
  }
  if (kind.kind === 'xlsx') {
    const verdict = inspectXlsxZip(bytes, zipLimits);
    if (!verdict.ok) {
      return failed(verdict.reason === 'corrupt'
        ? fileIssue('xlsx_corrupt', 'Tệp Excel bị hỏng, không mở được. Mở lại bằng Excel, lưu rồi gửi lại.')
        : fileIssue('xlsx_too_large', `Tệp Excel chứa dữ liệu quá lớn khi giải nén (${verdict.detail}): không phải một báo cáo tháng. Chỉ gửi biểu báo cáo.`));
    }
    try {
      return { ok: true, sheets: await readXlsxSheets(bytes) };
    } catch {
      return failed(fileIssue('xlsx_corrupt', 'Tệp Excel bị hỏng, không mở được. Mở lại bằng Excel, lưu rồi gửi lại.'));
    }
  }
  let records: string[][];
  try {
    records = parseCsv(kind.text, undefined, MAX_CSV_ROWS);
  } catch (e) {
    if (e instanceof UnterminatedQuote) {
      return failed(fileIssue('csv_unterminated_quote',
        `Dấu ngoặc kép (") mở ở dòng ${e.line} không được đóng, nên phần còn lại của tệp thành một ô. Thêm dấu " đóng ô đó (hoặc bỏ dấu " mở) rồi gửi lại.`,
        { sheet: null, row: e.line }));
    }
    if (!(e instanceof TooManyRecords)) throw e;
    return failed(fileIssue('csv_too_large', `Tệp CSV có hơn ${MAX_CSV_ROWS.toLocaleString('vi-VN')} dòng: không phải một báo cáo tháng.`));
  }
  // 1-based rows and columns, like a sheet; in place, not a second copy of every line.
  const rows: Sheet['rows'] = [undefined];
  for (const record of records as Array<Array<string | null>>) {
    for (let i = 0; i < record.length; i++) record[i] = cellTextCapped(record[i]!);
    record.unshift(null);
    rows.push(record);
  }
  return { ok: true, sheets: [{ name: '', rows, csv: true }] };
}

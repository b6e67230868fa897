// What a unit is told about each upload: a JSON result for systems, a short Vietnamese
// text for the clerk (written next to each other under results/<unit>/).
import { formatDate, periodBounds, type PeriodConfig } from '../period.ts';
import { describeReading } from '../report-file/describe.ts';
import { capText } from '../report-file/file-issue.ts';
import { periodLabel } from '../period.ts';
import type { UnitRegistry } from '../units/registry.ts';
import type { UploadRecord } from './upload.ts';
import { feedbackKeysFor, parseUploadKey, UNRECOGNISED_UNIT } from '../bucket-layout.ts';

export function feedbackKeys(record: Pick<UploadRecord, 'unit' | 'uploadId'>): { json: string; text: string } {
  return feedbackKeysFor(record.unit, record.uploadId);
}

/** The result object; its shape follows `tthc check --json`. */
export function feedbackJson(r: UploadRecord) {
  return {
    upload_id: r.uploadId,
    file: r.key,
    status: r.outcome,
    unit: r.unit,
    period: r.period,
    period_from_file: r.periodFromFile,
    received_at: r.eventTime,
    layout: r.layout,
    counts: r.counts,
    warnings: r.warnings,
    errors: r.errors,
  };
}

const VERDICTS = {
  accepted: 'ĐÃ TIẾP NHẬN. Số liệu này là báo cáo của đơn vị cho kỳ.',
  unchanged: 'KHÔNG THAY ĐỔI: tệp giống hệt lần gửi trước, số liệu giữ nguyên.',
  rejected: 'BỊ TỪ CHỐI. Không số liệu nào của tệp này được ghi nhận.',
} as const;

const SUPERSEDED = 'HỢP LỆ, nhưng đơn vị đã gửi một bản mới hơn cho kỳ này: số liệu của bản mới hơn được dùng.';

const timeFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric',
});

/** superseded: accepted, but a newer upload of the unit for the period had already arrived. */
export function feedbackText(r: UploadRecord, registry: UnitRegistry, periods: PeriodConfig, superseded = false): string {
  const unrecognised = r.unit === UNRECOGNISED_UNIT;
  const unit = unrecognised ? undefined : registry.get(r.unit);
  const bounds = periodBounds(r.period, periods);
  const folder = parseUploadKey(r.key)?.folder;
  const lines = [
    'KẾT QUẢ TIẾP NHẬN BÁO CÁO HỒ SƠ TTHC',
    `Đơn vị: ${unit ? `${unit.name} (${unit.code})` : unrecognised ? `không xác định (thư mục "${capText(folder ?? '', 60)}")` : r.unit}`,
    `Tệp: ${r.fileName}, nhận lúc ${timeFormat.format(new Date(r.eventTime))}`,
    `Kỳ báo cáo: ${periodLabel(r.period)} (từ ${formatDate(bounds.from)} đến ${formatDate(bounds.to)})${r.periodFromFile ? '' : ', theo thời điểm gửi vì tệp không ghi được kỳ'}`,
    `Kết quả: ${superseded && r.outcome !== 'rejected' ? SUPERSEDED : VERDICTS[r.outcome]}`,
    '',
    ...describeReading(r.fileName, { ...r, unit: unrecognised ? null : r.unit, status: r.outcome === 'rejected' ? 'rejected' : 'accepted' }, registry),
  ];
  if (r.outcome === 'rejected') {
    lines.push('', 'Sửa các lỗi trên rồi tải lên lại tệp. Báo cáo hợp lệ đã gửi trước đó (nếu có) vẫn được giữ nguyên.');
  }
  lines.push('', `Mã lần gửi: ${r.uploadId}`);
  return `${lines.join('\n')}\n`;
}

/** The verdict and the issues, nothing worked out from the period: the fallback when the full text cannot be built. */
export function plainFeedbackText(r: UploadRecord): string {
  const lines = [
    'KẾT QUẢ TIẾP NHẬN BÁO CÁO HỒ SƠ TTHC',
    `Tệp: ${r.fileName}`,
    `Kết quả: ${VERDICTS[r.outcome]}`,
    ...r.errors.map((e) => `    Lỗi: ${e.message} (mã lỗi: ${e.code})`),
    ...r.warnings.map((w) => `    Lưu ý: ${w.message} (mã lưu ý: ${w.code})`),
    '',
    `Mã lần gửi: ${r.uploadId}`,
  ];
  return `${lines.join('\n')}\n`;
}

// A reading in plain Vietnamese, for the clerk: what was counted, or what to fix and where.
import { periodLabel } from '../period.ts';
import type { UnitRegistry } from '../units/registry.ts';
import { describeLocation, type FileIssue } from './file-issue.ts';
import type { SubmissionReading } from './read-report.ts';

const number = new Intl.NumberFormat('vi-VN');

function where(i: FileIssue): string {
  const loc = describeLocation(i);
  return loc ? ` (${loc})` : '';
}

/** Lines describing a reading; the first line is the verdict. */
export function describeReading(file: string, r: Pick<SubmissionReading, 'status' | 'unit' | 'period' | 'counts' | 'errors' | 'warnings'>, registry: UnitRegistry, verdict?: string): string[] {
  const unit = r.unit ? registry.get(r.unit) : undefined;
  const who = unit ? `${unit.name} (${unit.code})` : r.unit ?? 'không rõ đơn vị';
  const when = r.period ? `kỳ ${periodLabel(r.period)}` : 'không rõ kỳ';
  const lines: string[] = [];
  if (r.status !== 'rejected' && r.counts) {
    const c = r.counts;
    lines.push(`✔ ${file}: ${who}, ${when}: ${verdict ?? 'hợp lệ'}`);
    lines.push(`    Tiếp nhận: trực tuyến ${number.format(c.received_online)}, trực tiếp ${number.format(c.received_direct)}` +
      `${c.received_postal === null ? ' (gồm cả bưu chính)' : `, bưu chính ${number.format(c.received_postal)}`}` +
      `, kỳ trước chuyển qua ${number.format(c.carried_over)}`);
    lines.push(`    Đã giải quyết: trước hạn ${number.format(c.resolved_early)}, đúng hạn ${number.format(c.resolved_on_time)}, quá hạn ${number.format(c.resolved_overdue)}` +
      ` · Đang giải quyết: trong hạn ${number.format(c.pending_within)}, quá hạn ${number.format(c.pending_overdue)}`);
  } else {
    lines.push(`✘ ${file}: ${who}, ${when}: ${verdict ?? `bị từ chối (${r.errors.length} lỗi), không số liệu nào được ghi nhận`}`);
  }
  // The clerk reads the sentence; the English code comes last, for whoever helps them.
  for (const e of r.errors) lines.push(`    Lỗi${where(e)}: ${e.message} (mã lỗi: ${e.code})`);
  for (const w of r.warnings) lines.push(`    Lưu ý${where(w)}: ${w.message} (mã lưu ý: ${w.code})`);
  return lines;
}

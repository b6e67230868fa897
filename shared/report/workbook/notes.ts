// Ghi chú: how each figure is computed, in the leadership's words.
import type ExcelJS from 'exceljs';
import { formatDate, periodLabel } from '../../period.ts';
import { dateRange, int } from '../format.ts';
import type { LeadershipReport } from '../period-report.ts';
import { rangeDescription, type RangeReport } from '../range-report.ts';
import { notComparableText } from './summary.ts';
import { line, localTime, newSheet, SHEETS, style, thin } from './layout.ts';

/** Units named in the notes when no more than this have no target; more are counted. */
const NO_TARGET_NAMED = 10;

/**
 * Who is not ranked: the units without a target are those of this report (the targets in force),
 * named when few, counted when many; "theo Phụ lục 2" only when the 2022 plan's targets are the ones in force.
 */
function notRanked(r: LeadershipReport): string {
  const none = r.rows.filter((x) => x.targetPct === null).map((x) => x.unit.name);
  const rest = 'không phát sinh hồ sơ mới, hoặc chưa có báo cáo hợp lệ trong kỳ tính lũy kế';
  // Those with a target are counted chưa đạt on Tổng hợp, and their Kết quả says so.
  const notMet = '. Đơn vị có chỉ tiêu mà không phát sinh hồ sơ hoặc chưa có số liệu lũy kế được tính là chưa đạt (cột Kết quả ghi "Chưa đạt (…)")';
  if (!none.length) return `Đơn vị ${rest} (mọi đơn vị đều được giao chỉ tiêu)${notMet}`;
  const which = none.length <= NO_TARGET_NAMED
    ? `${none.join(', ')}${r.targetSource.builtin ? ' theo Phụ lục 2' : ''}`
    : `${int(none.length)} đơn vị, ghi "Không giao chỉ tiêu" ở cột Kết quả của các trang tính xếp hạng`;
  return `Đơn vị không được giao chỉ tiêu (${which}), ${rest}${notMet}`;
}

/** range: a quarter's or a year's workbook, whose other sheets are its last period's. */
export function notesSheet(wb: ExcelJS.Workbook, r: LeadershipReport, range?: RangeReport) {
  const ws = newSheet(wb, SHEETS.notes);
  ws.getColumn(1).width = 34;
  ws.getColumn(2).width = 110;
  const comparedText = notComparableText(r, range ? range.levels : r.levels);
  line(ws, 1, 1, 2, 'GHI CHÚ VỀ SỐ LIỆU', { bold: true, size: 14, align: 'center' });
  const notes: Array<[string, string]> = [
    ...(range ? [['Phạm vi báo cáo', `${rangeDescription(range)}. Tỷ lệ cả ${range.range.kind === 'year' ? 'năm' : 'quý'} tính trên số hồ sơ cộng dồn các kỳ trong phạm vi; các trang tính xếp hạng, chưa báo cáo, quá hạn, thí điểm là của kỳ cuối; mỗi kỳ có hạn nộp riêng, như kỳ cuối: trước 00:00 ngày ${formatDate(r.dueDate)}`] as [string, string]] : []),
    [range ? 'Kỳ cuối' : 'Kỳ báo cáo', `Tháng ${periodLabel(r.period)}: ${dateRange(r.bounds)} (${r.plan.sources.period})`],
    ['Số liệu tính đến', `${localTime(r.asOf, r.timeZone)} (giờ Việt Nam)`],
    ['Số báo cáo hợp lệ của kỳ', `${int(r.sourceFiles)} báo cáo / ${int(r.rows.length)} đơn vị`],
    ['Kỳ tính lũy kế', `Từ kỳ ${periodLabel(r.ytdFrom)} đến kỳ ${periodLabel(r.period)}; tỷ lệ lũy kế tính trên tổng số hồ sơ cộng dồn, không lấy trung bình tỷ lệ các tháng`],
    ['Tỷ lệ hồ sơ trực tuyến', 'Hồ sơ tiếp nhận trực tuyến / (trực tuyến + trực tiếp + bưu chính công ích) của hồ sơ mới trong kỳ; không tính hồ sơ kỳ trước chuyển qua'],
    ['Tỷ lệ quá hạn', 'Hồ sơ giải quyết quá hạn / tổng số hồ sơ đã giải quyết; tỷ lệ đúng hạn = (trước hạn + đúng hạn) / đã giải quyết'],
    ['Chênh lệch', `Tỷ lệ trực tuyến lũy kế − chỉ tiêu được giao${r.targetSource.builtin ? ' (Phụ lục 2)' : ''}, tính bằng điểm phần trăm; "Đạt" khi chênh lệch ≥ 0`],
    ['Xếp hạng', 'Theo chênh lệch giảm dần; bằng nhau thì theo tỷ lệ lũy kế, rồi số hồ sơ mới (nhiều hơn xếp trước), rồi mã đơn vị. Đơn vị bằng nhau cả chênh lệch, tỷ lệ và số hồ sơ thì đồng hạng'],
    ['Xếp hạng quá hạn', 'Theo tỷ lệ quá hạn lũy kế tăng dần (thấp xếp trước); bằng nhau (chẳng hạn cùng 0%) thì theo tỷ lệ trực tuyến lũy kế, rồi số hồ sơ mới, rồi mã đơn vị, đồng hạng như trên. Đơn vị chưa giải quyết hồ sơ nào không có tỷ lệ để xếp; nếu có hồ sơ đang quá hạn thì được liệt kê dưới bảng'],
    ['Không xếp hạng', notRanked(r)],
    ['Tình trạng báo cáo', `Đúng hạn: có báo cáo hợp lệ trước 00:00 ngày ${formatDate(r.dueDate)}; Nộp muộn: từ ngày đó trở đi (vẫn được tính); Chưa báo cáo: chưa có báo cáo hợp lệ`],
    ['Thí điểm chỉ tiếp nhận trực tuyến', r.plan.pilot.length
      ? `Thủ tục thuộc ${r.plan.sources.pilot} có hồ sơ trực tiếp hoặc qua bưu chính trong kỳ; so khớp theo tên thủ tục`
      : r.plan.pilotAbsent ?? `${r.plan.citationShort} không có danh mục thủ tục thí điểm chỉ tiếp nhận trực tuyến`],
    ['Điều chỉnh số liệu', 'Báo cáo đơn vị gửi lại cho kỳ đã tổng hợp gửi lãnh đạo, nhận từ lần gửi báo cáo trước: số liệu đã báo cáo và số liệu điều chỉnh; số liệu tổng hợp, lũy kế và xếp hạng dùng số liệu điều chỉnh'],
    ['Kiểm tra số liệu', 'Báo cáo trong kỳ có số liệu bất thường so với các kỳ trước của chính đơn vị, số tiếp nhận không cân đối, số liệu trùng khớp hoàn toàn với báo cáo kỳ trước hoặc với báo cáo của đơn vị khác, hoặc số "Từ kỳ trước" khác số đang giải quyết cuối kỳ trước (vẫn được tính và xếp hạng như đã gửi, đánh dấu (*) ở trang xếp hạng); báo cáo đã lưu có số liệu không hợp lệ (không được tính vào tổng hợp)'],
    ...(r.formerUnitReports ? [['Đơn vị đã thôi hoạt động', `Số liệu lũy kế toàn thành phố và từng cấp gồm cả ${int(r.formerUnitReports)} báo cáo của các đơn vị đã thôi hoạt động, trong các kỳ đơn vị đó còn hoạt động (không có đơn vị nào kế thừa); các báo cáo này không thuộc dòng đơn vị nào nên tổng của các dòng có thể nhỏ hơn số toàn thành phố`] as [string, string]] : []),
    ...(comparedText ? [['So sánh với kỳ trước', comparedText] as [string, string]] : []),
    ['Nguồn chỉ tiêu', r.targetSource.text],
    ...(r.plan.collector ? [['Tiếp nhận, tổng hợp báo cáo', `Báo cáo của các đơn vị gửi qua ${r.plan.collector} (${r.plan.citationShort})`] as [string, string]] : []),
  ];
  notes.forEach(([k, v], i) => {
    const a = ws.getCell(3 + i, 1);
    const b = ws.getCell(3 + i, 2);
    a.value = k;
    b.value = v;
    style(a, { bold: true, size: 11, wrap: true });
    style(b, { size: 11, wrap: true });
    a.border = thin();
    b.border = thin();
    // Wrapped text needs the row's height set (Excel and LibreOffice keep the default): ~115 characters a line.
    ws.getRow(3 + i).height = 15 * Math.max(1, Math.ceil(v.length / 115)) + 2;
  });
}

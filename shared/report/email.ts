// The leadership email: a Vietnamese subject with the city's rate ("47,3%"), a short HTML
// body (city rate, units đạt / chưa đạt, missing units, top and bottom units) and the
// workbook attached.
import { escapeHtml } from '../text.ts';
import type { MailMessage } from '../ports.ts';
import { LEVEL_NAMES, LEVELS } from '../units/unit.ts';
import { dateRange, int, pct, pp } from './format.ts';
import { periodLabel } from '../period.ts';
import type { PeriodReport, RankEntry } from './period-report.ts';
import { workbookFileName } from './workbook.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TOP = 5;

export function emailSubject(r: PeriodReport): string {
  return `[DVC] Báo cáo tháng ${periodLabel(r.period)} — tỷ lệ trực tuyến ${pct(r.totals.city.periodRates.onlineRate)}`;
}

function rankList(entries: RankEntry[]): string {
  return `<ol style="margin:4px 0 12px 20px;padding:0">${entries.map((e) =>
    `<li>${escapeHtml(e.name)}: lũy kế ${pct(e.ytd_online_rate)}, chỉ tiêu ${pct(e.target_pct / 100)} (${pp(e.gap_pp)} điểm %)</li>`).join('')}</ol>`;
}

export function leadershipEmail(r: PeriodReport, recipients: string[], workbook: Buffer): MailMessage {
  const city = r.totals.city;
  const names = new Map(r.rows.map((x) => [x.unit.code, x.unit.name]));
  const missing = r.missing.map((code) => names.get(code) ?? code);
  const ranking = r.ranking.city;
  const top = ranking.slice(0, TOP);
  const bottom = ranking.length > TOP ? ranking.slice(-TOP).reverse() : [];
  const change = city.periodRates.onlineRate !== null && city.previousPeriodRate !== null
    ? ` (${pp((city.periodRates.onlineRate - city.previousPeriodRate) * 100)} điểm % so với kỳ trước)` : '';
  const floorText = `mức tối thiểu ${Math.round(r.floor * 100)}%`;
  const ytd = city.ytdRates.onlineRate;

  const levelRows = LEVELS.map((l) => {
    const t = r.totals.levels[l];
    return `<tr><td style="padding:2px 8px">${LEVEL_NAMES[l]}</td><td style="padding:2px 8px;text-align:right">${pct(t.periodRates.onlineRate)}</td>` +
      `<td style="padding:2px 8px;text-align:right">${pct(t.ytdRates.onlineRate)}</td><td style="padding:2px 8px;text-align:right">${int(t.unitsMet)}</td>` +
      `<td style="padding:2px 8px;text-align:right">${int(t.unitsNotMet)}</td><td style="padding:2px 8px;text-align:right">${int(t.unitsNoTarget)}</td>` +
      `<td style="padding:2px 8px;text-align:right">${int(t.unitsTotal)}</td><td style="padding:2px 8px;text-align:right">${int(t.unitsNotReported)}</td></tr>`;
  }).join('');

  // Figures the leadership should weigh: corrections to published periods, reports to check.
  const checkLines = [
    r.corrections.length ? `${int(r.corrections.length)} báo cáo điều chỉnh số liệu sau khi đã báo cáo (sheet "Điều chỉnh số liệu")` : null,
    r.quality.length ? `${int(r.quality.length)} nội dung cần kiểm tra số liệu (sheet "Kiểm tra số liệu")` : null,
  ].filter((x): x is string => x !== null);
  const checks = checkLines.length ? `<p><b>Lưu ý:</b> ${checkLines.join('; ')}.</p>` : '';

  const html = `<!doctype html><html lang="vi"><body style="font-family:'Times New Roman',serif;font-size:15px;color:#111">
<p>Kính gửi Lãnh đạo UBND thành phố,</p>
<p>Kết quả tiếp nhận hồ sơ thủ tục hành chính trực tuyến kỳ tháng ${periodLabel(r.period)} (${dateRange(r.bounds)}) theo Kế hoạch số 128/KH-UBND:</p>
<ul>
<li>Tỷ lệ hồ sơ trực tuyến toàn thành phố trong kỳ: <b>${pct(city.periodRates.onlineRate)}</b>${change}; ${int(city.periodRates.newDossiers)} hồ sơ mới, trong đó ${int(city.period?.received_online ?? 0)} hồ sơ trực tuyến.</li>
<li>Lũy kế từ kỳ ${periodLabel(r.ytdFrom)}: <b>${pct(ytd)}</b>, ${ytd === null ? '' : ytd >= r.floor ? `đạt ${floorText}` : `chưa đạt ${floorText}`} của Kế hoạch.</li>
<li>${int(city.unitsTotal)} đơn vị: đạt chỉ tiêu được giao <b>${int(city.unitsMet)}</b>; chưa đạt <b>${int(city.unitsNotMet)}</b>; không giao chỉ tiêu <b>${int(city.unitsNoTarget)}</b>. Trong đó chưa báo cáo kỳ này: <b>${int(city.unitsNotReported)}</b>.</li>
</ul>
<table style="border-collapse:collapse;font-size:14px" border="1"><tr style="background:#ddebf7"><th style="padding:2px 8px">Cấp</th><th style="padding:2px 8px">Tỷ lệ trong kỳ</th><th style="padding:2px 8px">Lũy kế</th><th style="padding:2px 8px">Đạt</th><th style="padding:2px 8px">Chưa đạt</th><th style="padding:2px 8px">Không giao chỉ tiêu</th><th style="padding:2px 8px">Số đơn vị</th><th style="padding:2px 8px">Trong đó chưa báo cáo</th></tr>${levelRows}</table>
${top.length ? `<p><b>Dẫn đầu</b> (so với chỉ tiêu):</p>${rankList(top)}` : ''}
${bottom.length ? `<p><b>Thấp nhất</b>:</p>${rankList(bottom)}` : ''}
<p><b>Đơn vị chưa báo cáo</b> (${int(missing.length)}): ${missing.length ? escapeHtml(missing.join('; ')) : 'không có'}.</p>
${checks}
<p>Chi tiết xếp hạng từng cấp, danh sách đơn vị chưa báo cáo, hồ sơ quá hạn và thủ tục thí điểm trong tệp đính kèm <i>${workbookFileName(r.period)}</i>.</p>
<p style="color:#555;font-size:13px">Thư gửi tự động từ hệ thống tổng hợp báo cáo dịch vụ công; số liệu tính đến thời điểm lập báo cáo.</p>
</body></html>`;

  const text = [
    `Kết quả tiếp nhận hồ sơ trực tuyến kỳ tháng ${periodLabel(r.period)} (${dateRange(r.bounds)})`,
    `Tỷ lệ trực tuyến toàn thành phố trong kỳ: ${pct(city.periodRates.onlineRate)}${change}; lũy kế: ${pct(ytd)}.`,
    `${int(city.unitsTotal)} đơn vị: đạt ${int(city.unitsMet)}; chưa đạt ${int(city.unitsNotMet)}; không giao chỉ tiêu ${int(city.unitsNoTarget)}. Trong đó chưa báo cáo kỳ này: ${int(city.unitsNotReported)}.`,
    `Đơn vị chưa báo cáo: ${missing.length ? missing.join('; ') : 'không có'}.`,
    ...(checkLines.length ? [`Lưu ý: ${checkLines.join('; ')}.`] : []),
    `Chi tiết trong tệp đính kèm ${workbookFileName(r.period)}.`,
  ].join('\n');

  return {
    to: recipients, subject: emailSubject(r), html, text,
    attachments: [{ filename: workbookFileName(r.period), content: workbook, contentType: XLSX }],
  };
}

// The leadership email: a Vietnamese subject with the city's rate ("47,3%"), a short HTML
// body a leader reads on a phone (city rate against the plan's floor, units đạt / chưa
// đạt, each level and the city, the trend chart inline, top and bottom units, the units
// whose rank fell most, late and missing units), a plain-text part with the same facts,
// and the workbook attached.
import { escapeHtml } from '../text.ts';
import type { MailAttachment, MailMessage } from '../ports.ts';
import { dateRange, floorPct, int, judgedTexts, pct, pp } from './format.ts';
import { formatDate, periodLabel } from '../period.ts';
import type { LeadershipReport, RankEntry, Totals } from './period-report.ts';
import { EVALUATION_TEXT, namedUntil, rangeDescription, rangeRowName, wholeRangeName, type RangeReport, type RangeTotals } from './range-report.ts';
import { workbookFileName } from './workbook.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TOP = 5;
/** The inline trend chart's Content-ID (the HTML shows it as cid:…). */
export const TREND_CID = 'xu-huong-truc-tuyen@tthc-dvc';
export const TREND_FILE = 'xu-huong-ty-le-truc-tuyen.png';

export interface EmailOptions {
  /** The trend chart (PNG), shown inline in the HTML part. */
  chart?: Buffer | null;
  /** A quarter's or a year's report: r is its last period's report. */
  range?: RangeReport;
}

export function emailSubject(r: LeadershipReport, range?: RangeReport): string {
  if (range) {
    // As precise as the first line's verdict against the floor (59,96%, not 60,0%).
    const rate = range.totals.city.rates.onlineRate;
    return `[DVC] Báo cáo ${range.range.label} — tỷ lệ trực tuyến ${rate === null ? pct(rate) : judgedTexts(rate, r.floor).rate}`;
  }
  return `[DVC] Báo cáo tháng ${periodLabel(r.period)} — tỷ lệ trực tuyến ${pct(r.totals.city.periodRates.onlineRate)}`;
}

const rankLine = (e: RankEntry) => {
  const shown = judgedTexts(e.ytd_online_rate, e.target_pct / 100, e.gap_pp);
  return `${e.name}: lũy kế ${shown.rate}, chỉ tiêu ${shown.reference} (${shown.gap} điểm %)`;
};
/** rank_change = previous rank − rank: negative is a fall. The rank in the unit's level, as its sheet of the workbook shows it. */
const fallLine = (e: RankEntry, level: string) => `${e.name} (${level}): hạng ${int(e.rank + e.rank_change!)} → ${int(e.rank)} (giảm ${int(-e.rank_change!)} bậc)`;

function htmlList(lines: string[]): string {
  return `<ol style="margin:4px 0 12px 20px;padding:0">${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ol>`;
}

export function leadershipEmail(r: LeadershipReport, recipients: string[], workbook: Buffer, options: EmailOptions = {}): MailMessage {
  const { range, chart } = options;
  const city = r.totals.city;
  const names = new Map(r.rows.map((x) => [x.unit.code, x.unit.name]));
  const missing = r.missing.map((code) => names.get(code) ?? code);
  const late = r.late.map((code) => names.get(code) ?? code);
  // Before the due day (a report built early), "chưa báo cáo" is "not yet", and says so.
  const notDueYet = r.beforeDue ? ` (chưa đến hạn nộp, trước ngày ${formatDate(r.dueDate)})` : '';
  const ranking = r.ranking.city;
  const top = ranking.slice(0, TOP).map(rankLine);
  const bottom = (ranking.length > TOP ? ranking.slice(-TOP).reverse() : []).map(rankLine);
  // Falls in the levels' rankings: the workbook has a sheet per level, and no city-wide ranking to look them up in.
  const fallen = r.levels.flatMap((l) => r.ranking.levels[l.level].map((e) => ({ e, level: l.name })))
    .filter(({ e }) => e.rank_change !== null && e.rank_change < 0)
    .sort((a, b) => a.e.rank_change! - b.e.rank_change! || a.e.rank - b.e.rank).slice(0, TOP).map(({ e, level }) => fallLine(e, level));
  const change = city.periodRates.onlineRate !== null && city.previousPeriodRate !== null
    ? ` (${pp((city.periodRates.onlineRate - city.previousPeriodRate) * 100)} điểm % so với kỳ trước)` : '';
  const floorText = `mức tối thiểu ${floorPct(r.floor)}`;
  /** A rate against the plan's floor: the rate as precisely as the verdict needs, and the verdict ('' for no rate). */
  const againstFloor = (rate: number | null) => {
    if (rate === null) return { rate: pct(rate), verdict: '' };
    const shown = judgedTexts(rate, r.floor);
    return { rate: shown.rate, verdict: `${rate >= r.floor ? 'đạt' : 'chưa đạt'} ${floorText} của Kế hoạch (${shown.gap} điểm %)` };
  };
  const { rate: ytdShown, verdict: floorVerdict } = againstFloor(city.ytdRates.onlineRate);
  // A quarter's or a year's own rate (its periods summed) comes first: the year-to-date starts at the target window.
  const whole = range?.totals.city;
  const wholeShown = whole && againstFloor(whole.rates.onlineRate);
  const rangeLine = range && whole && wholeShown
    ? `Tỷ lệ hồ sơ trực tuyến toàn thành phố ${range.range.label}: ${wholeShown.verdict ? `${wholeShown.rate}, ${wholeShown.verdict}` : '—'}; ${int(whole.rates.newDossiers)} hồ sơ mới, trong đó ${int(whole.counts?.received_online ?? 0)} hồ sơ trực tuyến.`
    : null;
  const fileName = workbookFileName(range?.range.id ?? r.period);
  const what = range ? rangeDescription(range) : `kỳ tháng ${periodLabel(r.period)} (${dateRange(r.bounds)})`;

  // Each level in force, then the city: the same figures in HTML and text. A range's: each level
  // of the range (one that ended in it too, with its range figure alone), its own rate first.
  const month = periodLabel(r.period);
  const wholeName = range && wholeRangeName(range);
  type Scope = { name: string; t: Totals | null; whole: RangeTotals | null; city: boolean };
  const scopes: Scope[] = [
    ...(range
      ? range.levels.map(({ level, name, until }) => ({
        name: namedUntil(name, until), t: until ? null : r.totals.levels[level], whole: range.totals.levels[level] ?? null, city: false,
      }))
      : r.levels.map(({ level, name }) => ({ name, t: r.totals.levels[level], whole: null, city: false }))),
    { name: 'Toàn thành phố', t: city, whole: range?.totals.city ?? null, city: true },
  ];
  const unitsText = (t: Totals, notReported: string) =>
    `đạt ${int(t.unitsMet)}, chưa đạt ${int(t.unitsNotMet)}${t.unitsNoTarget ? `, không giao chỉ tiêu ${int(t.unitsNoTarget)}` : ''} / ${int(t.unitsTotal)} đơn vị; chưa báo cáo${notReported} ${int(t.unitsNotReported)}`;
  const scopeText = ({ name, t, whole: w }: Scope) => (range
    // The range's own rate, then the last month's and the year-to-date, each named with its month.
    ? `${name}: ${wholeName} ${pct(w?.rates.onlineRate ?? null)}${t ? `; tháng ${month} ${pct(t.periodRates.onlineRate)}, lũy kế đến ${month} ${pct(t.ytdRates.onlineRate)}; ${unitsText(t, ` kỳ ${month}`)}` : ''}`
    : `${name}: trong kỳ ${pct(t!.periodRates.onlineRate)}, lũy kế ${pct(t!.ytdRates.onlineRate)}; ${unitsText(t!, '')}`);
  const td = 'padding:2px 6px;text-align:right';
  const cells = (values: string[]) => values.map((v) => `<td style="${td}">${v}</td>`).join('');
  const levelRows = scopes.map(({ name, t, whole: w, city: isCity }) =>
    `<tr${isCity ? ' style="font-weight:bold;background:#f2f2f2"' : ''}><td style="padding:2px 6px">${escapeHtml(name)}</td>${range ? cells([pct(w?.rates.onlineRate ?? null)]) : ''}` +
    cells(t ? [pct(t.periodRates.onlineRate), pct(t.ytdRates.onlineRate), int(t.unitsMet), int(t.unitsNotMet), int(t.unitsNoTarget), int(t.unitsTotal), int(t.unitsNotReported)] : Array(7).fill('—')) + '</tr>').join('');
  const th = (text: string) => `<th style="padding:2px 6px">${escapeHtml(text)}</th>`;
  const levelHeader = [
    'Cấp', ...(range ? [wholeName!.replace(/^./, (c) => c.toUpperCase())] : []), range ? `Tháng ${month}` : 'Tỷ lệ trong kỳ', range ? `Lũy kế đến ${month}` : 'Lũy kế',
    'Đạt', 'Chưa đạt', 'Không giao chỉ tiêu', 'Số đơn vị', 'Trong đó chưa báo cáo',
  ].map(th).join('');

  // Figures the leadership should weigh: corrections to published periods, reports to check.
  const checkLines = [
    r.corrections.length ? `${int(r.corrections.length)} báo cáo điều chỉnh số liệu sau khi đã báo cáo (trang tính "Điều chỉnh số liệu")` : null,
    r.quality.length ? `${int(r.quality.length)} nội dung cần kiểm tra số liệu (trang tính "Kiểm tra số liệu")` : null,
  ].filter((x): x is string => x !== null);

  const periodLine = `Tỷ lệ hồ sơ trực tuyến toàn thành phố kỳ ${periodLabel(r.period)}: ${pct(city.periodRates.onlineRate)}${change}; ${int(city.periodRates.newDossiers)} hồ sơ mới, trong đó ${int(city.period?.received_online ?? 0)} hồ sơ trực tuyến.`;
  const ytdLine = `Lũy kế từ kỳ ${periodLabel(r.ytdFrom)}: ${ytdShown}${floorVerdict ? `, ${floorVerdict}` : ''}.`;
  // A range's units are its last month's: named with the month, as its figures are.
  const thisPeriod = range ? `kỳ ${month}` : 'kỳ này';
  // "không giao chỉ tiêu 0" reads as a target of 0: with every unit given one, the clause is left out (as in unitsText).
  const noTarget = (n: string) => (city.unitsNoTarget ? `; không giao chỉ tiêu ${n}` : '');
  const unitsLine = `${int(city.unitsTotal)} đơn vị: đạt chỉ tiêu được giao ${int(city.unitsMet)}; chưa đạt ${int(city.unitsNotMet)}${noTarget(int(city.unitsNoTarget))}. Trong đó chưa báo cáo ${thisPeriod}: ${int(city.unitsNotReported)}.`;
  const evaluation = range?.evaluation;
  const leftJudged = range?.rows.some((x) => x.until && x.evaluation !== 'no_target') ?? false;
  const notMetYear = range && evaluation ? range.rows.filter((x) => x.evaluation === 'not_met').map(rangeRowName) : [];
  const evaluationLine = evaluation
    ? `Đánh giá năm theo chỉ tiêu được giao (kỳ ${periodLabel(evaluation.window[0])} – ${periodLabel(evaluation.window[1])}; tỷ lệ trực tuyến toàn thành phố trong các kỳ này ${pct(range!.judged.totals.city.ytdRates.onlineRate)}${leftJudged ? '; đơn vị thôi hoạt động trong năm: đến kỳ cuối cùng còn hoạt động' : ''}): ${EVALUATION_TEXT.met} ${int(evaluation.met)}; ${EVALUATION_TEXT.not_met} ${int(evaluation.notMet)}; ${EVALUATION_TEXT.no_dossiers.toLowerCase()} ${int(evaluation.noDossiers)}; ${EVALUATION_TEXT.no_target.toLowerCase()} ${int(evaluation.noTarget)} (trang tính "Đánh giá năm").`
    : null;
  const list = (items: string[]) => (items.length ? items.join('; ') : 'không có');

  const html = `<!doctype html><html lang="vi"><head><meta name="viewport" content="width=device-width,initial-scale=1"></head>
<body style="font-family:'Times New Roman',serif;font-size:15px;color:#111;margin:0;padding:8px">
<div style="max-width:680px">
<p>Kính gửi Lãnh đạo UBND thành phố,</p>
<p>Kết quả tiếp nhận hồ sơ thủ tục hành chính trực tuyến ${escapeHtml(what)} theo ${escapeHtml(r.plan.citationShort)}:</p>
<ul style="padding-left:20px">
${rangeLine ? `<li><b>${escapeHtml(rangeLine)}</b></li>` : ''}
<li>Tỷ lệ hồ sơ trực tuyến toàn thành phố ${range ? `kỳ ${periodLabel(r.period)}` : 'trong kỳ'}: <b>${pct(city.periodRates.onlineRate)}</b>${change}; ${int(city.periodRates.newDossiers)} hồ sơ mới, trong đó ${int(city.period?.received_online ?? 0)} hồ sơ trực tuyến.</li>
<li>Lũy kế từ kỳ ${periodLabel(r.ytdFrom)}: <b>${ytdShown}</b>, ${floorVerdict}.</li>
<li>${int(city.unitsTotal)} đơn vị: đạt chỉ tiêu được giao <b>${int(city.unitsMet)}</b>; chưa đạt <b>${int(city.unitsNotMet)}</b>${noTarget(`<b>${int(city.unitsNoTarget)}</b>`)}. Trong đó chưa báo cáo ${thisPeriod}: <b>${int(city.unitsNotReported)}</b>.</li>
${evaluationLine ? `<li><b>${escapeHtml(evaluationLine)}</b></li>` : ''}
</ul>
<div style="overflow-x:auto"><table style="border-collapse:collapse;font-size:13px;width:100%" border="1"><tr style="background:#ddebf7">${levelHeader}</tr>${levelRows}</table></div>
${chart ? `<p><img src="cid:${TREND_CID}" alt="Biểu đồ tỷ lệ hồ sơ trực tuyến theo kỳ của toàn thành phố và từng cấp, so với ${floorText}" style="width:100%;max-width:680px;height:auto"></p>` : ''}
${evaluation ? `<p><b>Đơn vị không đạt chỉ tiêu năm</b> (${int(notMetYear.length)}): ${escapeHtml(list(notMetYear))}.</p>` : ''}
${top.length ? `<p><b>Dẫn đầu</b> (so với chỉ tiêu):</p>${htmlList(top)}` : ''}
${bottom.length ? `<p><b>Thấp nhất</b>:</p>${htmlList(bottom)}` : ''}
${fallen.length ? `<p><b>Tụt hạng nhiều nhất</b> trong cấp so với kỳ trước:</p>${htmlList(fallen)}` : ''}
<p><b>Đơn vị nộp báo cáo muộn</b> (${int(late.length)}): ${escapeHtml(list(late))}.</p>
<p><b>Đơn vị chưa báo cáo</b>${escapeHtml(notDueYet)} (${int(missing.length)}): ${escapeHtml(list(missing))}.</p>
${checkLines.length ? `<p><b>Lưu ý:</b> ${checkLines.join('; ')}.</p>` : ''}
<p>Chi tiết xếp hạng từng cấp, danh sách đơn vị chưa báo cáo, hồ sơ quá hạn và thủ tục thí điểm trong tệp đính kèm <i>${fileName}</i>.</p>
<p style="color:#555;font-size:13px">Thư gửi tự động từ hệ thống tổng hợp báo cáo dịch vụ công; số liệu tính đến thời điểm lập báo cáo.</p>
</div></body></html>`;

  const section = (title: string, lines: string[]) => (lines.length ? [`${title}:`, ...lines.map((l, i) => `  ${i + 1}. ${l}`)] : []);
  const text = [
    `Kết quả tiếp nhận hồ sơ trực tuyến ${what}`,
    '',
    ...(rangeLine ? [rangeLine] : []),
    periodLine,
    ytdLine,
    unitsLine,
    ...(evaluationLine ? [evaluationLine] : []),
    '',
    'Theo cấp:',
    ...scopes.map((s) => `  - ${scopeText(s)}`),
    '',
    ...(evaluation ? [`Đơn vị không đạt chỉ tiêu năm (${int(notMetYear.length)}): ${list(notMetYear)}.`, ''] : []),
    ...section('Dẫn đầu (so với chỉ tiêu)', top),
    ...section('Thấp nhất', bottom),
    ...section('Tụt hạng nhiều nhất trong cấp so với kỳ trước', fallen),
    `Đơn vị nộp báo cáo muộn (${int(late.length)}): ${list(late)}.`,
    `Đơn vị chưa báo cáo${notDueYet} (${int(missing.length)}): ${list(missing)}.`,
    ...(checkLines.length ? [`Lưu ý: ${checkLines.join('; ')}.`] : []),
    '',
    `Chi tiết trong tệp đính kèm ${fileName}.`,
  ].join('\n');

  const attachments: MailAttachment[] = [{ filename: fileName, content: workbook, contentType: XLSX }];
  if (chart) attachments.push({ filename: TREND_FILE, content: chart, contentType: 'image/png', cid: TREND_CID });
  return { to: recipients, subject: emailSubject(r, range), html, text, attachments };
}

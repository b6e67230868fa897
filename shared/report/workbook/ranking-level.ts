// One sheet per level: its units ranked by year-to-date gap to target, then the units not ranked.
import type ExcelJS from 'exceljs';
import { periodLabel, periodRange } from '../../period.ts';
import { columnLetter } from '../../report-file/file-issue.ts';
import type { LevelInfo } from '../../units/unit.ts';
import { dateRange, int, safeText } from '../format.ts';
import type { LeadershipReport, UnitRow } from '../period-report.ts';
import { doubtsFigure } from '../quality.ts';
import {
  dataBar, EXCLUDED_TEXT, INT, judgedCells, levelSheetName, line, metColours, newSheet, PCT, PP, SHEETS, sheetTitle, STATUS_TEXT, tableHeader, tableRows, type Column, type Shown,
} from './layout.ts';

export function levelSheet(wb: ExcelJS.Workbook, r: LeadershipReport, info: LevelInfo, parents: Map<string, string>) {
  const { level } = info;
  const ws = newSheet(wb, levelSheetName(info));
  // The district a commune belongs to, while there are districts (not since 2025-07).
  const isCommune = level === 'commune' && r.levels.some((l) => l.level === 'district');
  const columns: Column[] = [
    { header: 'Hạng', width: 7, align: 'center' },
    { header: 'Thay đổi hạng so với kỳ trước', width: 10, align: 'center', numFmt: '+0;-0;0' },
    { header: 'Mã', width: 7, align: 'center' },
    { header: 'Đơn vị', width: 36, align: 'left' },
    ...(isCommune ? [{ header: 'Quận, huyện', width: 18, align: 'left' as const }] : []),
    { header: 'Hồ sơ mới trong kỳ', width: 11, numFmt: INT },
    { header: 'Trực tuyến trong kỳ', width: 11, numFmt: INT },
    { header: 'Tỷ lệ trực tuyến trong kỳ', width: 11, numFmt: PCT },
    { header: `Tỷ lệ trực tuyến lũy kế từ ${periodLabel(r.ytdFrom)}`, width: 12, numFmt: PCT },
    { header: 'Chỉ tiêu được giao', width: 10, numFmt: PCT },
    { header: 'Chênh lệch (điểm %)', width: 11, numFmt: PP },
    // "Chưa đạt (chưa có số liệu lũy kế)" wraps to two lines, not into Tỷ lệ quá hạn.
    { header: 'Kết quả', width: 14, align: 'center', wrap: true },
    { header: 'Tỷ lệ quá hạn lũy kế', width: 10, numFmt: PCT },
    { header: 'Tình trạng báo cáo kỳ này', width: 16, align: 'center' },
  ];
  let row = sheetTitle(ws, columns,
    `XẾP HẠNG ${info.name.toUpperCase()} THEO CHỈ TIÊU HỒ SƠ TRỰC TUYẾN`,
    `Kỳ tháng ${periodLabel(r.period)} (${dateRange(r.bounds)}); xếp theo chênh lệch tỷ lệ lũy kế so với chỉ tiêu`);
  tableHeader(ws, row, columns, 4);
  const rowsByCode = new Map(r.rows.map((x) => [x.unit.code, x]));
  // Ranked as sent, but this period's figures are in doubt (a warning doubtsFigure names):
  // marked, so the reader of a rank looks at "Kiểm tra số liệu" before acting on it. Not a
  // report left out as unusable (it is not counted as sent), nor another period's.
  const doubted = new Set(r.quality.filter((q) => q.period === r.period && doubtsFigure(q.code)).map((q) => q.unit));
  // Built with push, not spread: one array per unit row (a national report: 12,000).
  const values = (x: UnitRow, rankValue: number | null, change: number | null, result: string): Array<ExcelJS.CellValue | Shown> => {
    const v: Array<ExcelJS.CellValue | Shown> = [rankValue, change, x.unit.code, doubted.has(x.unit.code) ? `${safeText(x.unit.name)} ${DOUBT_MARK}` : safeText(x.unit.name)];
    if (isCommune) v.push(safeText(parents.get(x.unit.parentCode ?? '') ?? ''));
    v.push(
      x.period ? x.periodRates.newDossiers : null, x.period?.received_online ?? null, x.periodRates.onlineRate,
      ...judgedCells(x.ytdRates.onlineRate, x.targetPct === null ? null : x.targetPct / 100, x.gapPp), result,
      x.ytdRates.overdueRate, STATUS_TEXT[x.status],
    );
    return v;
  };
  const apart = r.rows.filter((x) => x.unit.level === level && x.excluded);
  const first = row + 1;
  const last = tableRows(ws, first, columns, (function* () {
    for (const e of r.ranking.levels[level]) yield values(rowsByCode.get(e.unit)!, e.rank, e.rank_change, e.gap_pp >= 0 ? 'Đạt' : 'Chưa đạt');
    for (const x of apart) yield values(x, null, null, EXCLUDED_TEXT[x.excluded!]);
  })());
  if (last >= first) {
    const c = (header: string) => columnLetter(columns.findIndex((x) => x.header.startsWith(header)) + 1);
    dataBar(ws, `${c('Tỷ lệ trực tuyến trong kỳ')}${first}:${c('Tỷ lệ trực tuyến lũy kế')}${last}`);
    metColours(ws, `${c('Kết quả')}${first}:${c('Kết quả')}${last}`);
    ws.autoFilter = { from: { row, column: 1 }, to: { row: last, column: columns.length } };
  }
  let below = last + 2;
  if (apart.length) {
    line(ws, below++, 1, columns.length, notRankedLine(r, apart), { italic: true, size: 11 });
  }
  if (r.rows.some((x) => x.unit.level === level && doubted.has(x.unit.code))) {
    line(ws, below, 1, columns.length, `${DOUBT_MARK} Số liệu kỳ này cần kiểm tra lại với đơn vị (vẫn được tính và xếp hạng như đã gửi): xem trang "${SHEETS.quality}".`, { italic: true, size: 11 });
  }
}

/**
 * The units not ranked, by why: those with a target among them are counted chưa đạt on Tổng hợp,
 * and one with no year-to-date figures has sent no usable report in any period of the window.
 */
export function notRankedLine(r: LeadershipReport, apart: readonly UnitRow[]): string {
  const n = (reason: UnitRow['excluded']) => apart.filter((x) => x.excluded === reason).length;
  const periods = periodRange(r.ytdFrom, r.period).length;
  const parts = [
    n('no_target') ? `${int(n('no_target'))} không giao chỉ tiêu` : null,
    n('no_dossiers') ? `${int(n('no_dossiers'))} chưa đạt, không phát sinh hồ sơ từ kỳ ${periodLabel(r.ytdFrom)}` : null,
    n('not_reported') ? `${int(n('not_reported'))} chưa đạt, chưa có báo cáo hợp lệ nào từ kỳ ${periodLabel(r.ytdFrom)}${periods > 1 ? `, ${int(periods)} kỳ liên tiếp` : ''}` : null,
  ].filter((x): x is string => x !== null);
  return `Không xếp hạng: ${int(apart.length)} đơn vị (${parts.join('; ')}).`;
}

/** After a unit's name: its figures this period are listed on the data-quality sheet. */
const DOUBT_MARK = '(*)';

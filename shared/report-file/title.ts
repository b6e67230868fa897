// The unit and period written in the title lines above a Biểu 06a table:
// "Đơn vị báo cáo: …", "Mã đơn vị: …", "Kỳ báo cáo: Từ ngày 16/05/2022 đến ngày 15/06/2022",
// "Tháng 6/2022", "Kỳ báo cáo: 06/2022"; dates as text or as real Excel dates.
import { plainLower } from '../text.ts';
import { rowText, type Sheet } from './grid.ts';
import type { LocalDate } from '../period.ts';

export interface Found<T> {
  value: T;
  row: number;
}

export type PeriodMention =
  | { kind: 'month'; year: number; month: number }
  | { kind: 'range'; from: LocalDate; to: LocalDate };

export interface TitleInfo {
  unitName: Found<string> | null;
  unitCode: Found<string> | null;
  periods: Array<Found<PeriodMention>>;
}

const UNIT_NAME = /^\s*(?:ten\s+don\s+vi|don\s+vi\s+bao\s+cao|co\s+quan\s+bao\s+cao|don\s+vi)\s*[:：]\s*(\S.*?)\s*$/;
const UNIT_CODE = /\bma\s+don\s+vi\s*[:：]\s*([a-z0-9][a-z0-9_.-]*)/;
const DATE = String.raw`(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})`;
const RANGE = new RegExp(String.raw`tu\s+ngay\s+${DATE}\s*(?:den|-|–)\s*(?:ngay\s+)?${DATE}`);
const MONTH = /\bthang\s+(\d{1,2})\s*(?:[/.-]|\s+nam\s+)\s*(\d{4})\b/;
const PERIOD_FIELD = /\bky\s+bao\s+cao\s*[:：]?\s*(?:(\d{1,2})\s*[/.-]\s*(\d{4})|(\d{4})-(\d{2}))\b/;

export function readTitle(sheet: Sheet, lastTitleRow: number): TitleInfo {
  const info: TitleInfo = { unitName: null, unitCode: null, periods: [] };
  for (let r = 1; r <= lastTitleRow; r++) {
    const text = rowText(sheet, r).normalize('NFC');
    if (!text) continue;
    const plain = plainLower(text);
    const code = UNIT_CODE.exec(plain);
    if (code && !info.unitCode) info.unitCode = { value: code[1].toUpperCase(), row: r };
    if (UNIT_NAME.test(plain) && !/^\s*don\s+vi\s+tinh/.test(plain) && !info.unitName) {
      // The name runs from the first colon to the end, or to a code on the same line.
      const afterColon = text.slice(text.search(/[:：]/) + 1);
      const codeAt = plainLower(afterColon).search(/[-–,;(]?\s*ma\s+don\s+vi/);
      info.unitName = { value: (codeAt >= 0 ? afterColon.slice(0, codeAt) : afterColon).trim(), row: r };
    }
    const range = RANGE.exec(plain);
    if (range) {
      const n = range.slice(1).map(Number);
      info.periods.push({ value: { kind: 'range', from: { day: n[0], month: n[1], year: n[2] }, to: { day: n[3], month: n[4], year: n[5] } }, row: r });
      continue;
    }
    const month = MONTH.exec(plain);
    // "Hải Phòng, ngày 05 tháng 7 năm 2022" is when the report was signed, not its period.
    if (month && !/ngay\s+\d{1,2}\s*$/.test(plain.slice(0, month.index))) {
      info.periods.push({ value: { kind: 'month', month: Number(month[1]), year: Number(month[2]) }, row: r });
      continue;
    }
    const field = PERIOD_FIELD.exec(plain);
    if (field) {
      const [m, y] = field[1] ? [field[1], field[2]] : [field[4], field[3]];
      info.periods.push({ value: { kind: 'month', month: Number(m), year: Number(y) }, row: r });
    }
  }
  return info;
}

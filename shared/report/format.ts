// Vietnamese number and text conventions for the leadership report: "47,3%", "1.234",
// dates dd/mm/yyyy; and text from uploads neutralised so a spreadsheet never runs it.
import { formatDate, type LocalDate } from '../period.ts';

const percent1 = new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat('vi-VN');

/** 0.4731 → "47,3%"; null → "—". */
export function pct(rate: number | null): string {
  return rate === null ? '—' : percent1.format(rate).replace(/\u00a0/g, '');
}

export function int(n: number | null): string {
  return n === null ? '—' : integer.format(n);
}

/** Percentage points with a sign: 2.25 → "+2,3". */
export function pp(value: number | null): string {
  if (value === null) return '—';
  const s = Math.abs(value).toFixed(1).replace('.', ',');
  return value > 0 ? `+${s}` : value < 0 ? `−${s}` : s;
}

export function dateRange(bounds: { from: LocalDate; to: LocalDate }): string {
  return `từ ngày ${formatDate(bounds.from)} đến ngày ${formatDate(bounds.to)}`;
}

/** First characters a spreadsheet could take for a formula: = + - @, tab, CR. */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/** Excel reads "_xHHHH_" in a cell's text as the character U+HHHH; "_x005F_" is its escape for the underscore. */
const EXCEL_ESCAPE = /_(x[0-9A-Fa-f]{4}_)/g;

/**
 * Text from an upload, shown as it was written: text a spreadsheet could take for a formula
 * (= + - @, tab, CR) gets a leading apostrophe, and "_x0041_" stays those seven characters
 * (exceljs writes it as it is, and Excel would show "A").
 */
export function safeText(text: string): string {
  // Lookups before any regular expression: called for every name cell (a national report: ~40,000).
  const kept = text.includes('_x') ? text.replace(EXCEL_ESCAPE, '_x005F_$1') : text;
  return FORMULA_START.has(kept.charAt(0)) ? `'${kept}` : kept;
}

// Vietnamese number and text conventions for the leadership report: "47,3%", "1.234",
// dates dd/mm/yyyy; and text from uploads neutralised so a spreadsheet never runs it.
import { formatDate, type LocalDate } from '../period.ts';

const percentFormats = new Map<number, Intl.NumberFormat>();
const percent = (decimals: number) => {
  let f = percentFormats.get(decimals);
  if (!f) percentFormats.set(decimals, (f = new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: decimals, maximumFractionDigits: decimals })));
  return f;
};
const integer = new Intl.NumberFormat('vi-VN');

/** 0.4731 → "47,3%" (with 2 decimals "47,31%"); null → "—". */
export function pct(rate: number | null, decimals = 1): string {
  return rate === null ? '—' : percent(decimals).format(rate).replace(/\u00a0/g, '');
}

const floorFormat = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 2 });

/** The plan's floor as the plan writes it: 0.6 → "60%", 0.625 → "62,5%". */
export function floorPct(floor: number): string {
  return floorFormat.format(floor).replace(/\u00a0/g, '');
}

export function int(n: number | null): string {
  return n === null ? '—' : integer.format(n);
}

/** Percentage points with a sign: 2.25 → "+2,3". */
export function pp(value: number | null, decimals = 1): string {
  if (value === null) return '—';
  const s = Math.abs(value).toFixed(decimals).replace('.', ',');
  return value > 0 ? `+${s}` : value < 0 ? `−${s}` : s;
}

/** `x` rounded to `decimals` as a spreadsheet shows it: half away from zero, on its 12 first digits (0.15 is 0.15, not 0.1499…). */
function shown(x: number, decimals: number): number {
  const scaled = Number((x * 10 ** decimals).toPrecision(12));
  return Math.sign(scaled) * Math.round(Math.abs(scaled));
}

/**
 * The decimals (1, up to 4) at which a rate, its reference (a target, the floor) and the gap
 * between them, all in percent, show what the verdict says: 59.96% against 60% (gap −0.04,
 * "chưa đạt") is "59,96%", "60,00%", "−0,04", never "60,0%", "60,0%", "−0,0".
 */
export function decimalsBeside(ratePct: number, referencePct: number, gapPp = ratePct - referencePct): number {
  // Two tenths apart or more, one decimal cannot blur them (each is off by at most 0.05): most
  // rows, and a national report has 12,000 of them.
  if (Math.abs(gapPp) >= 0.2 && Math.abs(ratePct - referencePct) >= 0.2) return 1;
  for (let d = 1; d < 4; d++) {
    const rate = shown(ratePct, d);
    const reference = shown(referencePct, d);
    const gap = shown(gapPp, d);
    if (gapPp < 0 ? rate < reference && gap < 0 : rate >= reference && gap >= 0) return d;
  }
  return 4;
}

/** A rate beside its reference (a target, the floor; fractions) and the gap in points, as texts that show what the verdict says. */
export function judgedTexts(rate: number, reference: number, gapPp = (rate - reference) * 100): { rate: string; reference: string; gap: string } {
  const d = decimalsBeside(rate * 100, reference * 100, gapPp);
  return { rate: pct(rate, d), reference: pct(reference, d), gap: pp(gapPp, d) };
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

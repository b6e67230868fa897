// Dossier counts as clerks write them: real numbers, or text such as "1.234", "1,234",
// "1 234", " 12 "; empty and "-" mean zero. A `.` or `,` followed by groups of exactly
// three digits is a thousands separator; otherwise ("2,5", "12.75") it is a fraction.
import { isCellError, isUncachedFormula, type CellValue } from './grid.ts';

/** Why one count cell cannot be read: an error of that cell alone (the table around it still reads). */
export const COUNT_CELL_CODES = ['negative_count', 'fractional_count', 'invalid_number', 'count_implausible', 'formula_without_value', 'cell_error'] as const;

export type CountParse =
  | { ok: true; value: number; blank: boolean }
  | { ok: false; code: (typeof COUNT_CELL_CODES)[number]; text: string };

/** No unit receives ten million dossiers a month (the whole city receives a few hundred
 * thousand): above it a count is a typo or a hostile file, and must never reach the sums
 * (1e308 + 1e308 is Infinity, which breaks the report). Every count read stays a safe integer. */
export const MAX_COUNT = 10_000_000;

const DASHES = /^[-–—]$/;
// What clerks write for "nothing this period": counts as zero.
const NOTHING = /^(không phát sinh|khong phat sinh|kps|không|khong|không có|khong co)$/i;
const THOUSANDS = /^\d{1,3}(?:([.,\u00a0 ])\d{3})(?:\1\d{3})*$/;
const DECIMAL = /^\d+[.,]\d+$/;

export function parseCount(v: CellValue): CountParse {
  if (v === null) return { ok: true, value: 0, blank: true };
  if (typeof v === 'number') return checkNumber(v, String(v));
  if (typeof v === 'string') return parseCountText(v);
  if (isUncachedFormula(v)) return { ok: false, code: 'formula_without_value', text: `=${v.formula}` };
  if (isCellError(v)) return { ok: false, code: 'cell_error', text: v.error };
  return { ok: false, code: 'invalid_number', text: v instanceof Date ? v.toISOString().slice(0, 10) : String(v) };
}

/** Longer than any count written with separators and padding: not parsed whole (see below). */
const MAX_COUNT_TEXT = 400;

function parseCountText(raw: string): CountParse {
  // A long text is no count. Decided from its head, so that a sheet of 32,767-character cells
  // costs no more than one of short ones: digits all the way are a (far too large) count.
  if (raw.length > MAX_COUNT_TEXT) {
    const head = raw.slice(0, MAX_COUNT_TEXT).trimStart();
    return { ok: false, code: /^\d+$/.test(head) ? 'count_implausible' : 'invalid_number', text: raw };
  }
  const text = raw.replace(/[\s\u00a0]+/g, ' ').trim();
  if (text === '') return { ok: true, value: 0, blank: true };
  if (DASHES.test(text) || NOTHING.test(text.normalize('NFC'))) return { ok: true, value: 0, blank: false };
  const negative = /^[-–−]\s*\d/.test(text);
  const digits = negative ? text.replace(/^[-–−]\s*/, '') : text;
  let value: number;
  if (/^\d+$/.test(digits)) value = Number(digits);
  else if (THOUSANDS.test(digits)) value = Number(digits.replace(/[.,\u00a0 ]/g, ''));
  else if (DECIMAL.test(digits)) value = Number(digits.replace(',', '.'));
  else return { ok: false, code: 'invalid_number', text: raw };
  // Hundreds of typed digits read as Infinity: still a (much too large) count, not a typo.
  if (value === Infinity) return { ok: false, code: 'count_implausible', text: raw };
  return checkNumber(negative ? -value : value, raw);
}

function checkNumber(value: number, text: string): CountParse {
  if (!Number.isFinite(value)) return { ok: false, code: 'invalid_number', text };
  if (value < 0) return { ok: false, code: 'negative_count', text };
  // Before the integer test: 1e308 is an integer.
  if (value > MAX_COUNT) return { ok: false, code: 'count_implausible', text };
  if (!Number.isInteger(value)) return { ok: false, code: 'fractional_count', text };
  return { ok: true, value, blank: false };
}

/** True when the cell holds something a count could be read from (not text or blank). */
export function looksNumeric(v: CellValue): boolean {
  if (typeof v === 'number') return true;
  if (isUncachedFormula(v)) return true;
  if (typeof v !== 'string') return false;
  const r = parseCountText(v);
  return (r.ok && !r.blank) || (!r.ok && r.code !== 'invalid_number');
}

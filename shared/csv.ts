// CSV as the format page has it: RFC 4180 quoting (separators, line breaks and "" inside
// quotes), CRLF or LF, `,` or `;` as separator (Vietnamese Excel exports use `;` where `,`
// is the decimal mark). csv-parse does the parsing; this module picks the separator, bounds
// the line count before any row is built, and names the line of a quote left open.
import { CsvError, parse } from 'csv-parse/sync';

export type Separator = ',' | ';';

/** The separator that splits the header line into more fields, `,` on a tie. */
export function detectSeparator(text: string): Separator {
  const firstLine = firstRecordText(text);
  const count = (sep: string) => splitOutsideQuotes(firstLine, sep);
  return count(';') > count(',') ? ';' : ',';
}

function firstRecordText(text: string): string {
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if ((ch === '\n' || ch === '\r') && !inQuotes) return text.slice(0, i);
  }
  return text;
}

function splitOutsideQuotes(line: string, sep: string): number {
  let n = 0;
  let inQuotes = false;
  for (const ch of line) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === sep && !inQuotes) n++;
  }
  return n;
}

/**
 * The record delimiter as csv-parse would discover it: the first line break outside quotes
 * (CRLF, LF, or CR alone for old Mac files); undefined if there is none. Given to csv-parse,
 * which otherwise tries three delimiters, allocating each, at every byte of the first record:
 * 2.4 s for a file whose first line is 4 MB. A quote opens a quoted field only at the field's
 * start (elsewhere it is text, as relax_quotes reads it), and "" inside quotes is a quote.
 */
export function recordDelimiterOf(text: string, separator: Separator): '\r\n' | '\n' | '\r' | undefined {
  let quoted = false;
  let fieldStart = true;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      }
    } else if (ch === '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (ch === '\r') {
      return text[i + 1] === '\n' ? '\r\n' : '\r';
    } else if (ch === '\n') {
      return '\n';
    } else {
      fieldStart = ch === separator;
    }
  }
  return undefined;
}

/** Fields kept of a record: Excel's last column is XFD, the 16,384th. What lies beyond is in no
 * table a person sees, and a 5 MB line of a million fields would otherwise stay in memory whole. */
export const MAX_FIELDS = 16_384;

export class TooManyRecords extends Error {}

/** A quote opened and never closed: the rest of the file would be one field. */
export class UnterminatedQuote extends Error {
  /** 1-based line on which the record holding the open quote starts. */
  constructor(readonly line: number) {
    super(`quote opened on line ${line} is never closed`);
  }
}

/** Line breaks in the text, counting up to `max + 1` (LF, or CR alone for old Mac files). */
function lineBreaksUpTo(text: string, max: number): number {
  const breaker = text.includes('\n') ? '\n' : '\r';
  let n = 0;
  for (let i = text.indexOf(breaker); i !== -1 && n <= max; i = text.indexOf(breaker, i + 1)) n++;
  return n;
}

/**
 * Parses CSV text into records of fields. A trailing empty line yields no record; an empty
 * line inside is a record of one empty field, so record n is line n of the file.
 * maxRecords: refuse with TooManyRecords before parsing (a 5 MB file of blank lines is
 * millions of records). An unterminated quote throws UnterminatedQuote. Each record keeps
 * its first MAX_FIELDS fields.
 */
export function parseCsv(text: string, separator: Separator = detectSeparator(text), maxRecords = Infinity): string[][] {
  // Each record ends at a line break, but the last may not: one more than the breaks.
  if (Number.isFinite(maxRecords) && lineBreaksUpTo(text, maxRecords) > maxRecords) {
    throw new TooManyRecords(`more than ${maxRecords} records`);
  }
  let lastCompleteLine = 0;
  try {
    return parse(text, {
      delimiter: separator,
      // No line break outside quotes: one record, or a quote left open; either way no delimiter is met.
      record_delimiter: recordDelimiterOf(text, separator) ?? '\n',
      bom: true,
      relax_column_count: true,
      relax_quotes: true, // a stray quote inside an unquoted field is text, as Excel reads it
      skip_empty_lines: false,
      on_record: (record: string[], context) => {
        lastCompleteLine = context.lines;
        return record.length > MAX_FIELDS ? record.slice(0, MAX_FIELDS) : record;
      },
    }) as string[][];
  } catch (e) {
    if (e instanceof CsvError && e.code === 'CSV_QUOTE_NOT_CLOSED') throw new UnterminatedQuote(lastCompleteLine + 1);
    throw e;
  }
}

/** Reads a CSV with a header row into objects keyed by header (trimmed). */
export function parseCsvObjects(text: string): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) return [];
  const keys = header.map((h) => h.trim());
  return rows
    .filter((r) => r.some((f) => f.trim() !== ''))
    .map((r) => Object.fromEntries(keys.map((k, i) => [k, (r[i] ?? '').trim()])));
}

// RFC 4180 CSV: quoted fields (with "" escapes and line breaks inside quotes), CRLF or LF,
// `,` or `;` as separator (Vietnamese Excel exports use `;` where `,` is the decimal mark).

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

export class TooManyRecords extends Error {}

/**
 * Parses CSV text into records of fields. A trailing empty line yields no record.
 * maxRecords: stop with TooManyRecords past it (a 5 MB file of blank lines is millions of records).
 */
export function parseCsv(text: string, separator: Separator = detectSeparator(text), maxRecords = Infinity): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  const endField = () => { record.push(field); field = ''; };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
    if (records.length > maxRecords) throw new TooManyRecords(`more than ${maxRecords} records`);
  };
  while (i < text.length) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        inQuotes = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') inQuotes = true;
    else if (ch === separator) endField();
    else if (ch === '\r') { endRecord(); if (text[i + 1] === '\n') i++; }
    else if (ch === '\n') endRecord();
    else field += ch;
    i++;
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
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

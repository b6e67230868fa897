// What is wrong with an uploaded file, said so a clerk can fix it: a stable English
// code for machines, a Vietnamese message for people, and where (sheet, row, column).

export interface FileIssue {
  code: string;
  message: string;
  sheet: string | null;
  row: number | null;
  /** Column letter ("K"), as Excel shows it. */
  column: string | null;
}

export interface CellRef {
  sheet: string | null;
  row?: number | null;
  col?: number | null;
}

/** Longest cell text quoted in a message, and longest field or procedure name kept. */
export const MAX_QUOTED_CHARS = 200;
/** A message stays short whatever the file holds: issues are stored (DynamoDB's 400 KB item
 * limit) and mailed, and a clerk reads them. */
export const MAX_MESSAGE_CHARS = 500;

// Never shown to a clerk or stored: C0 and C1 control characters (NUL, CR and LF included: a
// name forging lines in a mail), format characters (a right-to-left override disguises a
// name), U+FFFE and U+FFFF and half surrogate pairs (not XML: the workbook would not open).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\p{Cf}\ufffe\uffff\ud800-\udfff]+/gu;

/** `text` with every run of the characters above as one space. */
export function cleanText(text: string): string {
  return text.replace(CONTROL, ' ');
}

/** Text from the file made safe to show: cleaned (above), at most `max` characters (the cut
 * marked with "…", never inside a surrogate pair). */
export function capText(text: string, max = MAX_QUOTED_CHARS): string {
  if (text.length <= max) return cleanText(text);
  // Only the head is cleaned: a 500,000-character cell costs no more than a short one.
  let head = text.slice(0, max - 1);
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return `${cleanText(head)}…`;
}

const LONG_QUOTE = new RegExp(`"([^"]{${MAX_QUOTED_CHARS + 1},})"`, 'g');

/** The last line of defence for messages built elsewhere: quoted text over the cap is cut,
 * control characters go, and the whole message is capped. */
function boundedMessage(message: string): string {
  const m = message.replace(LONG_QUOTE, (_, q: string) => `"${capText(q)}"`).replace(CONTROL, ' ');
  return m.length > MAX_MESSAGE_CHARS ? capText(m, MAX_MESSAGE_CHARS) : m;
}

export function fileIssue(code: string, message: string, at?: CellRef): FileIssue {
  return {
    code,
    message: boundedMessage(message),
    sheet: at?.sheet ? capText(at.sheet) : null, // CSV files have no sheet names
    row: at?.row ?? null,
    column: at?.col ? columnLetter(at.col) : null,
  };
}

/** 1 → A, 27 → AA. */
export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** 'trang tính "Biểu 06a", ô K17': a location for readable output. */
export function describeLocation(i: FileIssue): string {
  const parts: string[] = [];
  if (i.sheet) parts.push(`trang tính "${i.sheet}"`);
  if (i.column && i.row) parts.push(`ô ${i.column}${i.row}`);
  else if (i.row) parts.push(`dòng ${i.row}`);
  else if (i.column) parts.push(`cột ${i.column}`);
  return parts.join(', ');
}

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

export function fileIssue(code: string, message: string, at?: CellRef): FileIssue {
  return {
    code,
    message,
    sheet: at?.sheet || null, // CSV files have no sheet names
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

/** "Sheet 'Biểu 06a', ô K17" style location for readable output. */
export function describeLocation(i: FileIssue): string {
  const parts: string[] = [];
  if (i.sheet) parts.push(`sheet "${i.sheet}"`);
  if (i.column && i.row) parts.push(`ô ${i.column}${i.row}`);
  else if (i.row) parts.push(`dòng ${i.row}`);
  else if (i.column) parts.push(`cột ${i.column}`);
  return parts.join(', ');
}

// What of an upload or a report the store keeps, so that no upload can fail its item write
// (DynamoDB: 400 KB an item). Whatever a file holds, the stored item is bounded:
//   - every text from a file is capped (names, codes, messages), with "…";
//   - at most MAX_ISSUES issues of each kind, and their JSON within ISSUES_BYTES;
//   - the gzipped procedure list within PROCEDURES_BYTES (a longest prefix that fits).
// The unit's feedback in S3 carries the full lists. Both stores apply these rules, so the
// memory store reads back what DynamoDB would.
import { gzipSync } from 'node:zlib';
import type { UnitFigures, UploadRecord } from '../ingest/upload.ts';
import type { Procedure } from '../report-file/detail.ts';
import type { FileIssue } from '../report-file/file-issue.ts';

export const MAX_ISSUES = 100;
/** File, sheet and column names, issue codes, procedure codes. */
export const MAX_NAME = 200;
/** Procedure names: the official ones run long (well over 150 characters). */
export const MAX_PROCEDURE_NAME = 300;
export const MAX_MESSAGE = 500;
/** Errors and warnings each, as stored JSON (UTF-8 bytes). */
export const ISSUES_BYTES = 60 * 1024;
/** The procedure list, gzipped. With the issues and the rest, an item stays well under 400 KB. */
export const PROCEDURES_BYTES = 200 * 1024;

/** `text` cut to `max` characters, the last one "…" when cut (never splitting a surrogate pair). */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate whose pair would be cut off
  return `${text.slice(0, end)}…`;
}

const capOrNull = (text: string | null, max: number) => (text === null ? null : capText(text, max));

function capIssue(i: FileIssue): FileIssue {
  return {
    ...i, code: capText(i.code, MAX_NAME), message: capText(i.message, MAX_MESSAGE),
    sheet: capOrNull(i.sheet, MAX_NAME), column: capOrNull(i.column, MAX_NAME),
  };
}

/** The first issues (at most MAX_ISSUES) whose JSON fits ISSUES_BYTES. */
function storedIssues(issues: readonly FileIssue[]): FileIssue[] {
  const kept: FileIssue[] = [];
  let bytes = 2; // []
  for (const issue of issues.slice(0, MAX_ISSUES)) {
    const capped = capIssue(issue);
    bytes += Buffer.byteLength(JSON.stringify(capped)) + 1;
    if (bytes > ISSUES_BYTES) break;
    kept.push(capped);
  }
  return kept;
}

function capProcedure(p: Procedure): Procedure {
  return { ...p, code: capOrNull(p.code, MAX_NAME), name: capText(p.name, MAX_PROCEDURE_NAME) };
}

export interface PackedProcedures {
  /** The procedures kept (capped; a prefix of the list when the whole does not fit). */
  procedures: Procedure[];
  /** Their JSON, gzipped: what DynamoDB stores. */
  gzipped: Buffer;
}

/** The procedure list as stored: capped texts, and the longest prefix whose gzip fits PROCEDURES_BYTES. */
export function packProcedures(list: readonly Procedure[]): PackedProcedures {
  const all = list.map(capProcedure);
  const whole = gzipSync(JSON.stringify(all));
  if (whole.length <= PROCEDURES_BYTES) return { procedures: all, gzipped: whole };
  // Only a file built to be incompressible gets here: search the largest prefix that fits.
  let lo = 0;
  let hi = all.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (gzipSync(JSON.stringify(all.slice(0, mid))).length <= PROCEDURES_BYTES) lo = mid;
    else hi = mid - 1;
  }
  const procedures = all.slice(0, lo);
  return { procedures, gzipped: gzipSync(JSON.stringify(procedures)) };
}

export interface Stored<T> {
  /** What reads back. */
  stored: T;
  /** Its procedure list, gzipped (the DynamoDB attribute). */
  gzippedProcedures: Buffer;
}

/** The upload record as stored and read back. */
export function storedUpload(r: UploadRecord): Stored<UploadRecord> {
  const { procedures, gzipped } = packProcedures(r.procedures);
  return {
    stored: { ...r, fileName: capText(r.fileName, MAX_NAME), errors: storedIssues(r.errors), warnings: storedIssues(r.warnings), procedures },
    gzippedProcedures: gzipped,
  };
}

/** The unit's report for a period as stored and read back. */
export function storedCurrent(c: UnitFigures): Stored<UnitFigures> {
  const { procedures, gzipped } = packProcedures(c.procedures);
  return { stored: { ...c, procedures }, gzippedProcedures: gzipped };
}

// How readings are shown: one stable JSON object per file for tools, Vietnamese text for people.
import { readFile } from 'node:fs/promises';
import { fileIssue, type FileIssue } from '../shared/report-file/file-issue.ts';
import type { SubmissionReading } from '../shared/report-file/read-report.ts';

/** The `tthc check --json` line (and `tthc ingest --json`'s, with its outcome and upload id);
 * keep its shape stable, other tools read it. */
export function readingJson(
  file: string,
  r: Pick<SubmissionReading, 'unit' | 'period' | 'layout' | 'counts' | 'procedures' | 'warnings' | 'errors'> & { status: string },
  extra: Record<string, unknown> = {},
) {
  return {
    file,
    status: r.status,
    ...extra,
    unit: r.unit,
    period: r.period,
    layout: r.layout,
    counts: r.counts,
    procedures: r.procedures,
    warnings: r.warnings,
    errors: r.errors,
  };
}

/** A file named on the command line, or null when there is none by that name. */
export async function readInput(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw e;
  }
}

/** The error of a file that is not there, in the shape of every other file error. */
export function fileNotFound(file: string): FileIssue {
  return fileIssue('file_not_found', `Không tìm thấy tệp ${file}. Kiểm tra lại đường dẫn và tên tệp.`);
}

/** The `--json` line (the shape of `check`'s) and the text line for a file that is not there. */
export function notFoundReading(file: string) {
  return { status: 'rejected' as const, unit: null, period: null, layout: null, counts: null, procedures: [], warnings: [], errors: [fileNotFound(file)] };
}

/** A file named on the command line that is not there: a rejected line like any other (exit 1, not 2). */
export function writeNotFound(file: string, json: boolean, extra: Record<string, unknown> = {}): void {
  process.stdout.write(json
    ? `${JSON.stringify(readingJson(file, notFoundReading(file), extra))}\n`
    : `✘ ${file}: ${fileNotFound(file).message}\n`);
}

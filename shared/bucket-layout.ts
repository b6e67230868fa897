// The bucket's folders and every key in them, in one place: the functions, the CLI, the
// demo and the CDK policies (which grant per prefix) must agree on them, and the unit
// upload policy and the feedback a clerk downloads depend on them.
//   incoming/<unit>/<file>             a unit's upload (its credentials allow only its folder)
//   results/<unit>/<upload id>.json|.txt   the feedback on one upload
//   results/_unrecognised/<upload id>.json|.txt   feedback on an upload whose folder names no unit
//   results/config/<kind>/<file>.json  the result of a registry, targets or plan load
//   reports/<period>/<file>            the leadership workbook, and the 'sent' marker
//   config/registry/<file>, config/targets/<file>   an administrator's configuration files
import type { ConfigKind } from './config/config-files.ts';

export const INCOMING_PREFIX = 'incoming/';
export const RESULTS_PREFIX = 'results/';
export const REPORTS_PREFIX = 'reports/';
export const CONFIG_PREFIX = 'config/';

/** Results folder for uploads under a folder that is no unit's: starts with '_', which no unit code does. */
export const UNRECOGNISED_UNIT = '_unrecognised';

const lastSegment = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Where a unit's file goes: incoming/<unit>/<file name> (a name with slashes keeps its last part). */
export function uploadKey(unit: string, fileName: string): string {
  return `${INCOMING_PREFIX}${unit}/${lastSegment(fileName)}`;
}

/**
 * incoming/<folder>/…/<file>: the folder is what the uploader's credentials allow, so it names
 * the unit (whether it is a unit code is the registry's business). Null when the key has no
 * folder under incoming/.
 */
export function parseUploadKey(key: string): { folder: string; fileName: string } | null {
  const m = /^incoming\/([^/]+)\/(.+)$/s.exec(key); // s: a line break is part of a name, not its end
  return m ? { folder: m[1], fileName: lastSegment(m[2]) } : null;
}

/** A key under incoming/ (a report upload, or something that should have been one). */
export function isIncomingKey(key: string): boolean {
  return key.startsWith(INCOMING_PREFIX);
}

/** The prefixes whose new objects notify the ingest function (the bucket's notification filters). */
export const NOTIFIED_PREFIXES = [INCOMING_PREFIX, CONFIG_PREFIX] as const;

/** Whether S3 notifies the ingest function of a new object under this key (event keys are URL-encoded; the prefixes are plain ASCII either way). */
export function isNotifiedKey(key: string): boolean {
  return NOTIFIED_PREFIXES.some((p) => key.startsWith(p));
}

/** A console "create folder" marker: an empty object whose key ends in '/'. Not an upload. */
export function isFolderMarker(key: string, size: number): boolean {
  return key.endsWith('/') && size === 0;
}

/** The feedback on one upload, for the unit (results/<unit>/) or, unit unknown, results/_unrecognised/. */
export function feedbackKeysFor(unit: string, uploadId: string): { json: string; text: string } {
  const base = `${RESULTS_PREFIX}${unit}/${uploadId}`;
  return { json: `${base}.json`, text: `${base}.txt` };
}

/** reports/<period>/<file>: the leadership workbook and its companions for a period. */
export function periodReportKey(period: string, fileName: string): string {
  return `${REPORTS_PREFIX}${period}/${fileName}`;
}

export function configKey(kind: ConfigKind, fileName: string): string {
  return `${CONFIG_PREFIX}${kind}/${lastSegment(fileName)}`;
}

/** config/registry/<file>, config/targets/<file> or config/plan/<file>; anything else under config/ is not loaded. */
export function configKindOf(key: string): ConfigKind | null {
  const m = /^config\/(registry|targets|plan)\/[^/]+$/.exec(key);
  return m ? (m[1] as ConfigKind) : null;
}

/**
 * results/config/<kind>/<file>.json: the kind stays in the name, since a registry and a targets
 * file may well share a file name (2025.csv) and each load's result is read on its own.
 */
export function configResultKey(key: string): string {
  return `${RESULTS_PREFIX}${key}.json`;
}

// Which column is which, from its header texts read top-down as a path (group → leaf):
// the two "Quá hạn" columns are told apart only by the group above them.
import { looseKey } from '../text.ts';

/** Count columns a file may carry, totals and the combined desk/postal column included. */
export const COLUMN_KEYS = [
  'received_total', 'received_online', 'received_direct', 'received_postal', 'received_direct_or_postal',
  'carried_over', 'resolved_total', 'resolved_early', 'resolved_on_time', 'resolved_overdue',
  'pending_total', 'pending_within', 'pending_overdue', 'returned_postal',
] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

/** Label columns: the row's field, and Layout B's unit and period columns. */
export type LabelKey = 'field' | 'unit_code' | 'period';

export type ColumnClass =
  | { kind: 'count'; key: ColumnKey }
  | { kind: 'label'; key: LabelKey }
  | { kind: 'ambiguous'; leaf: string }
  | { kind: 'ignored' };

/** How each column is titled in Biểu 06a, for messages that ask a clerk to add one. */
export const COLUMN_TITLES: Record<ColumnKey, string> = {
  received_total: 'Số hồ sơ nhận giải quyết / Tổng số',
  received_online: 'Số hồ sơ nhận giải quyết / Trực tuyến',
  received_direct: 'Số hồ sơ nhận giải quyết / Trực tiếp',
  received_postal: 'Số hồ sơ nhận giải quyết / Dịch vụ bưu chính công ích',
  received_direct_or_postal: 'Số hồ sơ nhận giải quyết / Trực tiếp, dịch vụ bưu chính',
  carried_over: 'Số hồ sơ nhận giải quyết / Từ kỳ trước',
  resolved_total: 'Số hồ sơ đã giải quyết / Tổng số',
  resolved_early: 'Số hồ sơ đã giải quyết / Trước hạn',
  resolved_on_time: 'Số hồ sơ đã giải quyết / Đúng hạn',
  resolved_overdue: 'Số hồ sơ đã giải quyết / Quá hạn',
  pending_total: 'Số hồ sơ đang giải quyết / Tổng số',
  pending_within: 'Số hồ sơ đang giải quyết / Trong hạn',
  pending_overdue: 'Số hồ sơ đang giải quyết / Quá hạn',
  returned_postal: 'Trả kết quả qua bưu chính',
};

type Group = 'received' | 'resolved' | 'pending';

/**
 * The longest text matched as a column title: the longest the forms use is under 120
 * characters. A longer text is no title, and is not folded or matched: a sheet of long texts
 * (a cell holds up to 32,767 characters, and a shared string fills any number of cells) then
 * costs no more to scan than one of short texts.
 */
export const MAX_HEADER_TEXT = 300;

/** Header text folded for matching: no diacritics, no case, no "(4)"-style numbering; '' for a text too long to be a title. */
export function headerKey(text: string): string {
  if (text.length > MAX_HEADER_TEXT) return '';
  return looseKey(text).replace(/\b\d+\b/g, ' ').replace(/\s+/g, ' ').trim();
}

function groupOf(label: string): Group | null {
  if (/\bdang (giai quyet|xu ly)\b/.test(label)) return 'pending';
  if (/\b(da (giai quyet|xu ly)|ket qua giai quyet)\b/.test(label)) return 'resolved';
  if (/\b(nhan giai quyet|tiep nhan|so ho so nhan|ho so nhan)\b/.test(label)) return 'received';
  return null;
}

/** True for header texts that only group other columns ("Số hồ sơ đã giải quyết", "Trong đó"). */
export function isGroupLabel(text: string): boolean {
  const label = headerKey(text);
  return groupOf(label) !== null || label === 'trong do';
}

// Layout B's keys (and the totals, which the template may carry too).
const TEMPLATE_KEYS = new Map<string, ColumnClass>([
  ...COLUMN_KEYS.map((k) => [k.replace(/_/g, ' '), { kind: 'count', key: k }] as [string, ColumnClass]),
  ['unit code', { kind: 'label', key: 'unit_code' }],
  ['period', { kind: 'label', key: 'period' }],
  ['field', { kind: 'label', key: 'field' }],
]);

export function isTemplateKey(text: string): boolean {
  return text.length <= MAX_HEADER_TEXT && TEMPLATE_KEYS.has(looseKey(text));
}

/** Classifies a column from its header path, top (group) to bottom (leaf). */
export function classifyColumn(path: readonly string[]): ColumnClass {
  const labels = path.map(headerKey).filter((l) => l !== '');
  if (labels.length === 0) return { kind: 'ignored' };
  const leaf = labels[labels.length - 1];
  const last = path[path.length - 1];
  const template = last.length <= MAX_HEADER_TEXT ? TEMPLATE_KEYS.get(looseKey(last)) : undefined;
  if (template) return template;

  let group: Group | null = null;
  for (const l of labels) group = groupOf(l) ?? group;
  const count = (key: ColumnKey): ColumnClass => ({ kind: 'count', key });

  if (/^(stt|tt|so tt|so thu tu)$/.test(leaf)) return { kind: 'ignored' };
  if (/^(ten )?linh vuc\b/.test(leaf) || /^(ten )?don vi$/.test(leaf)) return { kind: 'label', key: 'field' };
  if (/\btra ket qua\b/.test(leaf) && /\bbuu chinh\b/.test(leaf)) return count('returned_postal');
  if (/\btu ky truoc\b|\bky truoc chuyen (qua|sang)\b|\bton ky truoc\b/.test(leaf)) return count('carried_over');
  if (/\btruc tuyen\b/.test(leaf)) return count('received_online');
  if (/\btruc tiep\b/.test(leaf)) return count(/\bbuu chinh\b|\bbcci\b/.test(leaf) ? 'received_direct_or_postal' : 'received_direct');
  if (/\bbuu chinh\b|^bcci$/.test(leaf)) return count('received_postal');
  if (/\btruoc han\b/.test(leaf)) return count('resolved_early');
  if (/\bdung han\b/.test(leaf)) return count('resolved_on_time');
  if (/\btrong han\b/.test(leaf)) return count('pending_within');
  if (/\bqua han\b/.test(leaf)) {
    if (group === 'resolved') return count('resolved_overdue');
    if (group === 'pending') return count('pending_overdue');
    return { kind: 'ambiguous', leaf: path[path.length - 1] };
  }
  // "Tổng số" under a group, or a group header standing alone over its own column.
  if (/^(tong so|tong|tong cong|cong)$/.test(leaf) || groupOf(leaf) !== null) {
    if (group) return count(`${group}_total`);
  }
  return { kind: 'ignored' };
}

/** Columns every report must have; the combined desk/postal column may stand for received_direct. */
export const REQUIRED_COLUMNS: readonly ColumnKey[] = [
  'received_online', 'received_direct', 'carried_over',
  'resolved_early', 'resolved_on_time', 'resolved_overdue', 'pending_within', 'pending_overdue',
];

// The optional "Chi tiết TTHC" sheet: dossiers received per procedure, with the level at
// which the procedure is offered online (Nghị định 42/2022: mức độ 4 = toàn trình,
// mức độ 3 = một phần). Feeds the "online services used" and online-only pilot indicators.
import { looseKey } from '../text.ts';
import { MAX_HEADER_TEXT } from './columns.ts';
import { capText, fileIssue, type FileIssue } from './file-issue.ts';
import { cellAt, cellText, isBlank, lastCol, lastRow, type Sheet } from './grid.ts';
import { parseCount } from './numbers.ts';

export type OnlineLevel = 'full' | 'partial';

export interface Procedure {
  code: string | null;
  name: string;
  online_level: OnlineLevel | null;
  received_online: number;
  received_direct: number;
  received_postal: number | null;
}

type DetailColumn = 'code' | 'name' | 'level' | 'online' | 'direct' | 'postal';

function detailColumn(text: string): DetailColumn | null {
  if (text.length > MAX_HEADER_TEXT) return null; // no column title: not folded or matched
  const k = looseKey(text);
  if (/^ma (tthc|thu tuc)/.test(k)) return 'code';
  if (/^ten (tthc|thu tuc)/.test(k)) return 'name';
  if (/^muc do/.test(k)) return 'level';
  if (/truc tuyen/.test(k)) return 'online';
  if (/truc tiep/.test(k)) return 'direct';
  if (/buu chinh|bcci/.test(k)) return 'postal';
  return null;
}

export function isDetailSheet(name: string): boolean {
  return /^chi tiet( tthc| thu tuc)?\b/.test(looseKey(name));
}

function parseLevel(text: string): OnlineLevel | null | undefined {
  const k = looseKey(text);
  if (k === '') return null;
  if (/^(toan trinh|muc do 4|md 4|4)$/.test(k)) return 'full';
  if (/^(mot phan|muc do 3|md 3|3)$/.test(k)) return 'partial';
  if (/^(muc do [12]|md [12]|[12]|khong|chua|cung cap thong tin)$/.test(k)) return null;
  return undefined;
}

export function readDetailSheet(sheet: Sheet): { procedures: Procedure[]; errors: FileIssue[] } {
  const errors: FileIssue[] = [];
  const procedures: Procedure[] = [];
  const at = (row: number, col?: number) => ({ sheet: sheet.name, row, col });
  let headerRow = 0;
  const cols = new Map<DetailColumn, number>();
  for (let r = 1; r <= Math.min(lastRow(sheet), 30) && !headerRow; r++) {
    for (let c = 1; c <= lastCol(sheet); c++) {
      const kind = detailColumn(cellText(cellAt(sheet, r, c)));
      if (kind === 'name') headerRow = r;
    }
    if (headerRow) {
      for (let c = 1; c <= lastCol(sheet); c++) {
        const kind = detailColumn(cellText(cellAt(sheet, r, c)));
        if (kind && !cols.has(kind)) cols.set(kind, c);
      }
    }
  }
  if (!headerRow) {
    errors.push(fileIssue('detail_header_missing', `Trang tính "${sheet.name}" không có dòng tiêu đề với cột "Tên TTHC".`, at(1)));
    return { procedures, errors };
  }
  for (const [need, title] of [['online', 'Trực tuyến'], ['direct', 'Trực tiếp']] as const) {
    if (!cols.has(need)) errors.push(fileIssue('detail_column_missing', `Trang tính "${sheet.name}" thiếu cột "${title}".`, at(headerRow)));
  }
  if (errors.length) return { procedures, errors };

  for (let r = headerRow + 1; r <= lastRow(sheet); r++) {
    const name = capText(cellText(cellAt(sheet, r, cols.get('name')!)).trim()); // stored and shown: bounded
    const countCols = (['online', 'direct', 'postal'] as const).filter((k) => cols.has(k));
    if (!name) {
      if (countCols.some((k) => !isBlank(cellAt(sheet, r, cols.get(k)!)))) {
        errors.push(fileIssue('detail_name_missing', 'Dòng có số hồ sơ nhưng thiếu "Tên TTHC".', at(r, cols.get('name'))));
      }
      continue;
    }
    const counts: Partial<Record<'online' | 'direct' | 'postal', number>> = {};
    for (const k of countCols) {
      const parsed = parseCount(cellAt(sheet, r, cols.get(k)!));
      if (parsed.ok) counts[k] = parsed.value;
      else errors.push(fileIssue(parsed.code, `Thủ tục "${name}": không đọc được số hồ sơ "${parsed.text}".`, at(r, cols.get(k))));
    }
    const levelCol = cols.get('level');
    const levelText = levelCol ? cellText(cellAt(sheet, r, levelCol)) : '';
    const level = parseLevel(levelText);
    if (level === undefined) {
      errors.push(fileIssue('invalid_online_level',
        `Thủ tục "${name}": "Mức độ" phải là "Toàn trình", "Một phần", "Mức độ 4", "Mức độ 3" hoặc để trống (không "${levelText}").`,
        at(r, levelCol)));
    }
    const code = cols.has('code') ? capText(cellText(cellAt(sheet, r, cols.get('code')!)).trim()) : '';
    procedures.push({
      code: code || null,
      name,
      online_level: level ?? null,
      received_online: counts.online ?? 0,
      received_direct: counts.direct ?? 0,
      received_postal: cols.has('postal') ? counts.postal ?? 0 : null,
    });
  }
  return { procedures, errors };
}

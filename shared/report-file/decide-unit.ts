// Who sent the file: the unit code or name it gives, against the unit whose upload prefix it
// came in under (the authority), in the registry in force for the file's period.
import { periodContaining, periodLabel, PLAN_128_PERIODS } from '../period.ts';
import type { Unit } from '../units/unit.ts';
import { fileIssue, type CellRef, type FileIssue } from './file-issue.ts';
import { columnValue } from './label-column.ts';
import type { ReadOptions } from './read-report.ts';
import type { Table } from './table.ts';
import type { Found } from './title.ts';

type UnitOptions = Pick<ReadOptions, 'units' | 'uploader' | 'periods' | 'now'>;

function describeUnit(u: Unit): string {
  return `${u.name} (${u.code})`;
}

export function decideUnit(
  table: Table, titleCode: Found<string> | null, titleName: Found<string> | null,
  options: UnitOptions, period: string | null, errors: FileIssue[], warnings: FileIssue[],
): Unit | null {
  const running = periodContaining(options.now ?? new Date(), options.periods ?? PLAN_128_PERIODS);
  const asOf = period ?? running;
  const registry = options.units.registryFor(asOf);
  const at = (row: number, col?: number): CellRef => ({ sheet: table.sheet, row, col: col ?? 1 });
  const uploaderCode = options.uploader?.trim().toUpperCase() || null;
  const uploader = uploaderCode ? registry.get(uploaderCode) ?? null : null;
  /** Why a code that once named a unit names none in this period: closed, or merged into another. */
  const retiredIssue = (code: string, where?: CellRef) => {
    const retired = options.units.retired(code, asOf);
    // An old code in a new unit's file (the 2022 code after 07/2025): the fix is the folder's code.
    const instead = uploader && !retired?.mergedInto ? ` Báo cáo của ${describeUnit(uploader)}: ghi mã ${uploader.code}.` : ' Tra mã đơn vị mới trong danh mục.';
    return retired && fileIssue('unit_retired', retired.mergedInto
      ? `Đơn vị ${retired.name} (${retired.code}) đã sáp nhập vào ${registry.get(retired.mergedInto)?.name ?? retired.mergedInto} (${retired.mergedInto}) từ sau kỳ ${periodLabel(retired.validTo!)}: báo cáo kỳ ${periodLabel(asOf)} do ${retired.mergedInto} gửi.`
      : `Đơn vị ${retired.name} (${retired.code}) không còn trong danh mục từ sau kỳ ${periodLabel(retired.validTo!)}.${instead}`, where);
  };
  if (uploaderCode && !uploader) {
    // A unit that exists now but not in the file's period (N001 sending for 06/2025): say so, not "no such unit".
    const today = options.units.registryFor(running).get(uploaderCode);
    errors.push(retiredIssue(uploaderCode)
      ?? (today
        ? fileIssue('unknown_uploader', `${describeUnit(today)} chưa có trong danh mục kỳ ${periodLabel(asOf)}: tệp ghi kỳ ${periodLabel(asOf)}, trước khi đơn vị bắt đầu báo cáo. Nếu ghi nhầm kỳ, sửa dòng kỳ báo cáo rồi gửi lại; báo cáo kỳ ${periodLabel(asOf)} là của đơn vị trong danh mục kỳ đó.`)
        : fileIssue('unknown_uploader', `Thư mục tải lên "${uploaderCode}" không phải mã của đơn vị nào trong danh mục kỳ ${periodLabel(asOf)}.`)));
    return null;
  }
  const columnCode = columnValue(table, 'unit_code', errors);
  const code = columnCode ? { value: columnCode.value.toUpperCase(), row: columnCode.row, col: columnCode.col } : titleCode && { ...titleCode, col: undefined };

  if (code) {
    const unit = registry.get(code.value);
    if (!unit) {
      errors.push(retiredIssue(code.value, at(code.row, code.col))
        ?? fileIssue('unknown_unit_code', `Mã đơn vị "${code.value}" không có trong danh mục đơn vị.`, at(code.row, code.col)));
      return uploader;
    }
    if (uploader && unit.code !== uploader.code) {
      errors.push(fileIssue('wrong_unit',
        `Tệp ghi mã đơn vị ${describeUnit(unit)} nhưng được tải lên thư mục của ${describeUnit(uploader)}. Mỗi đơn vị chỉ gửi báo cáo của mình.`,
        at(code.row, code.col)));
      return uploader;
    }
    if (titleName && !registry.matchName(titleName.value).some((u) => u.code === unit.code)) {
      warnings.push(fileIssue('unit_name_mismatch',
        `Tên đơn vị "${titleName.value}" không khớp mã ${unit.code} (${unit.name}); theo mã đơn vị.`, at(titleName.row)));
    }
    return unit;
  }
  if (titleName) {
    const matches = registry.matchName(titleName.value);
    if (uploader) {
      if (matches.some((u) => u.code === uploader.code)) return uploader;
      if (matches.length > 0) {
        errors.push(fileIssue('wrong_unit',
          `Tệp là báo cáo của "${titleName.value}" (${matches.map((u) => u.code).join(', ')}) nhưng được tải lên thư mục của ${describeUnit(uploader)}. Mỗi đơn vị chỉ gửi báo cáo của mình.`,
          at(titleName.row)));
        return uploader;
      }
      warnings.push(fileIssue('unit_name_unknown',
        `Tên đơn vị "${titleName.value}" không có trong danh mục; tệp được tính cho ${describeUnit(uploader)} theo thư mục tải lên.`, at(titleName.row)));
      return uploader;
    }
    if (matches.length === 1) return matches[0];
    errors.push(matches.length === 0
      ? fileIssue('unknown_unit', `Không tìm thấy đơn vị "${titleName.value}" trong danh mục. Ghi thêm dòng "Mã đơn vị: …".`, at(titleName.row))
      : fileIssue('ambiguous_unit',
        `Có ${matches.length} đơn vị tên "${titleName.value}" (${matches.map((u) => u.code).join(', ')}). Ghi thêm dòng "Mã đơn vị: …".`, at(titleName.row)));
    return null;
  }
  if (uploader) return uploader;
  errors.push(fileIssue('unit_not_found', 'Tệp không ghi đơn vị báo cáo: thêm dòng "Đơn vị báo cáo: …" và "Mã đơn vị: …" phía trên bảng.', at(1)));
  return null;
}

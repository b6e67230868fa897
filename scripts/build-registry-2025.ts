// Builds shared/data/haiphong-2025/registry-2025-07.csv, the registry of the city as it is
// since 1/7/2025, from the reference files beside it and the built-in 2022 plan:
// - the 14 departments (D01–D14) and 114 communes (N001–N114) in force from 2025-07, each
//   commune with the statistics office's code (Công văn 1027/CTK-CSCL) as `gso_code`;
// - the 252 units of the 2022 plan, unchanged but ending with 2025-06. They have no
//   merged_into: most new units take parts of several old ones (the data README), so there
//   is no single unit an old one's reports now go to. valid_from is the built-in plan's own,
//   so each row replaces the built-in row of its code rather than adding a second one.
// The departments start in 2025-07 too, although eight were formed on 1/3/2025: until the
// June change the units reported under the 2022 plan's codes, and one change date keeps
// every period on one registry or the other.
// Run: npx tsx scripts/build-registry-2025.ts (a test fails when the committed file drifts).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsvObjects } from '../shared/csv.ts';
import { BUILTIN_FROM } from '../shared/config/plan-config.ts';
import { PLAN_128_UNITS } from '../shared/units/plan-128-2022.ts';

export const REGISTRY_2025_FILE = 'registry-2025-07.csv';
export const CITY_2025_FROM = '2025-07';
export const PLAN_2022_LAST = '2025-06';

const DIR = new URL('../shared/data/haiphong-2025/', import.meta.url);
const COLUMNS = ['code', 'level', 'name', 'valid_from', 'parent_code', 'contact_email', 'valid_to', 'merged_into', 'gso_code'] as const;
type Row = Record<(typeof COLUMNS)[number], string>;

const read = (file: string) => parseCsvObjects(readFileSync(new URL(file, DIR), 'utf8'));

/** RFC 4180: quoted only where a field needs it ("Sở Văn hóa, Thể thao và Du lịch"). */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function registry2025Rows(): Row[] {
  const blank = { parent_code: '', contact_email: '', valid_to: '', merged_into: '', gso_code: '' };
  const gso = new Map(read('communes_extra.csv').map((r) => [r.new_code, r.gso_code_1027]));
  const departments = read('departments.csv').map((d): Row => ({ ...blank, code: d.code, level: 'department', name: d.name, valid_from: CITY_2025_FROM }));
  const communes = read('communes.csv').map((c): Row => {
    const code = gso.get(c.new_code);
    if (!code) throw new Error(`communes_extra.csv has no statistics code for ${c.new_code}`);
    return { ...blank, code: c.new_code, level: 'commune', name: c.name, valid_from: CITY_2025_FROM, gso_code: code };
  });
  const retired = PLAN_128_UNITS.map((u): Row => ({
    ...blank, code: u.code, level: u.level, name: u.name, valid_from: BUILTIN_FROM, parent_code: u.parentCode ?? '', valid_to: PLAN_2022_LAST,
  }));
  return [...departments, ...communes, ...retired];
}

export function registry2025Csv(): string {
  const lines = [COLUMNS.join(','), ...registry2025Rows().map((r) => COLUMNS.map((c) => field(r[c])).join(','))];
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = new URL(REGISTRY_2025_FILE, DIR);
  writeFileSync(out, registry2025Csv());
  console.log('wrote', fileURLToPath(out));
}

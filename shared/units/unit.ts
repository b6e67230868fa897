// Units of the plan: city departments (Sở, ban, ngành), districts (quận, huyện) and
// communes (xã, phường, thị trấn, each under a district).

export const LEVELS = ['department', 'district', 'commune'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_NAMES: Record<Level, string> = {
  department: 'Sở, ban, ngành',
  district: 'Quận, huyện',
  commune: 'Xã, phường, thị trấn',
};

export interface Unit {
  code: string;
  level: Level;
  name: string;
  parentCode: string | null;
  /** Where the unit's upload feedback goes; optional. */
  contactEmail: string | null;
}

export function isLevel(text: string): text is Level {
  return (LEVELS as readonly string[]).includes(text);
}

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

/** How a unit code is written (upper case, as the registry folds it): letters without marks, digits, "-", "_", ".". */
export const UNIT_CODE = /^[A-Z0-9][A-Z0-9_.-]*$/;

/**
 * The longest unit code: a clerk's portal account holds its unit in a Cognito attribute of at
 * most 32 characters, which cannot change once the user pool exists. A longer code could be
 * loaded but its clerk could never sign in.
 */
export const MAX_UNIT_CODE = 32;

/** A unit code as written: the registry's, a baseline's, a portal account's claim. */
export function isUnitCode(text: string): boolean {
  return text.length <= MAX_UNIT_CODE && UNIT_CODE.test(text);
}

export function isLevel(text: string): text is Level {
  return (LEVELS as readonly string[]).includes(text);
}

/** A level in force for a period, with the name it goes by then. */
export interface LevelInfo {
  level: Level;
  name: string;
}

// The kinds of unit a level holds, as their names begin, in the order the city lists them.
// The 2022 communes are xã, phường and thị trấn; since 1/7/2025 there are đặc khu and no
// thị trấn, and the leadership reads "Xã, phường, đặc khu".
const KINDS: Partial<Record<Level, readonly string[]>> = {
  district: ['quận', 'huyện', 'thị xã', 'thành phố'],
  commune: ['xã', 'phường', 'thị trấn', 'đặc khu'],
};
const PLAN_KINDS: Partial<Record<Level, readonly string[]>> = {
  district: ['quận', 'huyện'],
  commune: ['xã', 'phường', 'thị trấn'],
};

/** The kind a unit's name starts with ("Đặc khu Cát Hải" → "đặc khu"), "UBND" aside. */
function kindOf(level: Level, name: string): string | null {
  const text = name.trim().toLowerCase().normalize('NFC').replace(/^(ubnd|ủy ban nhân dân)\s+/, '');
  return KINDS[level]?.find((k) => text.startsWith(`${k} `)) ?? null;
}

/**
 * The levels the units of a period have, in LEVELS order, each named from its units: the
 * plan's name (LEVEL_NAMES) while its kinds are the plan's, else the kinds present ("Xã,
 * phường, đặc khu"). A level without units in force is not there (no district since 2025-07).
 */
export function levelsOf(units: readonly Unit[]): LevelInfo[] {
  return LEVELS.flatMap((level) => {
    const mine = units.filter((u) => u.level === level);
    if (!mine.length) return [];
    const present = new Set(mine.map((u) => kindOf(level, u.name)));
    const kinds = (KINDS[level] ?? []).filter((k) => present.has(k));
    const planKinds = PLAN_KINDS[level];
    const own = !planKinds || present.has(null) || kinds.every((k) => planKinds.includes(k));
    const name = own ? LEVEL_NAMES[level] : kinds.join(', ').replace(/^./, (c) => c.toUpperCase());
    return [{ level, name }];
  });
}

/** The longest address SMTP carries (RFC 5321). */
export const MAX_EMAIL = 254;

/** An address a unit's mail (feedback, reminders, the portal invitation) can go to: one "@", a dotted domain, no spaces. */
export function isEmailAddress(text: string): boolean {
  return text.length <= MAX_EMAIL && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
}

import { foldKey, looseKey } from '../text.ts';
import type { Level, Unit } from './unit.ts';

// "UBND phường Đằng Hải" names the same unit as "Phường Đằng Hải".
const COUNCIL_PREFIX = /^(ubnd|ủy ban nhân dân|uy ban nhan dan)\s+/;

function nameKey(name: string): string {
  return foldKey(name).replace(COUNCIL_PREFIX, '');
}

/** The units in force for a period, looked up by code or by the name a file gives. */
export class UnitRegistry {
  private readonly byCode = new Map<string, Unit>();
  private readonly byExactName = new Map<string, Unit[]>();
  private readonly byLooseName = new Map<string, Unit[]>();

  constructor(readonly units: readonly Unit[]) {
    for (const unit of units) {
      this.byCode.set(unit.code.toUpperCase(), unit);
      const exact = nameKey(unit.name);
      push(this.byExactName, exact, unit);
      push(this.byLooseName, looseKey(exact), unit);
    }
  }

  get(code: string): Unit | undefined {
    return this.byCode.get(code.trim().toUpperCase());
  }

  byLevel(level: Level): Unit[] {
    return this.units.filter((u) => u.level === level);
  }

  /**
   * Units whose name matches: same letters and diacritics first; only when none do,
   * the same letters without diacritics. Several results mean the name is shared
   * (four commune names exist twice) and something else must decide.
   */
  matchName(name: string): Unit[] {
    const exact = nameKey(name);
    if (!exact) return [];
    return this.byExactName.get(exact) ?? this.byLooseName.get(looseKey(exact)) ?? [];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

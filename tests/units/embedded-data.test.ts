// The built-in plan is embedded in the code as parsed rows (shared/data/plan-128-2022/
// embedded.ts, made by scripts/embed-data.ts): it must say what the CSV files beside it say.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvObjects } from '../../shared/csv.ts';
import { ONLINE_ONLY_PROCEDURE_ROWS, UNITS_ROWS } from '../../shared/data/plan-128-2022/embedded.ts';
import { PLAN_128_ONLINE_ONLY, PLAN_128_UNITS } from '../../shared/units/plan-128-2022.ts';

const csv = (file: string) => parseCsvObjects(readFileSync(new URL(`../../shared/data/plan-128-2022/${file}`, import.meta.url), 'utf8'));

describe('the embedded plan data', () => {
  it('holds exactly the rows of units.csv and online-only-procedures.csv (else: npx tsx scripts/embed-data.ts)', () => {
    expect(UNITS_ROWS).toEqual(csv('units.csv'));
    expect(ONLINE_ONLY_PROCEDURE_ROWS).toEqual(csv('online-only-procedures.csv'));
  });

  it('gives the plan\'s 252 units and its online-only procedures', () => {
    expect(PLAN_128_UNITS).toHaveLength(252);
    expect(PLAN_128_ONLINE_ONLY.length).toBe(csv('online-only-procedures.csv').length);
    expect(PLAN_128_UNITS.find((u) => u.code === 'S01')).toMatchObject({ level: 'department', name: 'Sở Công Thương', parentCode: null });
  });
});

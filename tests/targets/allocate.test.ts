// Phụ lục 2 reproduced from its own baseline columns and pools.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsvObjects } from '../../shared/csv.ts';
import { allocateTargets, poolForGoal, targetFromShare, type BaselineRow } from '../../shared/targets/allocate.ts';
import { PLAN_128_BASELINE } from '../../shared/units/plan-128-2022.ts';
import { tthcOk } from '../fixtures/tthc.ts';

const PLAN_POOLS = { department: 76680, district: 19426, commune: 169369 };

describe('Phụ lục 2 allocation', () => {
  const allocations = allocateTargets(PLAN_128_BASELINE, PLAN_POOLS);
  const byCode = new Map(allocations.map((a) => [a.code, a]));

  it('reproduces all 249 printed targets exactly', () => {
    const printed = PLAN_128_BASELINE.filter((b) => b.targetPct !== null);
    expect(printed).toHaveLength(249);
    const wrong = printed.filter((b) => byCode.get(b.code)!.targetPct !== b.targetPct)
      .map((b) => `${b.code}: printed ${b.targetPct}, computed ${byCode.get(b.code)!.targetPct}`);
    expect(wrong).toEqual([]);
  });

  it('reproduces the extra online dossiers of every row the plan prints one for', () => {
    const wrong = PLAN_128_BASELINE
      .filter((b) => b.extraOnlineAssigned !== null && byCode.get(b.code)!.targetPct !== null)
      .filter((b) => byCode.get(b.code)!.extraOnline !== b.extraOnlineAssigned)
      .map((b) => `${b.code}: printed ${b.extraOnlineAssigned}, computed ${byCode.get(b.code)!.extraOnline}`);
    expect(wrong).toEqual([]);
  });

  it('keeps one decimal where whole-percent rounding would reach 100% from below', () => {
    expect(byCode.get('S01')!.targetPct).toBe(99.7); // Sở Công Thương: 99.734
    expect(byCode.get('S05')!.targetPct).toBe(99.9); // Sở Khoa học và Công nghệ: 99.903
    expect(targetFromShare(99.49)).toBe(99);
    expect(targetFromShare(99.5)).toBe(99.5);
    expect(targetFromShare(99.97)).toBe(99.9);
    expect(targetFromShare(100)).toBe(100);
    expect(targetFromShare(70.5)).toBe(71);
  });

  it('leaves out S19 and S20 (blank not-online with dossiers not all online) and H14 (no projected dossiers)', () => {
    for (const code of ['S19', 'S20', 'H14']) expect(byCode.get(code)!.targetPct).toBeNull();
    // X186: blank not-online that agrees with the other columns (34 of 34 online) is zero.
    expect(byCode.get('X186')!.targetPct).toBe(100);
  });

  it('excludes left-out rows from the level sum: S19/S20 change no other department target', () => {
    const withoutThem = allocateTargets(PLAN_128_BASELINE.filter((b) => b.code !== 'S19' && b.code !== 'S20'), PLAN_POOLS);
    for (const a of withoutThem) expect(a.targetPct).toBe(byCode.get(a.code)!.targetPct);
  });

  it('derives the pool from a goal rate: the level then reaches exactly the goal', () => {
    const rows: BaselineRow[] = [
      { code: 'A', level: 'commune', projectedTotal: 1000, projectedOnline: 100, notOnline: 900 },
      { code: 'B', level: 'commune', projectedTotal: 500, projectedOnline: 400, notOnline: 100 },
    ];
    const pool = poolForGoal(rows, 0.6);
    expect(pool).toBe(0.6 * 1500 - 500);
    const a = allocateTargets(rows, { commune: pool });
    const online = a.reduce((s, x, i) => s + (x.targetPct! / 100) * rows[i].projectedTotal, 0);
    expect(online / 1500).toBeCloseTo(0.6, 2);
    expect(poolForGoal(rows, 0.2)).toBe(0); // already above the goal: nothing to assign
  });

  it('tthc targets allocate writes a targets file with the plan window and prints the table', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tthc-alloc-'));
    const out = join(dir, 'targets.csv');
    const { stdout } = await tthcOk(['targets', 'allocate', '--baseline', 'shared/data/plan-128-2022/units.csv',
      '--pool', 'department=76680,district=19426,commune=169369', '--out', out], { home: dir });
    expect(stdout).toContain('76.680');
    // Vietnamese numbers on the screen (the file keeps the dot for other tools).
    expect(stdout).toMatch(/\n {2}S01 +0,38 +288 +99,7\n/);
    expect(stdout).toMatch(/\n {2}S11 +84,41 +64\.728 +69\n/);
    const rows = parseCsvObjects(await readFile(out, 'utf8'));
    expect(rows).toHaveLength(252);
    expect(rows[0]).toMatchObject({ unit: 'S01', level: 'department', window_from: '2022-05', window_to: '2022-12', target_pct: '99.7', extra_online: '288' });
    expect(rows.filter((r) => r.target_pct !== '')).toHaveLength(249);
  }, 30_000);
});

describe('the baseline file', () => {
  it('a code is a unit code (the targets file is written from it, a line each): a formula or a line break is refused', async () => {
    const { readBaselineCsv } = await import('../../shared/targets/baseline-file.ts');
    const head = 'code,level,projected_total,projected_online,not_online';
    const { rows, errors } = readBaselineCsv(`${head}\n"=cmd|' /C calc'!A0",department,100,20,80\n"X1\nS01,department",department,100,20,80\ns02,department,100,20,80\n`);
    expect(errors.map((e) => [e.code, e.row])).toEqual([['invalid_code', 2], ['invalid_code', 3]]);
    expect(rows.map((r) => r.code)).toEqual(['S02']);
  });
});

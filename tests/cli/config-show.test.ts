// tthc registry|targets show and load --dry-run, through the real `tthc` command and the
// local stack: what is in force for a period, and what a file would change before it does.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tthcOn } from '../fixtures/tthc.ts';

let home: string;
const { ok: tthc, json } = tthcOn(() => home);
const file = async (name: string, text: string) => {
  const path = join(home, name);
  await writeFile(path, text);
  return path;
};

beforeAll(async () => { home = await mkdtemp(join(tmpdir(), 'tthc-cli-show-')); });
afterAll(async () => { await rm(home, { recursive: true, force: true }); });

const REGISTRY = [
  'code,level,name,parent_code,valid_from,valid_to,merged_into',
  'X001,commune,Phường Anh Dũng,H15,2000-01,2025-06,X002',
  'X002,commune,Phường Đa Phúc mới,H15,2025-07,,',
  'N001,commune,Phường Mới,H15,2025-07,,',
].join('\n');

describe('tthc registry show / load --dry-run', () => {
  it('shows the built-in units in force: every field, as JSON', async () => {
    const shown = await json('registry', 'show', '--period', '2022-06', '--json');
    expect(shown.period).toBe('2022-06');
    expect(shown.units).toHaveLength(252);
    expect(shown.units[0]).toEqual({
      code: 'S01', level: 'department', name: 'Sở Công Thương', parent: null, contact_email: null, valid_from: '2000-01', valid_to: null, merged_into: null,
    });
    expect(shown.units.find((u: { code: string }) => u.code === 'X001')).toMatchObject({ level: 'commune', parent: 'H15' });
  }, 180_000);

  it('a dry run says what would change, in Vietnamese, and stores nothing', async () => {
    const path = await file('danh-muc-2025.csv', REGISTRY);
    const { stdout } = await tthc('registry', 'load', '--dry-run', path);
    expect(stdout).toContain('X001 → X002 từ 07/2025');
    expect(stdout).toMatch(/Đơn vị mới từ 07\/2025: N001 Phường Mới/);
    expect(stdout).toContain('X002: đổi tên "Phường Đa Phúc" → "Phường Đa Phúc mới" từ 07/2025');
    const dry = await json('registry', 'load', '--dry-run', '--json', path);
    expect(dry).toMatchObject({ status: 'would_load', dry_run: true, rows: 3, changed: 3, errors: [] });
    expect(dry.changes.map((c: { code: string; unit: string; from: string }) => [c.code, c.unit, c.from]))
      .toEqual([['new_unit', 'N001', '2025-07'], ['merged', 'X001', '2025-07'], ['renamed', 'X002', '2025-07']]);
    // Nothing was stored: the next test's load changes all three rows.
  }, 180_000);

  it('after the load, show gives the units of each period', async () => {
    const path = await file('danh-muc-2025.csv', REGISTRY);
    expect(await json('registry', 'load', '--json', path)).toMatchObject({ status: 'loaded', changed: 3 }); // the dry runs stored nothing
    const july = (await json('registry', 'show', '--period', '2025-07', '--json')).units;
    expect(july.find((u: { code: string }) => u.code === 'X001')).toBeUndefined();
    expect(july.find((u: { code: string }) => u.code === 'X002')).toMatchObject({ name: 'Phường Đa Phúc mới', valid_from: '2025-07' });
    expect(july).toHaveLength(252); // one merged away, one new
    const june = (await json('registry', 'show', '--period', '2025-06', '--json')).units;
    expect(june.find((u: { code: string }) => u.code === 'X001')).toMatchObject({ valid_to: '2025-06', merged_into: 'X002' });
    // Loading it again would change nothing, and the dry run says so.
    expect(await json('registry', 'load', '--dry-run', '--json', path)).toMatchObject({ status: 'would_change_nothing', changed: 0, changes: [] });
  }, 180_000);
});

describe('tthc targets show / load --dry-run', () => {
  it('shows the targets in force, built-in or loaded', async () => {
    const shown = await json('targets', 'show', '--period', '2022-06', '--json');
    expect(shown.period).toBe('2022-06');
    expect(shown.targets.find((t: { unit: string }) => t.unit === 'S01')).toEqual({ unit: 'S01', window_from: '2022-05', window_to: '2022-12', target_pct: 99.7, source: 'builtin' });
    expect(shown.targets.filter((t: { target_pct: number | null }) => t.target_pct !== null)).toHaveLength(249);

    const path = await file('chi-tieu.csv', 'unit,window_from,window_to,target_pct\nS01,2022-05,2022-12,50\nS02,2026-01,2026-12,95\n');
    const { stdout } = await tthc('targets', 'load', '--dry-run', path);
    expect(stdout).toContain('S01 kỳ 05/2022–12/2022: chỉ tiêu 99,7% → 50%');
    expect(stdout).toContain('S02 kỳ 01/2026–12/2026: chỉ tiêu mới 95%');
    expect(await json('targets', 'load', '--json', path)).toMatchObject({ status: 'loaded', changed: 2 }); // the dry run stored nothing
    expect((await json('targets', 'show', '--period', '2022-06', '--json')).targets.find((t: { unit: string }) => t.unit === 'S01'))
      .toEqual({ unit: 'S01', window_from: '2022-05', window_to: '2022-12', target_pct: 50, source: 'loaded' });
    const y2026 = await json('targets', 'show', '--period', '2026-03', '--json');
    expect(y2026.targets).toEqual([{ unit: 'S02', window_from: '2026-01', window_to: '2026-12', target_pct: 95, source: 'loaded' }]);
  }, 240_000);
});

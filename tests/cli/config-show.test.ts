// tthc registry|targets show and load --dry-run, through the real `tthc` command and the
// local stack: what is in force for a period, and what a file would change before it does.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkHome, removeForks, tthcOk, tthcOn, tthcSideBySideOk } from '../fixtures/tthc.ts';

// The registry's tests and the targets' tests each have their home.
let home: string;
let targetsHome: string;
const { json } = tthcOn(() => home);
const file = async (dir: string, name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};
const TARGETS = 'unit,window_from,window_to,target_pct\nS01,2022-05,2022-12,50\nS02,2026-01,2026-12,95\n';

type Fresh = 'registryShow' | 'registryDry' | 'registryDryJson' | 'targetsShow' | 'targetsDry';
/**
 * What the commands say before anything is loaded, all started at once in beforeAll: the dry
 * runs of the text form on the homes themselves (the loads below then show they stored
 * nothing), the others on copies.
 */
let fresh: Record<Fresh, Promise<string>>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'tthc-cli-show-'));
  targetsHome = await mkdtemp(join(tmpdir(), 'tthc-cli-show-targets-'));
  const registry = await file(home, 'danh-muc-2025.csv', REGISTRY);
  const targets = await file(targetsHome, 'chi-tieu.csv', TARGETS);
  const [showHome, dryJsonHome, targetsShowHome] = await Promise.all([forkHome(home), forkHome(home), forkHome(targetsHome)]);
  const start = (on: string, ...args: string[]) => {
    const out = tthcOk(args, { home: on }).then((r) => r.stdout);
    out.catch(() => undefined); // awaited by its test
    return out;
  };
  fresh = {
    registryDry: start(home, 'registry', 'load', '--dry-run', registry),
    registryShow: start(showHome, 'registry', 'show', '--period', '2022-06', '--json'),
    registryDryJson: start(dryJsonHome, 'registry', 'load', '--dry-run', '--json', registry),
    targetsDry: start(targetsHome, 'targets', 'load', '--dry-run', targets),
    targetsShow: start(targetsShowHome, 'targets', 'show', '--period', '2022-06', '--json'),
  };
});
afterAll(async () => {
  await Promise.all([home, targetsHome].map((d) => rm(d, { recursive: true, force: true })));
  await removeForks();
});

/** Each command once on its own copy of the home, all at once: they only read what is stored. */
const sideBySide = (on: string, ...commands: string[][]) => tthcSideBySideOk(on, commands);

const REGISTRY = [
  'code,level,name,parent_code,valid_from,valid_to,merged_into',
  'X001,commune,Phường Anh Dũng,H15,2000-01,2025-06,X002',
  'X002,commune,Phường Đa Phúc mới,H14,2025-07,,',
  'N001,commune,Phường Mới,H15,2025-07,,',
].join('\n');

describe('tthc registry show / load --dry-run', () => {
  it('shows the built-in units in force: every field, as JSON', async () => {
    const shown = JSON.parse(await fresh.registryShow);
    expect(shown.period).toBe('2022-06');
    expect(shown.units).toHaveLength(252);
    expect(shown.units[0]).toEqual({
      code: 'S01', level: 'department', name: 'Sở Công Thương', parent: null, contact_email: null, valid_from: '2000-01', valid_to: null, merged_into: null,
    });
    expect(shown.units.find((u: { code: string }) => u.code === 'X001')).toMatchObject({ level: 'commune', parent: 'H15' });
  }, 180_000);

  it('a dry run says what would change, in Vietnamese, and stores nothing', async () => {
    const stdout = await fresh.registryDry;
    // A summary first, then each change, a unit named by its code and name.
    expect(stdout.split('\n')[0]).toMatch(/: 3 dòng, thử nạp \(không lưu gì\), .*\(3 dòng mới hoặc thay đổi\)$/);
    expect(stdout.split('\n')[1]).toBe('  Tóm tắt: 1 đơn vị mới, 1 sáp nhập, 1 đổi tên, 1 đổi thông tin');
    expect(stdout).toMatch(/X001 Phường [^\n]+ → X002 từ 07\/2025/);
    expect(stdout).toMatch(/Đơn vị mới từ 07\/2025: N001 Phường Mới/);
    expect(stdout).toContain('X002: đổi tên "Phường Đa Phúc" → "Phường Đa Phúc mới" từ 07/2025');
    const dry = JSON.parse(await fresh.registryDryJson);
    // Four changes in three rows (X002 renamed and moved): `changed` counts rows, as the load does.
    expect(dry).toMatchObject({ status: 'would_load', dry_run: true, rows: 3, changed: 3, errors: [] });
    expect(dry.changes.map((c: { code: string; unit: string; from: string }) => [c.code, c.unit, c.from]))
      .toEqual([['new_unit', 'N001', '2025-07'], ['merged', 'X001', '2025-07'], ['renamed', 'X002', '2025-07'], ['unit_changed', 'X002', '2025-07']]);
    // Nothing was stored: the next test's load, on the home the text dry run ran on, changes all three rows.
  }, 180_000);

  it('after the load, show gives the units of each period', async () => {
    await fresh.registryDry; // it runs on this home
    const path = join(home, 'danh-muc-2025.csv');
    expect(await json('registry', 'load', '--json', path)).toMatchObject({ status: 'loaded', changed: 3 }); // the dry runs stored nothing
    const [july, june, again] = await sideBySide(home,
      ['registry', 'show', '--period', '2025-07', '--json'], ['registry', 'show', '--period', '2025-06', '--json'], ['registry', 'load', '--dry-run', '--json', path]);
    const units = (out: string) => JSON.parse(out).units as Array<{ code: string }>;
    expect(units(july).find((u) => u.code === 'X001')).toBeUndefined();
    expect(units(july).find((u) => u.code === 'X002')).toMatchObject({ name: 'Phường Đa Phúc mới', valid_from: '2025-07' });
    expect(units(july)).toHaveLength(252); // one merged away, one new
    expect(units(june).find((u) => u.code === 'X001')).toMatchObject({ valid_to: '2025-06', merged_into: 'X002' });
    // Loading it again would change nothing, and the dry run says so.
    expect(JSON.parse(again)).toMatchObject({ status: 'would_change_nothing', changed: 0, changes: [] });
  }, 180_000);
});

describe('tthc targets show / load --dry-run', () => {
  it('shows the targets in force, built-in or loaded', async () => {
    const shown = JSON.parse(await fresh.targetsShow);
    expect(shown.period).toBe('2022-06');
    expect(shown.targets.find((t: { unit: string }) => t.unit === 'S01')).toEqual({ unit: 'S01', window_from: '2022-05', window_to: '2022-12', target_pct: 99.7, source: 'builtin' });
    expect(shown.targets.filter((t: { target_pct: number | null }) => t.target_pct !== null)).toHaveLength(249);

    const stdout = await fresh.targetsDry;
    expect(stdout).toContain('S01 kỳ 05/2022–12/2022: chỉ tiêu 99,7% → 50%');
    expect(stdout).toContain('S02 kỳ 01/2026–12/2026: chỉ tiêu mới 95%');
    expect(JSON.parse((await tthcOk(['targets', 'load', '--json', join(targetsHome, 'chi-tieu.csv')], { home: targetsHome })).stdout))
      .toMatchObject({ status: 'loaded', changed: 2 }); // the dry run stored nothing
    const [june, y2026] = (await sideBySide(targetsHome, ['targets', 'show', '--period', '2022-06', '--json'], ['targets', 'show', '--period', '2026-03', '--json']))
      .map((out) => JSON.parse(out).targets);
    expect(june.find((t: { unit: string }) => t.unit === 'S01')).toEqual({ unit: 'S01', window_from: '2022-05', window_to: '2022-12', target_pct: 50, source: 'loaded' });
    expect(y2026).toEqual([{ unit: 'S02', window_from: '2026-01', window_to: '2026-12', target_pct: 95, source: 'loaded' }]);
  }, 240_000);
});

// Loading registry and targets files through the pipeline (S3 config/ → the ingest Lambda's
// handler → DynamoDB), and what changes from then on.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Client } from '../../functions/commons/clients.ts';
import { DynamoConfigStore } from '../../functions/commons/dynamodb-config-store.ts';
import { dynamoClient } from '../../functions/commons/clients.ts';
import { reportDepsFromEnv } from '../../functions/commons/deps.ts';
import { startLocalPipeline, type LocalPipeline } from '../../infra/local/runner.ts';
import { configResultKey, type ConfigLoadResult } from '../../shared/config/load-config.ts';
import { loadLeadershipReport } from '../../shared/report/load-report.ts';
import { deflatedPart, partsOf, SHEET_PART, zip } from '../../scripts/generate/zip-bomb.ts';
import { PLAN_128_REGISTRY } from '../../shared/config/plan-config.ts';

const REPORT_HEADER = 'unit_code,period,field,received_online,received_direct,received_postal,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue,returned_postal';

let pipeline: LocalPipeline;
let home: string;
beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  home = await mkdtemp(join(tmpdir(), 'tthc-config-'));
  pipeline = await startLocalPipeline({ home });
}, 60_000);
afterAll(async () => {
  await pipeline?.stack.stop();
  await rm(home, { recursive: true, force: true });
});

async function upload(key: string, body: string | Buffer, at?: string): Promise<void> {
  if (at) pipeline.eventTimes.set(key, at);
  await s3Client().send(new PutObjectCommand({ Bucket: pipeline.stack.bucket, Key: key, Body: Buffer.from(body) }));
  await pipeline.stack.idle();
}

async function load(kind: 'registry' | 'targets', name: string, body: string | Buffer): Promise<ConfigLoadResult> {
  const key = `config/${kind}/${name}`;
  await upload(key, body);
  return JSON.parse((await pipeline.objects.get(configResultKey(key))).bytes.toString('utf8')) as ConfigLoadResult;
}

const configStore = () => new DynamoConfigStore(dynamoClient(), pipeline.stack.table);

describe('registry files', () => {
  const registry = [
    'code,level,name,parent_code,contact_email,valid_from,valid_to,merged_into',
    'X001,commune,Phường Anh Dũng,H15,,2000-01,2025-06,X002',
    'X002,commune,Phường Đa Phúc mới,H15,,2025-07,,',
  ].join('\n');

  it('a bad file is rejected whole and changes nothing', async () => {
    const result = await load('registry', 'sai.csv', 'code,level,name,valid_from\nX1,commune,A,2025-07\nX2,town,B,2025-07\n');
    expect(result.status).toBe('rejected');
    expect(result.errors).toEqual([expect.objectContaining({ code: 'invalid_level', row: 3, column: 'B' })]);
    expect(await configStore().registryRows()).toEqual([]);
  });

  it('loads, and loading the same file again changes nothing', async () => {
    expect(await load('registry', 'danh-muc-2025.csv', registry)).toMatchObject({ status: 'loaded', rows: 2, changed: 2, errors: [] });
    const stored = await configStore().registryRows();
    expect(await load('registry', 'danh-muc-2025-lan-2.csv', registry)).toMatchObject({ status: 'unchanged', rows: 2, changed: 0 });
    expect(await configStore().registryRows()).toEqual(stored);
  });

  it('a merged unit is reported under the new unit from the change on, and under its own code before', async () => {
    const csv = (unit: string, period: string) => `${REPORT_HEADER}\n${unit},${period},Hộ tịch,10,5,0,1,8,5,1,2,0,0\n`;
    await upload('incoming/X001/thang-6.csv', csv('X001', '2025-06'), '2025-06-18T03:00:00Z');
    await upload('incoming/X001/thang-7.csv', csv('X001', '2025-07'), '2025-07-18T03:00:00Z');
    await upload('incoming/X002/thang-7.csv', csv('X002', '2025-07'), '2025-07-18T04:00:00Z');
    const [history] = [await pipeline.store.unitHistory('X001')];
    expect(history.find((r) => r.period === '2025-06')?.outcome).toBe('accepted');
    const july = history.find((r) => r.period === '2025-07')!;
    expect(july.outcome).toBe('rejected');
    expect(july.errors[0]).toMatchObject({ code: 'unit_retired' });

    const report = await loadLeadershipReport(await reportDepsFromEnv(), '2025-07');
    const codes = report.rows.map((r) => r.unit.code);
    expect(codes).toContain('X002');
    expect(codes).not.toContain('X001');
    expect(report.rows.find((r) => r.unit.code === 'X002')?.unit.name).toBe('Phường Đa Phúc mới');
    const june = await loadLeadershipReport(await reportDepsFromEnv(), '2025-06');
    expect(june.rows.find((r) => r.unit.code === 'X001')?.period?.received_online).toBe(10);
  });
});

describe('targets files', () => {
  it('a loaded target applies to its window: units are ranked against it', async () => {
    const result = await load('targets', 'chi-tieu-2026.csv', 'unit,window_from,window_to,target_pct\nS01,2026-01,2026-12,10\nS02,2026-01,2026-12,99\n');
    expect(result).toMatchObject({ status: 'loaded', rows: 2 });
    const csv = (unit: string) => `${REPORT_HEADER}\n${unit},2026-03,Chung,50,50,0,0,80,20,0,0,0,0\n`;
    await upload('incoming/S01/t3.csv', csv('S01'), '2026-03-18T03:00:00Z');
    await upload('incoming/S02/t3.csv', csv('S02'), '2026-03-18T03:00:00Z');
    const report = await loadLeadershipReport(await reportDepsFromEnv(), '2026-03');
    expect(report.ytdFrom).toBe('2026-01');
    const ranked = report.ranking.levels.department;
    expect(ranked.map((e) => [e.unit, e.target_pct, e.gap_pp])).toEqual([['S01', 10, 40], ['S02', 99, -49]]);
    // The 2022 window keeps the plan's targets.
    expect((await loadLeadershipReport(await reportDepsFromEnv(), '2022-06')).rows.find((r) => r.unit.code === 'S01')?.targetPct).toBe(99.7);
  });
});

/** A one-sheet workbook with these rows (the first is the header); `pct` formats column D as a percentage. */
async function workbook(rows: Array<Array<string | number | null>>, pct = false): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Chỉ tiêu');
  for (const r of rows) ws.addRow(r);
  if (pct) ws.getColumn(4).numFmt = '0%';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('results of loads', () => {
  it('a registry and a targets file of the same name each keep their own result', async () => {
    const registry = await load('registry', 'nam-2027.csv', 'code,level,name,valid_from\nX1,commune,A,2025-07\nX2,town,B,2025-07\n');
    const targets = await load('targets', 'nam-2027.csv', 'unit,window_from,window_to,target_pct\nS01,2027-01,2027-12,80\n');
    expect(registry).toMatchObject({ kind: 'registry', status: 'rejected', errors: [expect.objectContaining({ code: 'invalid_level' })] });
    expect(targets).toMatchObject({ kind: 'targets', status: 'loaded' });
    // The registry's refusal is still there to read after the targets load.
    expect(JSON.parse((await pipeline.objects.get('results/config/registry/nam-2027.csv.json')).bytes.toString('utf8'))).toEqual(registry);
  });
});

describe('hostile configuration files: refused with a reason, never a crash, nothing changes', () => {
  const stored = async () => ({ rows: await configStore().registryRows(), targets: await configStore().targets() });

  async function expectRefused(kind: 'registry' | 'targets', name: string, body: Buffer, code: string): Promise<void> {
    const before = await stored();
    const result = await load(kind, name, body);
    expect(result).toMatchObject({ status: 'rejected', changed: 0 });
    expect(result.errors).toEqual([expect.objectContaining({ code, sheet: null, row: null, column: null })]);
    expect(result.errors[0].message).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i); // Vietnamese, for the administrator
    expect(await stored()).toEqual(before);
  }

  it('a targets workbook with 1.2 million cells is refused by the zip guard before it is parsed', async () => {
    const base = await workbook([['unit', 'window_from', 'window_to', 'target_pct'], ['S01', '2027-01', '2027-12', 50]]);
    const parts = partsOf(base);
    const sheet = parts.find((p) => p.name === SHEET_PART)!.content.toString('utf8');
    const head = sheet.slice(0, sheet.indexOf('<sheetData>') + '<sheetData>'.length);
    const tail = sheet.slice(sheet.indexOf('</sheetData>'));
    const row = '<row><c t="inlineStr"><is><t>S01</t></is></c><c><v>1</v></c><c><v>2</v></c><c><v>50</v></c></row>';
    const huge = `${head}${row.repeat(300_000)}${tail}`;
    const bytes = zip(parts.map((p) => deflatedPart(p.name, p.name === SHEET_PART ? huge : p.content)));
    expect(bytes.length).toBeLessThan(5 * 1024 * 1024); // small on disk: only the guard can tell
    await expectRefused('targets', 'chi-tieu-khong-lo.xlsx', bytes, 'xlsx_too_large');
  });

  it('a corrupt workbook (cut off half-way) is refused', async () => {
    const good = await workbook([['code', 'level', 'name', 'valid_from'], ['N9', 'commune', 'Xã Mới', '2027-01']]);
    await expectRefused('registry', 'hong.xlsx', good.subarray(0, Math.floor(good.length / 2)), 'xlsx_corrupt');
  });

  it('a CSV of 100,000 lines is refused', async () => {
    const body = `unit,window_from,window_to,target_pct\n${'S01,2027-01,2027-12,50\n'.repeat(100_000)}`;
    await expectRefused('targets', 'qua-dai.csv', Buffer.from(body), 'csv_too_large');
  });

  it('a file over the size limit is refused', async () => {
    await expectRefused('registry', 'qua-lon.csv', Buffer.from(`code,level,name,valid_from\n${'#'.repeat(6 * 1024 * 1024)}\n`), 'file_too_large');
  });

  it('a file of another type (PDF, UTF-16 text) is refused', async () => {
    await expectRefused('registry', 'danh-muc.pdf', Buffer.from('%PDF-1.7\n...'), 'unsupported_type');
    await expectRefused('targets', 'utf16.csv', Buffer.from('\ufeffunit,window_from,window_to,target_pct\n', 'utf16le'), 'csv_encoding');
  });
});

describe('accepted loads that another source shadows say so', () => {
  it('a target window that overlaps other units\' different window is refused: the year-to-date start is one for the city', async () => {
    const result = await load('targets', 'chi-tieu-s03.csv', 'unit,window_from,window_to,target_pct\nS03,2022-07,2022-12,80\nS04,2028-01,2028-12,80\n');
    expect(result).toMatchObject({ status: 'rejected', warnings: [] });
    expect(result.errors.map((e) => [e.code, e.row])).toEqual([['window_mismatch', 2]]);
    expect(result.errors[0].message).toMatch(/^Dòng 2: kỳ chỉ tiêu 07\/2022–12\/2022 của S03 khác kỳ 05\/2022–12\/2022 của S\d\d: số liệu lũy kế tính từ đầu kỳ chỉ tiêu/);
    // Two loaded windows that differ: the later file is refused, whichever unit sorts first.
    expect(await load('targets', 'chi-tieu-n1.csv', 'unit,window_from,window_to,target_pct\nS06,2031-07,2032-06,90\n')).toMatchObject({ status: 'loaded' });
    const second = await load('targets', 'chi-tieu-n2.csv', 'unit,window_from,window_to,target_pct\nS05,2032-01,2032-12,90\n');
    expect(second.errors.map((e) => e.code)).toEqual(['window_mismatch']);
    // The report of 2022-08 still sums from the plan's window.
    expect((await loadLeadershipReport(await reportDepsFromEnv(), '2022-08')).ytdFrom).toBe('2022-05');
  });

  it('a target loaded for a window a later load already overrides in part says which periods it loses', async () => {
    await load('targets', 'chi-tieu-s05-moi.csv', 'unit,window_from,window_to,target_pct\nS05,2029-01,2029-06,90\n');
    const result = await load('targets', 'chi-tieu-s05-cu.csv', 'unit,window_from,window_to,target_pct\nS05,2029-03,2029-12,70\n');
    expect(result.status).toBe('loaded');
    // No plan is loaded for 2029: the reports would cite the 2022 plan (builtin_plan_cited).
    expect(result.warnings.map((w) => w.code)).toEqual(['target_shadowed', 'builtin_plan_cited']);
    expect(result.warnings[0].message).toMatch(/không áp dụng cho kỳ 03\/2029–06\/2029.*đã nạp kỳ 01\/2029–06\/2029 \(90%\)/);
  });

  it('a registry row that a row loaded before, starting later, takes over from says until when it applies', async () => {
    expect(await load('registry', 'n88-moi.csv', 'code,level,name,parent_code,valid_from\nN88,commune,Phường Tám Tám mới,H15,2030-07\n')).toMatchObject({ status: 'loaded', warnings: [] });
    const result = await load('registry', 'n88-cu.csv', 'code,level,name,parent_code,valid_from\nN88,commune,Phường Tám Tám,H15,2030-01\n');
    expect(result).toMatchObject({ status: 'loaded', errors: [] });
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'row_shadowed', row: 2 })]);
    expect(result.warnings[0].message).toBe('Dòng 2: đơn vị N88 từ 01/2030 chỉ áp dụng đến 06/2030: từ 07/2030, dòng đã nạp của N88 ("Phường Tám Tám mới") được dùng. Để thay dòng đó, dùng cùng valid_from 2030-07.');
  });

  it('registry rows identical to the built-in plan are accepted with one warning for all of them', async () => {
    const same = PLAN_128_REGISTRY.slice(0, 3).map((u) => `${u.code},${u.level},${u.name},${u.parentCode ?? ''},2024-01`);
    const result = await load('registry', 'giong-het.csv', `code,level,name,parent_code,valid_from\n${same.join('\n')}\nN77,commune,Xã Bảy Bảy,,2024-01\n`);
    expect(result).toMatchObject({ status: 'loaded', errors: [] });
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'row_changes_nothing', row: 2 })]);
    expect(result.warnings[0].message).toMatch(/^3 dòng giống hệt.*Kế hoạch 128.*Dòng 2, 3, 4\.$/);
    // Beside "loaded (N rows new or changed)": the rows are stored, they change no unit.
    expect(result.warnings[0].message).toContain('vẫn được lưu, nhưng không đơn vị nào thay đổi');
  });
});

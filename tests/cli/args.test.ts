// The `tthc` command as an administrator meets it: help for every command, argument mistakes
// said in Vietnamese naming the argument (exit 2), and a missing file reported like any other
// rejected file (exit 1). The real bin/tthc.js runs once for each kind of answer (help, a
// mistake, an unknown command, a missing file for check and for ingest); every variation is
// then checked on cli/main.ts's `main` in this process, the code that decides them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tthc as run, tthcInProcess, type TthcRun } from '../fixtures/tthc.ts';

const SAMPLE = 'tests/fixtures/samples/06a-S01-2022-06.xlsx';
let home: string;

/** In this process: the decisions made before any stack starts. */
const tthc = (...args: string[]) => tthcInProcess(args, { home });

/** Through bin/tthc.js, all started at once in beforeAll (none starts the local stack but ingest, alone on its home). */
const E2E = {
  help: ['ranking', '-h'],
  mistake: ['status', '--period', '2022-13'],
  unknown: ['kiem-tra'],
  checkMissing: ['check', '--json', '--at', '2022-06-18T03:00:00Z', SAMPLE, 'khong-co.xlsx'],
  ingestMissing: ['ingest', '--json', 'khong-co.csv'],
} as const;
let e2e: Record<keyof typeof E2E, Promise<TthcRun>>;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'tthc-cli-args-'));
  e2e = Object.fromEntries(Object.entries(E2E).map(([k, args]) => {
    const p = run([...args], { home });
    p.catch(() => undefined); // awaited by its test
    return [k, p];
  })) as typeof e2e;
});
afterAll(async () => { await rm(home, { recursive: true, force: true }); });

describe('through bin/tthc.js: exit status and streams as a person\'s shell sees them', () => {
  it('tthc ranking -h: the Vietnamese help on stdout, exit 0', async () => {
    const r = await e2e.help;
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.startsWith('tthc ranking')).toBe(true);
    expect(r.stdout).toMatch(/-h, --help +Hướng dẫn này/);
  }, 90_000);

  it('an argument mistake: Vietnamese on stderr naming the argument, no stack trace, exit 2', async () => {
    const r = await e2e.mistake;
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('tthc status: --period: tháng 13 không hợp lệ (YYYY-MM, tháng 01–12)');
    expect(r.stderr).not.toMatch(/Unknown option|TypeError|RangeError|    at /);
    expect(r.stderr).toContain('Xem: tthc status --help');
  }, 90_000);

  it('an unknown command: exit 2', async () => {
    const r = await e2e.unknown;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('không có lệnh "kiem-tra"');
  }, 90_000);
});

describe('tthc <command> --help', () => {
  const commands: Array<[string[], string]> = [
    [['check', '--help'], 'tthc check'], [['ingest', '--help'], 'tthc ingest'], [['status', '--help'], 'tthc status'],
    [['ranking', '-h'], 'tthc ranking'], [['report', '--help'], 'tthc report'], [['upload-url', '-h'], 'tthc upload-url'],
    [['registry', '--help'], 'tthc registry load'], [['registry', 'show', '-h'], 'tthc registry load'],
    [['targets', 'load', '--help'], 'tthc targets load'], [['targets', 'allocate', '-h'], 'tthc targets load'],
  ];
  it.each(commands)('%j prints the command\'s Vietnamese help and exits 0', async (args, first) => {
    const r = await tthc(...args);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout.startsWith(first)).toBe(true);
    expect(r.stdout).toMatch(/-h, --help +Hướng dẫn này/);
  }, 90_000);

  it('tthc --help lists every command there is, and each with its own help', async () => {
    const { COMMANDS } = await import('../../cli/main.ts');
    const top = (await tthc('--help')).stdout;
    for (const name of Object.keys(COMMANDS)) {
      expect(top, name).toContain(`tthc ${name} `);
      expect(await tthc(name, '--help'), name).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^tthc ${name}`)) });
    }
    for (const form of ['--quarter YYYY-Qn', '--from-periods A..B', 'tthc check [--unit CODE] [--at ISO]']) expect(top).toContain(form);
  });

  it('--help wins over everything else on the line, even a bad period', async () => {
    expect(await tthc('status', '--period', '2022-13', '--help')).toMatchObject({ code: 0 });
  }, 90_000);

  it('tthc help check is tthc check --help; an unknown command is an error', async () => {
    const help = await tthc('help', 'check');
    expect(help.code).toBe(0);
    expect(help.stdout.startsWith('tthc check')).toBe(true);
    const unknown = await tthc('kiem-tra');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('không có lệnh "kiem-tra"');
  }, 90_000);
});

describe('argument mistakes: Vietnamese, naming the argument, exit 2', () => {
  const cases: Array<[string[], string]> = [
    [['status', '--period', '2022-13'], 'tthc status: --period: tháng 13 không hợp lệ (YYYY-MM, tháng 01–12)'],
    [['ranking', '--period', '9999-12'], '--period: năm 9999 nằm ngoài 2000–2100'],
    [['status', '--period', 'thang-6'], '--period: "thang-6" không phải một kỳ dạng YYYY-MM'],
    [['status'], '--period: bắt buộc'],
    [['report', '--period'], '--period: thiếu giá trị'],
    [['targets', 'show', '--period', '2022-13'], '--period: tháng 13 không hợp lệ'],
    [['check', '--bogus', SAMPLE], '--bogus: lệnh tthc check không có tùy chọn này'],
    [['check', '--json=yes', SAMPLE], '--json: không nhận giá trị'],
    [['check'], 'thiếu FILE'],
    [['ingest', '--at', 'nonsense', SAMPLE], '--at: "nonsense" không phải một thời điểm ISO-8601'],
    // A time without its zone is the machine's: on a UTC server 23:59 in Hải Phòng would be 06:59 the next day.
    [['check', '--at', '2022-06-19T23:59:00', SAMPLE], '--at: "2022-06-19T23:59:00" không phải một thời điểm ISO-8601 có múi giờ'],
    [['remind', '--at', '2022-06-19T08:00'], '--at: "2022-06-19T08:00" không phải một thời điểm ISO-8601 có múi giờ'],
    [['registry', 'load', 'a.csv', 'b.csv'], 'đối số thừa "b.csv"'],
    [['registry', 'xoa'], 'không có lệnh tthc registry xoa'],
    [['upload-url', '--unit', 'S01', '--expires', '1e3'], '--expires: "1e3" phải là số giây'],
    [['targets', 'allocate', '--baseline', 'x.csv', '--out', 'y.csv', '--goal-rate', '0x1'], '--goal-rate: "0x1" phải là tỷ lệ'],
  ];
  it.each(cases)('%j', async (args, message) => {
    const r = await tthc(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/Unknown option|TypeError|RangeError|    at /); // no English from node, no stack
    expect(r.stderr).toContain(`--help`);
  }, 90_000);
});

describe('a file that is not there', () => {
  const CHECK_KEYS = ['file', 'status', 'unit', 'period', 'layout', 'counts', 'procedures', 'warnings', 'errors'];
  const notFound = (file: string) => ({
    code: 'file_not_found', message: expect.stringMatching(new RegExp(`^Không tìm thấy tệp ${file}`)), sheet: null, row: null, column: null,
  });

  it('tthc check --json: a rejected line in the shape of every other line, exit 1', async () => {
    const r = await e2e.checkMissing;
    expect(r.code).toBe(1);
    const [found, missing] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(Object.keys(missing)).toEqual(Object.keys(found));
    expect(Object.keys(missing)).toEqual(CHECK_KEYS);
    expect(missing).toEqual({
      file: 'khong-co.xlsx', status: 'rejected', unit: null, period: null, layout: null, counts: null, procedures: [], warnings: [], errors: [notFound('khong-co.xlsx')],
    });
  }, 90_000);

  it('tthc check without --json: a Vietnamese line, exit 1', async () => {
    const r = await tthc('check', 'khong-co.xlsx');
    expect(r).toMatchObject({ code: 1, stderr: '' });
    expect(r.stdout).toBe('✘ khong-co.xlsx: Không tìm thấy tệp khong-co.xlsx. Kiểm tra lại đường dẫn và tên tệp.\n');
  }, 90_000);

  it('tthc ingest --json: the same line, with its upload id (none), exit 1; nothing is uploaded', async () => {
    const r = await e2e.ingestMissing;
    expect(r.code).toBe(1);
    const line = JSON.parse(r.stdout);
    expect(Object.keys(line)).toEqual(['file', 'status', 'upload_id', ...CHECK_KEYS.slice(2)]);
    expect(line).toMatchObject({ file: 'khong-co.csv', status: 'rejected', upload_id: null, errors: [notFound('khong-co.csv')] });
  }, 120_000);

  it('tthc ingest --at of a file naming no unit: judged at --at (no "kỳ đang thu" of today), nothing uploaded', async () => {
    const file = join(home, 'zz9.csv');
    await writeFile(file, 'unit_code,period,field,received_online,received_direct,received_postal,carried_over,resolved_early,resolved_on_time,resolved_overdue,pending_within,pending_overdue,returned_postal\nZZ9,2026-05,Chung,10,5,0,0,10,5,0,0,0,0\n');
    const r = await tthc('ingest', '--json', '--at', '2026-05-18T09:00:00+07:00', file);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'rejected', upload_id: null, period: '2026-05', warnings: [], errors: [expect.objectContaining({ code: 'unknown_unit_code' })] });
  }, 120_000);

  it('tthc registry load: a rejected result, exit 1', async () => {
    const r = await tthc('registry', 'load', '--json', 'khong-co.csv');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      file: 'config/registry/khong-co.csv', kind: 'registry', status: 'rejected', rows: 0, changed: 0, errors: [notFound('khong-co.csv')], warnings: [],
    });
  }, 90_000);
});

// The deadline and corrections end to end through the `tthc` command, as a person runs it:
// each command starts the local stack under a temporary TTHC_HOME (state kept on disk between
// commands), uploads through S3, and the ingest Lambda's verdict comes back.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tthc as run, tthcJson } from '../fixtures/tthc.ts';
import { csvReport, removeTempHomes, SAMPLES, tempHome } from './helpers.ts';

const sample = (name: string) => fileURLToPath(new URL(name, SAMPLES));
let home: string;

const tthc = (...args: string[]) => tthcJson(args, { home });

async function ingest(unit: string, at: string, file: string) {
  const { code, lines } = await tthc('ingest', '--unit', unit, '--at', at, '--json', file);
  expect(lines, `tthc ingest ${file}`).toHaveLength(1);
  return { code, result: lines[0] as { status: string; unit: string; period: string; counts: unknown; warnings: Array<{ code: string }>; errors: Array<{ code: string }> } };
}

async function status(unit: string) {
  const { code, lines } = await tthc('status', '--period', '2022-06', '--json');
  expect(code).toBe(0);
  return (lines as Array<{ unit: string; status: string; counts: unknown }>).find((s) => s.unit === unit)!;
}

beforeAll(async () => {
  home = await tempHome('tthc-cli-');
});
afterAll(removeTempHomes);

describe('tthc ingest → status → report, through the CLI', () => {
  it('before 00:00 on the 20th is on time, a minute after is late', async () => {
    const onTime = await ingest('S01', '2022-06-19T23:59:00+07:00', sample('06a-S01-2022-06.xlsx'));
    expect(onTime).toMatchObject({ code: 0, result: { status: 'accepted', unit: 'S01', period: '2022-06' } });
    const late = await ingest('H03', '2022-06-20T00:01:00+07:00', sample('template-H03-2022-06.csv'));
    expect(late).toMatchObject({ code: 0, result: { status: 'accepted', unit: 'H03', period: '2022-06' } });
    expect((await status('S01')).status).toBe('on_time');
    expect((await status('H03')).status).toBe('late');
  }, 120_000);

  it('a report for a period that has not ended is refused (period_not_ended)', async () => {
    const early = await ingest('X007', '2022-06-10T09:00:00+07:00', sample('06a-X007-2022-06-combined.xlsx'));
    expect(early.code).toBe(1);
    expect(early.result.status).toBe('rejected');
    expect(early.result.errors.map((e) => e.code)).toContain('period_not_ended');
    expect(early.result.period).toBe('2022-06');
    // Filed under 06/2022, where the unit's status shows the refused try; nothing of it counts.
    expect(await status('X007')).toMatchObject({ status: 'rejected_only', counts: null });
  }, 120_000);

  it('after the leadership report is sent, a new S01 upload is a correction: counted, warned, S01 still on time', async () => {
    const sent = await run(['report', '--period', '2022-06', '--send'], { home }); // text, not JSON
    expect(sent.code).toBe(0);
    const fix = csvReport('S01', '2022-06', [{ field: 'Thương mại', counts: {
      received_online: 7000, received_direct: 5000, received_postal: 400, carried_over: 3000, resolved_early: 4000,
      resolved_on_time: 7000, resolved_overdue: 300, pending_within: 3900, pending_overdue: 200, returned_postal: 10,
    } }]);
    const file = join(home, 'bao-cao-S01-dieu-chinh.csv');
    await writeFile(file, fix.bytes);
    const correction = await ingest('S01', '2022-06-24T09:00:00+07:00', file);
    expect(correction).toMatchObject({ code: 0, result: { status: 'accepted', unit: 'S01', period: '2022-06' } });
    expect(correction.result.warnings.map((w) => w.code)).toContain('correction_after_publication');
    expect(await status('S01')).toMatchObject({ status: 'on_time', counts: fix.counts });
  }, 180_000);
});

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

async function ingest(unit: string, at: string, file: string, on = home) {
  const { code, lines } = await tthcJson(['ingest', '--unit', unit, '--at', at, '--json', file], { home: on });
  expect(lines, `tthc ingest ${file}`).toHaveLength(1);
  return { code, result: lines[0] as { status: string; unit: string; period: string; counts: unknown; warnings: Array<{ code: string }>; errors: Array<{ code: string }> } };
}

async function status(on = home) {
  const { code, lines } = await tthcJson(['status', '--period', '2022-06', '--json'], { home: on });
  expect(code).toBe(0);
  const statuses = lines as Array<{ unit: string; status: string; counts: unknown }>;
  return (unit: string) => statuses.find((s) => s.unit === unit)!;
}

/** The refused early upload has a home of its own: it runs beside the first test, started in beforeAll. */
let early: Promise<{ refused: Awaited<ReturnType<typeof ingest>>; status: Awaited<ReturnType<typeof status>> }>;

beforeAll(async () => {
  home = await tempHome('tthc-cli-');
  const earlyHome = await tempHome('tthc-cli-early-');
  early = (async () => {
    const refused = await ingest('X007', '2022-06-10T09:00:00+07:00', sample('06a-X007-2022-06-combined.xlsx'), earlyHome);
    return { refused, status: await status(earlyHome) };
  })();
  early.catch(() => undefined); // awaited by its test
});
afterAll(removeTempHomes);

describe('tthc ingest → status → report, through the CLI', () => {
  it('before 00:00 on the 20th is on time, a minute after is late', async () => {
    const onTime = await ingest('S01', '2022-06-19T23:59:00+07:00', sample('06a-S01-2022-06.xlsx'));
    expect(onTime).toMatchObject({ code: 0, result: { status: 'accepted', unit: 'S01', period: '2022-06' } });
    const late = await ingest('H03', '2022-06-20T00:01:00+07:00', sample('template-H03-2022-06.csv'));
    expect(late).toMatchObject({ code: 0, result: { status: 'accepted', unit: 'H03', period: '2022-06' } });
    const of = await status();
    expect(of('S01').status).toBe('on_time');
    expect(of('H03').status).toBe('late');
  }, 120_000);

  it('a report for a period that has not ended is refused (period_not_ended)', async () => {
    const { refused, status: of } = await early;
    expect(refused.code).toBe(1);
    expect(refused.result.status).toBe('rejected');
    expect(refused.result.errors.map((e) => e.code)).toContain('period_not_ended');
    expect(refused.result.period).toBe('2022-06');
    // Filed under 06/2022, where the unit's status shows the refused try; nothing of it counts.
    expect(of('X007')).toMatchObject({ status: 'rejected_only', counts: null });
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
    expect((await status())('S01')).toMatchObject({ status: 'on_time', counts: fix.counts });
  }, 180_000);
});

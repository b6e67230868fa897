// The CDK app as `cdk synth` runs it (cdk.json: `npx tsx infra/app.ts`), in a child process
// given cdk.json's context the way the CLI passes it (CDK_CONTEXT_JSON, CDK_OUTDIR): a real
// deployment without the addresses stops with the operator's message; a dry run synthesizes
// offline, cdk-nag included. Bundling is off here (tests/infra/bundles.test.ts bundles).
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempHomes, tempHome } from '../ingest/helpers.ts';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const SYNTH_TIMEOUT = 120_000;
let dir: string;
let cdkContext: Record<string, unknown>;
/** The two synths are independent child processes: both started at once in beforeAll. */
let synths: Record<'missing' | 'dry', Promise<{ code: number; stderr: string }>>;

beforeAll(async () => {
  dir = await tempHome('tthc-app-');
  cdkContext = (JSON.parse(await readFile(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
  synths = { missing: synth({}, 'missing'), dry: synth({ dryRun: 'true' }, 'dry') };
});
afterAll(removeTempHomes);

async function synth(context: Record<string, unknown>, outdir: string): Promise<{ code: number; stderr: string }> {
  const env = {
    PATH: process.env.PATH!, HOME: process.env.HOME ?? dir,
    // No account, as offline: the CLI found no credentials.
    CDK_CONTEXT_JSON: JSON.stringify({ ...cdkContext, 'aws:cdk:bundling-stacks': [], ...context }), CDK_OUTDIR: join(dir, outdir),
  };
  try {
    const { stderr } = await run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'infra/app.ts')], { env, cwd: ROOT, timeout: SYNTH_TIMEOUT });
    return { code: 0, stderr };
  } catch (e) {
    const failed = e as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

describe('cdk synth (infra/app.ts)', () => {
  it('without report recipients and an alarm address: exit 1 and the message, no stack trace', async () => {
    const { code, stderr } = await synths.missing;
    expect(code).toBe(1);
    expect(stderr).toContain('TthcReports configuration: reportRecipients and alarmEmail must be set');
    expect(stderr).toContain('-c dryRun=true');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, SYNTH_TIMEOUT);

  it('-c dryRun=true synthesizes offline, cdk-nag clean, with the portal and the reminders', async () => {
    const { code, stderr } = await synths.dry;
    expect(stderr).not.toMatch(/ERROR/);
    expect(code).toBe(0);
    const template = JSON.parse(await readFile(join(dir, 'dry', 'TthcReports.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>; Outputs: Record<string, unknown> };
    expect(Object.keys(template.Outputs)).toEqual(expect.arrayContaining(['PortalUrl', 'UserPoolId', 'UserPoolClientId']));
    const schedules = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule').map((r) => r.Properties.ScheduleExpression);
    expect(schedules).toContain('cron(0 8 17-21 * ? *)');
  }, SYNTH_TIMEOUT);
});

// cdk-nag (AwsSolutions) runs on every synth; each acknowledgement names the exact finding on
// the construct that holds it, so a wildcard added anywhere else fails synth.
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { TthcStack } from '../../infra/stack.ts';

const ACK = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
// A whole stack takes seconds to synthesize, and much longer on a busy machine.
const SYNTH_TIMEOUT = 120_000;

function nagged(): { app: App; stack: TthcStack } {
  // No bundling: nag looks at the template, not at the functions' code.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], reportRecipients: 'lanh-dao@haiphong.gov.vn', alarmEmail: 'ops@haiphong.gov.vn' } });
  const stack = new TthcStack(app, 'Nagged', { env: { account: '123456789012', region: 'ap-southeast-1' } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/** What synth says: '' when it passes, else the validation report. */
function synthFailure(app: App): string {
  try {
    app.synth();
    return '';
  } catch (e) {
    return String(e);
  }
}

describe('cdk-nag', () => {
  it('the stack as built passes AwsSolutions, and every acknowledgement has a reason', () => {
    const { app, stack } = nagged();
    expect(synthFailure(app)).toBe('');
    const acknowledged = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === ACK));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const m of acknowledged) for (const reason of Object.values(m.data as Record<string, string>)) expect(reason.length).toBeGreaterThan(30);
  }, SYNTH_TIMEOUT);

  it('acknowledges nothing on the stack or the app: each finding on its own role, policy, queue, or one of the portal\'s exact constructs', () => {
    const { app, stack } = nagged();
    for (const scope of [app, stack]) expect(scope.node.metadata.filter((m) => m.type === ACK)).toEqual([]);
    const holders = stack.node.findAll().filter((c) => c.node.metadata.some((m) => m.type === ACK)).map((c) => c.node.path.replace(/^Nagged\//, ''));
    // The portal's distribution and user pool (their own findings), and CDK's page-deployment
    // helper (its pinned runtime): exact paths, not a pattern a new construct could match.
    const portal = ['Portal/Cdn', 'Portal/Clerks', /^Custom::CDKBucketDeployment[0-9A-F]{32}256MiB$/];
    const exact = (path: string) => portal.some((p) => (typeof p === 'string' ? p === path : p.test(path)));
    for (const path of holders.filter((p) => !exact(p))) expect(path).toMatch(/(ServiceRole|DefaultPolicy|Role|DeadLetters|AccessLogs|Policy)$/);
    for (const p of portal) expect(holders.filter((h) => (typeof p === 'string' ? p === h : p.test(h))), String(p)).toHaveLength(1);
  }, SYNTH_TIMEOUT);

  it('a new policy with a wildcard resource fails synth', () => {
    const { app, stack } = nagged();
    const role = new Role(stack, 'Extra', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    new Policy(stack, 'ExtraPolicy', { roles: [role], statements: [new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })] });
    const failure = synthFailure(app);
    expect(failure).toMatch(/wildcard permissions/);
    expect(failure).toContain('Nagged/ExtraPolicy/Resource');
  }, SYNTH_TIMEOUT);

  it('a wildcard added to a function\'s own policy fails synth too, unless it is one of the acknowledged prefixes', () => {
    const { app, stack } = nagged();
    const ingest = stack.node.findChild('Ingest').node.findChild('Function') as unknown as { addToRolePolicy(s: PolicyStatement): void };
    ingest.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${Stack.of(stack).partition}:s3:::some-other-bucket/*`] }));
    expect(synthFailure(app)).toMatch(/Nagged\/Ingest\/Function\/ServiceRole\/DefaultPolicy\/Resource/);
  }, SYNTH_TIMEOUT);
});

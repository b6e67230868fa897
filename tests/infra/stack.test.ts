// Pins the deployed stack's security and operations properties (synthesised offline).
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TthcStack } from '../../infra/stack.ts';

let template: Template;
let stack: TthcStack;
let app: App;

beforeAll(() => {
  // No bundling: nothing here reads the functions' code, and bundles.test.ts builds and checks it.
  app = new App({ context: { 'aws:cdk:bundling-stacks': [], reportRecipients: 'lanh-dao@haiphong.gov.vn', alarmEmail: 'ops@haiphong.gov.vn' } });
  stack = new TthcStack(app, 'TthcTest', { env: { account: '123456789012', region: 'ap-southeast-1' } });
  template = Template.fromStack(stack);
}, 120_000);

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

function policyStatementsOf(roleLogicalIdPrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.entries(policies)
    .filter(([, p]) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleLogicalIdPrefix))
    .flatMap(([, p]) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
}

const actionsOf = (statements: Statement[]) => statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();

describe('upload bucket', () => {
  it('is versioned, private, encrypted, logged, and expires old versions', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'upload-bucket/' }),
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 365 } })]) },
    });
  });

  it('denies every request that is not over TLS', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies.length).toBeGreaterThanOrEqual(2); // the upload bucket and its log bucket
    for (const p of policies) {
      expect((p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('notifies the ingest function of uploads (incoming/) and configuration files (config/) only', () => {
    const prefix = (value: string) => Match.objectLike({ Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: value }] } } });
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: { LambdaFunctionConfigurations: [prefix('incoming/'), prefix('config/')] },
    });
  });
});

describe('reports table', () => {
  it('has point-in-time recovery, deletion protection, on-demand billing and the history index', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'GSI1' })],
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
  });
});

describe('functions', () => {
  it('run on a current Node.js runtime: ingest on arm64, report on x86_64 (it carries the chart renderer\'s Linux x64 build)', () => {
    const fns = Object.values(template.findResources('AWS::Lambda::Function')) as Array<{ Properties: { Runtime: string; Architectures: string[] } }>;
    const service = (name: string) => fns.find((f) => JSON.stringify(f).includes(`"POWERTOOLS_SERVICE_NAME":"${name}"`))!;
    expect(service('tthc-ingest').Properties.Architectures).toEqual(['arm64']);
    expect(service('tthc-report').Properties.Architectures).toEqual(['x86_64']);
    for (const f of [service('tthc-ingest'), service('tthc-report')]) expect(f.Properties.Runtime).toMatch(/^nodejs2[2-9]\.x$/);
  });

  it('ingest retries twice, then sends the event to an encrypted dead-letter queue, with reserved concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'tthc-ingest' }) },
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      ReservedConcurrentExecutions: 10,
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
  });

  it('the ingest role may only read uploads (and tell a deleted one), write feedback, use the table (no index: its one read is a BatchGetItem), and send as the configured identity', () => {
    const statements = policyStatementsOf('IngestFunctionServiceRole');
    expect(new Set(actionsOf(statements))).toEqual(new Set([
      's3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:ListBucket',
      'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:Query',
      'ses:SendEmail', 'ses:SendRawEmail', 'sqs:SendMessage', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords',
    ]));
    // SES v2 SendEmail with raw MIME is authorized as ses:SendRawEmail: both, on the identity only.
    const ses = statements.find((s) => actionsOf([s]).includes('ses:SendRawEmail'))!;
    expect(actionsOf([ses])).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    expect(JSON.stringify(ses.Resource)).toMatch(/:identity\/haiphong\.gov\.vn"/);
    const put = statements.find((s) => actionsOf([s]).includes('s3:PutObject'))!;
    expect(JSON.stringify(put.Resource)).toContain('/results/*');
    expect(JSON.stringify(put.Resource)).not.toContain('/incoming/');
    // Listing only so that S3 answers 404 for an upload deleted before it was read (not 403).
    const list = statements.find((s) => actionsOf([s]).includes('s3:ListBucket'))!;
    expect(actionsOf([list])).toEqual(['s3:ListBucket']);
    expect(JSON.stringify(list.Resource)).not.toContain('/*');
    // The table only (Query: the configuration's partitions); no index at all.
    const dynamo = JSON.stringify(statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:'))).map((s) => s.Resource));
    expect(dynamo).not.toContain('/index/');
    expect(actionsOf(statements)).not.toContain('dynamodb:Scan');
  });

  it('the report role may use the table (the publication claim included), write reports/ and send mail; it cannot list the bucket', () => {
    const statements = policyStatementsOf('ReportFunctionServiceRole');
    expect(new Set(actionsOf(statements))).toEqual(new Set([
      'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem',
      's3:PutObject', 's3:GetObject', 'ses:SendEmail', 'ses:SendRawEmail', 'sqs:SendMessage', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords',
    ]));
    expect(actionsOf(statements)).not.toContain('s3:ListBucket');
    const s3 = statements.find((st) => actionsOf([st]).includes('s3:PutObject'))!;
    expect(JSON.stringify(s3.Resource)).toContain('/reports/*');
  });

  it('no function policy grants anything on "*" but X-Ray (which has no resource-level permissions)', () => {
    for (const role of ['IngestFunctionServiceRole', 'ReportFunctionServiceRole', 'RemindFunctionServiceRole', 'PortalFunctionServiceRole']) {
      for (const s of policyStatementsOf(role).filter((st) => JSON.stringify(st.Resource) === '"*"')) {
        for (const action of actionsOf([s])) expect(action).toMatch(/^xray:/);
      }
    }
  });
});

describe('schedules', () => {
  it('runs the report on the 20th at 08:00 in Asia/Ho_Chi_Minh, checks it at 09:00, and counts missing units daily', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 20 * ? *)', ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      Target: Match.objectLike({ Input: JSON.stringify({ mode: 'report' }) }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 9 20 * ? *)', ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      Target: Match.objectLike({ Input: JSON.stringify({ mode: 'deadline_check' }) }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 7 * * ? *)' });
  });

  it('runs the reminders daily at 08:00 from the 17th through the 21st (the day after the due day), on the reminder function, enabled', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')) as Array<{ Properties: { ScheduleExpression: string; ScheduleExpressionTimezone: string; State?: string; Target: { Arn: unknown; Input: string } } }>;
    expect(schedules).toHaveLength(6);
    for (const s of schedules) expect(s.Properties.ScheduleExpressionTimezone).toBe('Asia/Ho_Chi_Minh');
    const remind = schedules.filter((s) => s.Properties.Target.Input === JSON.stringify({ mode: 'remind' }));
    expect(remind).toHaveLength(1);
    expect(remind[0].Properties.ScheduleExpression).toBe('cron(0 8 17-21 * ? *)');
    expect(remind[0].Properties.State ?? 'ENABLED').toBe('ENABLED');
    expect(JSON.stringify(remind[0].Properties.Target.Arn)).toMatch(/"RemindFunction[0-9A-F]+"/);
    // The report function is invoked for its own modes only.
    for (const s of schedules.filter((x) => x !== remind[0])) expect(JSON.stringify(s.Properties.Target.Arn)).toMatch(/"ReportFunction[0-9A-F]+"/);
  });

  it('builds the quarterly and annual reports after the last period\'s report, on the report function with 512 MB (streaming workbooks peak under 300 MiB)', () => {
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')) as Array<{ Properties: { ScheduleExpression: string; Target: { Arn: unknown; Input: string } } }>;
    const byMode = (mode: string) => schedules.filter((s) => s.Properties.Target.Input === JSON.stringify({ mode }));
    expect(byMode('quarter').map((s) => s.Properties.ScheduleExpression)).toEqual(['cron(0 10 20 3,6,9,12 ? *)']);
    expect(byMode('year').map((s) => s.Properties.ScheduleExpression)).toEqual(['cron(0 11 20 12 ? *)']);
    for (const s of [...byMode('quarter'), ...byMode('year')]) expect(JSON.stringify(s.Properties.Target.Arn)).toMatch(/"ReportFunction[0-9A-F]+"/);
    const report = Object.values(template.findResources('AWS::Lambda::Function')).find((f) => JSON.stringify(f).includes('tthc-report')) as { Properties: { MemorySize: number } };
    expect(report.Properties.MemorySize).toBe(512);
  });

  it('-c periodDueDay=25 moves the reminders to the 17th through the 26th', () => {
    const moved = new App({ context: { 'aws:cdk:bundling-stacks': [], reportRecipients: 'lanh-dao@haiphong.gov.vn', alarmEmail: 'ops@haiphong.gov.vn', periodDueDay: '25' } });
    const t = Template.fromStack(new TthcStack(moved, 'Moved', { env: { account: '123456789012', region: 'ap-southeast-1' } }));
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 8 17-26 * ? *)', Target: Match.objectLike({ Input: JSON.stringify({ mode: 'remind' }) }) });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'tthc-remind', TTHC_PERIOD_DUE_DAY: '25' }) },
    });
  }, 120_000);
});

describe('reminders', () => {
  const remindFunction = () => Object.entries(template.findResources('AWS::Lambda::Function'))
    .find(([, f]) => JSON.stringify(f).includes('"POWERTOOLS_SERVICE_NAME":"tthc-remind"'))!;

  it('the reminder function knows the window, the administrators, the sender and links the portal\'s CloudFront address', () => {
    const [, fn] = remindFunction() as [string, { Properties: { Environment: { Variables: Record<string, unknown> } } }];
    const env = fn.Properties.Environment.Variables;
    expect(env).toMatchObject({
      TTHC_REMINDER_START_DAY: '17', TTHC_PERIOD_START_DAY: '16', TTHC_PERIOD_DUE_DAY: '20',
      TTHC_MAIL_FROM: 'bao-cao-dvc@haiphong.gov.vn', TTHC_ADMIN_EMAILS: 'lanh-dao@haiphong.gov.vn',
    });
    expect(JSON.stringify(env.TTHC_TABLE)).toMatch(/ReportTable/);
    expect(JSON.stringify(env.TTHC_PORTAL_URL)).toMatch(/^\{"Fn::Join":\["",\["https:\/\/",\{"Fn::GetAtt":\["PortalCdn[0-9A-F]+","DomainName"\]\}/);
  });

  it('its role may query the periods and the registry, write and read back only the reminder log, and send as the configured identity; it touches no bucket', () => {
    const statements = policyStatementsOf('RemindFunctionServiceRole');
    expect(new Set(actionsOf(statements))).toEqual(new Set([
      'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem',
      'ses:SendEmail', 'ses:SendRawEmail', 'sqs:SendMessage', 'xray:PutTraceSegments', 'xray:PutTelemetryRecords',
    ]));
    const leading = (action: string) => (statements.find((s) => actionsOf([s]).includes(action))!.Condition as Record<string, Record<string, string[]>>)['ForAllValues:StringLike']['dynamodb:LeadingKeys'];
    expect(leading('dynamodb:Query')).toEqual(['PERIOD#*', 'CONFIG#*', 'REMIND#*']);
    expect(leading('dynamodb:PutItem')).toEqual(['REMIND#*']);
    expect(leading('dynamodb:DeleteItem')).toEqual(['REMIND#*']);
    // A send SES refused for good is marked on its claim, and a rerun reads the mark.
    expect(leading('dynamodb:UpdateItem')).toEqual(['REMIND#*']);
    expect(leading('dynamodb:GetItem')).toEqual(['REMIND#*']);
    expect(actionsOf(statements).filter((a) => a.startsWith('s3:'))).toEqual([]);
  });

  it('a failed run is retried twice within the hour, then goes to the schedules\' dead-letter queue', () => {
    const [id, fn] = remindFunction();
    expect(JSON.stringify(fn)).toMatch(/"DeadLetterConfig":\{"TargetArn":\{"Fn::GetAtt":\["ReportScheduleDeadLetters/);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: id }, MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 });
  });

  it('its scheduler role may invoke the reminder function only, for this account\'s schedule group', () => {
    const statements = policyStatementsOf('RemindSchedulerRole');
    const invoke = statements.find((s) => actionsOf([s]).includes('lambda:InvokeFunction'))!;
    expect(JSON.stringify(invoke.Resource)).toMatch(/RemindFunction/);
    expect(JSON.stringify(invoke.Resource)).not.toMatch(/ReportFunction/);
    const roles = template.findResources('AWS::IAM::Role');
    const [, role] = Object.entries(roles).find(([rid]) => rid.startsWith('RemindSchedulerRole'))! as [string, { Properties: { AssumeRolePolicyDocument: { Statement: Array<{ Principal: unknown; Condition: { StringEquals: Record<string, unknown> } }> } } }];
    const [trust] = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust.Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
    expect(trust.Condition.StringEquals['aws:SourceAccount']).toBe('123456789012');
    expect(JSON.stringify(trust.Condition.StringEquals['aws:SourceArn'])).toMatch(/ReportSchedules/);
  });
});

type CfnResource = { Properties?: unknown; DependsOn?: string | string[] };

/** The resources a resource waits for: DependsOn, Ref, Fn::GetAtt, and "${Name}" / "${Name.Attr}" in Fn::Sub. */
function dependenciesOf(r: CfnResource, resources: Record<string, CfnResource>): string[] {
  const out: string[] = [...[r.DependsOn ?? []].flat()];
  const walk = (o: unknown): void => {
    if (Array.isArray(o)) o.forEach(walk);
    else if (o && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) {
        if (k === 'Ref' && typeof v === 'string') out.push(v);
        else if (k === 'Fn::GetAtt') out.push(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]);
        else if (k === 'Fn::Sub') {
          const [text, vars] = Array.isArray(v) ? v : [v, {}];
          for (const m of String(text).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) out.push(m[1]);
          walk(vars);
        } else walk(v);
      }
    }
  };
  walk(r.Properties);
  return out.filter((id) => id in resources);
}

/** A dependency cycle among the resources (its resources, the first repeated at the end), or []. */
function dependencyCycle(resources: Record<string, CfnResource>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const cycle: string[] = [];
  const visit = (id: string, path: string[]): boolean => {
    if (state.get(id) === 'done') return false;
    if (state.get(id) === 'open') return cycle.push(...path.slice(path.indexOf(id)), id) > 0;
    state.set(id, 'open');
    if (dependenciesOf(resources[id], resources).some((d) => visit(d, [...path, id]))) return true;
    state.set(id, 'done');
    return false;
  };
  Object.keys(resources).some((id) => visit(id, []));
  return cycle;
}

describe('the template CloudFormation gets', () => {
  it('has no dependency cycle among its resources (synth does not look; CloudFormation refuses the deploy)', () => {
    const resources = template.toJSON().Resources as Record<string, CfnResource>;
    expect(dependencyCycle(resources)).toEqual([]);
    // It does look: the pool now waits for the distribution, whose address its invitation gives.
    const [pool] = Object.keys(template.findResources('AWS::Cognito::UserPool'));
    expect(dependenciesOf(resources[pool], resources)).toContain(Object.keys(template.findResources('AWS::CloudFront::Distribution'))[0]);
  });

  it('the cycle check finds one when there is one, through Ref, Fn::GetAtt and Fn::Sub', () => {
    expect(dependencyCycle({
      A: { Properties: { X: { 'Fn::Sub': 'arn:${B.Arn}' } } }, B: { Properties: { Y: { 'Fn::GetAtt': ['C', 'Name'] } } }, C: { Properties: { Z: { Ref: 'A' } } },
    })).toEqual(['A', 'B', 'C', 'A']);
    expect(dependencyCycle({ A: { Properties: { X: { 'Fn::Sub': '${AWS::Partition}:${B}' } } }, B: { DependsOn: 'C' }, C: {} })).toEqual([]);
  });
});

describe('a failed first deploy can be deployed again, and `cdk destroy` ends', () => {
  it('the schedule group (a fixed name, no data) is deleted with the stack, not kept to collide with the next deploy', () => {
    const groups = Object.values(template.findResources('AWS::Scheduler::ScheduleGroup'));
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ DeletionPolicy: 'Delete', Properties: { Name: expect.any(String) } });
  });

  it('the site bucket is emptied when it is deleted, so it can be; the data stays', () => {
    // Emptied when the bucket goes, not when the deployment does (a renamed deployment would delete the page it just put).
    const sites = Object.entries(template.findResources('AWS::S3::Bucket')).filter(([, r]) => (r as { DeletionPolicy?: string }).DeletionPolicy === 'Delete');
    expect(sites).toHaveLength(1);
    expect(Object.values(template.findResources('Custom::S3AutoDeleteObjects')).map((r) => JSON.stringify(r))).toEqual([expect.stringContaining(sites[0][0])]);
    expect(JSON.stringify(template.findResources('Custom::CDKBucketDeployment'))).not.toContain('"RetainOnDelete":false');
    for (const type of ['AWS::DynamoDB::Table', 'AWS::Cognito::UserPool']) {
      for (const r of Object.values(template.findResources(type))) expect(r, type).toMatchObject({ DeletionPolicy: 'Retain' });
    }
  });
});

describe('the clerks\' portal', () => {
  it('has the Cognito user pool of the clerks, retained, with its admin group and a public app client', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
        Schema: Match.arrayWith([Match.objectLike({ Name: 'unit_code' })]),
        // Invitations go through the stack's SES identity (the domain), not Cognito's 50 a day.
        EmailConfiguration: Match.objectLike({ EmailSendingAccount: 'DEVELOPER', From: 'bao-cao-dvc@haiphong.gov.vn' }),
      }),
    });
    expect(JSON.stringify(template.findResources('AWS::Cognito::UserPool'))).toContain(':identity/haiphong.gov.vn');
    // The invitation says where to sign in: the distribution's address (the pool waits for it; see "no dependency cycle").
    const [pool] = Object.values(template.findResources('AWS::Cognito::UserPool')) as Array<{ Properties: { AdminCreateUserConfig: { InviteMessageTemplate: { EmailMessage: unknown; EmailSubject: string } } } }>;
    const invitation = pool.Properties.AdminCreateUserConfig.InviteMessageTemplate;
    const [distribution] = Object.keys(template.findResources('AWS::CloudFront::Distribution'));
    expect(invitation.EmailMessage).toEqual({ 'Fn::Join': ['', [expect.stringMatching(/cổng gửi báo cáo .*: https:\/\/$/), { 'Fn::GetAtt': [distribution, 'DomainName'] }, expect.stringMatching(/\{username\}.*\{####\}/)]] });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false });
  });

  it('has the HTTP API whose every route needs the JWT authorizer on that pool', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT', JwtConfiguration: Match.objectLike({ Issuer: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('^PortalClerks') })])]) }) }),
    });
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Array<{ Properties: { AuthorizationType: string } }>;
    expect(routes.length).toBe(5);
    for (const r of routes) expect(r.Properties.AuthorizationType).toBe('JWT');
  });

  it('serves the page from a private bucket through CloudFront with origin access control, /api/* to the API', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: Match.arrayWith([Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: Match.anyValue() })]),
        CacheBehaviors: [Match.objectLike({ PathPattern: '/api/*' })],
      }),
    });
  });

  it('outputs the portal URL, the user pool and its client', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.PortalUrl.Value)).toMatch(/"https:\/\/",\{"Fn::GetAtt":\["PortalCdn/);
    expect(outputs.UserPoolId.Value).toEqual({ Ref: expect.stringMatching(/^PortalClerks/) });
    expect(outputs.UserPoolClientId.Value).toEqual({ Ref: expect.stringMatching(/^PortalClerksWeb/) });
  });

  it('alarms on the portal API\'s 5xx answers, to the ops topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: '5xx' } })) as Array<{ Properties: Record<string, unknown> }>;
    expect(alarms).toHaveLength(1);
    expect(alarms[0].Properties).toMatchObject({ Namespace: 'AWS/ApiGateway', Statistic: 'Sum', Period: 300, Threshold: 1 });
    expect(JSON.stringify(alarms[0].Properties.Dimensions)).toMatch(/PortalApi/);
    expect(alarms[0].Properties.AlarmActions).toHaveLength(1);
  });
});

describe('a missed scheduled run is never silent', () => {
  type Schedule = { Properties: { GroupName: unknown; Target: { RetryPolicy: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number }; DeadLetterConfig: { Arn: unknown } } } };
  const schedules = () => Object.values(template.findResources('AWS::Scheduler::Schedule')) as Schedule[];

  it('every schedule is in our own group, retries 3 times within an hour, then goes to an encrypted dead-letter queue', () => {
    const groups = Object.values(template.findResources('AWS::Scheduler::ScheduleGroup')) as Array<{ Properties: { Name: string } }>;
    expect(groups).toHaveLength(1);
    expect(schedules()).toHaveLength(6);
    for (const s of schedules()) {
      expect(s.Properties.GroupName).toEqual(groups[0].Properties.Name);
      expect(s.Properties.Target.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
      expect(JSON.stringify(s.Properties.Target.DeadLetterConfig.Arn)).toMatch(/ScheduleDeadLetters/);
    }
    const queues = template.findResources('AWS::SQS::Queue');
    const dlq = Object.entries(queues).find(([id]) => id.includes('ScheduleDeadLetters'))!;
    expect(dlq[1]).toMatchObject({ Properties: { SqsManagedSseEnabled: true } });
  });

  it('alarms on messages in that queue and on runs the scheduler dropped or could not keep (AWS/Scheduler, our group)', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: Record<string, unknown> }>;
    const dlqAlarm = alarms.find((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Properties.Dimensions).includes('ScheduleDeadLetters'));
    expect(dlqAlarm?.Properties.AlarmActions).toHaveLength(1);
    const lost = alarms.find((a) => JSON.stringify(a.Properties.Metrics ?? []).includes('InvocationDroppedCount'));
    expect(lost).toBeDefined();
    const metrics = JSON.stringify(lost!.Properties.Metrics);
    expect(metrics).toContain('"Namespace":"AWS/Scheduler"');
    expect(metrics).toContain('InvocationsFailedToBeSentToDeadLetterCount');
    expect(metrics).toContain('"Name":"ScheduleGroup"');
    expect(lost!.Properties.AlarmActions).toHaveLength(1);
  });

  it('a failed report run is retried twice within the hour, then goes to the same queue', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const [reportId] = Object.entries(fns).find(([, f]) => JSON.stringify(f).includes('"POWERTOOLS_SERVICE_NAME":"tthc-report"'))!;
    expect(JSON.stringify(fns[reportId])).toMatch(/"DeadLetterConfig":\{"TargetArn":\{"Fn::GetAtt":\["ReportScheduleDeadLetters/);
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: reportId }, MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600,
    });
  });

  it('the scheduler role may send to that queue', () => {
    const roles = template.findResources('AWS::IAM::Policy');
    const sends = Object.values(roles).filter((p) => JSON.stringify(p).includes('sqs:SendMessage') && JSON.stringify(p).includes('ScheduleDeadLetters'));
    expect(sends.length).toBeGreaterThan(0);
  });
});

describe('operations', () => {
  it('alarms on the dead-letter queue, ingest errors, report failure and a report not sent, to an encrypted SNS topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: { MetricName?: string; AlarmActions: unknown[] } }>;
    const names = alarms.map((a) => a.Properties.MetricName).filter(Boolean).sort();
    expect(names).toEqual(expect.arrayContaining(['ApproximateNumberOfMessagesVisible', 'Errors', 'Errors', 'ReportNotSent']));
    for (const a of alarms) expect(a.Properties.AlarmActions).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@haiphong.gov.vn' });
  });

  it('names each alarm as the README does, behind the stack\'s name; outputs what a replay of a dead letter needs', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: { AlarmName: string; AlarmDescription: string } }>;
    const names = alarms.map((a) => a.Properties.AlarmName);
    expect(names).toEqual(expect.arrayContaining(['DeadLettersNotEmpty', 'IngestErrors', 'ReportFailed', 'ReportNotSent', 'ScheduleDeadLettersNotEmpty', 'PortalApiErrors'].map((n) => `${stack.stackName}-${n}`)));
    const said = (name: string) => alarms.find((a) => a.Properties.AlarmName.endsWith(`-${name}`))!.Properties.AlarmDescription;
    expect(said('ReportNotSent')).toContain('"resend":true');
    expect(said('DeadLettersNotEmpty')).toContain('IngestDeadLetterQueueUrl');
    // The report function serves five schedules: the text says how to re-run each.
    for (const run of ['{"period":"YYYY-MM"}', '{"period":"YYYY-MM","resend":true}', '{"mode":"deadline_check","period":"YYYY-MM"}', '{"mode":"status"}',
      '{"mode":"quarter","quarter":"YYYY-Qn"}', '{"mode":"year","year":"YYYY"}']) expect(said('ReportFailed'), run).toContain(run);
    for (const refused of ['FeedbackMailsUndeliverable', 'RemindersUndeliverable']) {
      for (const check of ['contact_email', 'sandbox', 'sender identity', 'MessageRejected']) expect(said(refused), `${refused}: ${check}`).toContain(check);
    }
    expect(said('RemindersUndeliverable')).toContain('{"mode":"remind"}');
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    for (const o of ['IngestFunctionName', 'ReportFunctionName', 'RemindFunctionName', 'IngestDeadLetterQueueUrl', 'ScheduleDeadLetterQueueUrl']) expect(outputs, o).toHaveProperty(o);
  });

  it('alarms at the first mail SES refuses for good in an hour: a unit\'s feedback (ingest), a reminder', () => {
    for (const [service, metric] of [['tthc-ingest', 'FeedbackMailsUndeliverable'], ['tthc-remind', 'RemindersUndeliverable']]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `${stack.stackName}-${metric}`, Namespace: 'TthcReports', MetricName: metric, Dimensions: [{ Name: 'service', Value: service }],
        Statistic: 'Sum', Period: 3600, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching', AlarmActions: [Match.anyValue()],
      });
    }
  });

  it('alarms when more than 20 uploads are rejected in an hour (configurable)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'TthcReports', MetricName: 'UploadsRejected', Dimensions: [{ Name: 'service', Value: 'tthc-ingest' }],
      Statistic: 'Sum', Period: 3600, Threshold: 20, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [Match.anyValue()],
    });
  });

  it('lets CloudWatch alarms of this account publish to the topic and use its key, over TLS only', () => {
    const [policy] = Object.values(template.findResources('AWS::SNS::TopicPolicy')) as Array<{ Properties: { PolicyDocument: { Statement: Statement[] } } }>;
    const statements = policy.Properties.PolicyDocument.Statement as Array<Statement & { Principal?: unknown }>;
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    const publish = statements.find((s) => s.Effect === 'Allow' && actionsOf([s]).includes('sns:Publish'));
    expect(publish).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } });
    expect(JSON.stringify(publish!.Condition)).toContain(':alarm:*');
    const [key] = Object.values(template.findResources('AWS::KMS::Key')) as Array<{ Properties: { KeyPolicy: { Statement: Array<Statement & { Principal?: { Service?: string } }> } } }>;
    const forCloudWatch = key.Properties.KeyPolicy.Statement.filter((s) => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(forCloudWatch).toHaveLength(1);
    expect(forCloudWatch[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
    expect(new Set(actionsOf(forCloudWatch))).toEqual(new Set(['kms:Decrypt', 'kms:GenerateDataKey*']));
  });

  it('has a dashboard with uploads by outcome, ingest errors and duration, DLQ depth, report runs, emails, missing units and mails SES refused', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(stack.resolve((dashboards[0] as { Properties: { DashboardBody: unknown } }).Properties.DashboardBody));
    for (const metric of ['UploadsAccepted', 'UploadsRejected', 'UploadsUnchanged', 'IngestErrors', 'Duration', 'ApproximateNumberOfMessagesVisible',
      'ReportRuns', 'ReportDuration', 'EmailsSent', 'UnitsMissing', 'UnitsLate', 'InvocationAttemptCount', 'TargetErrorCount',
      'FeedbackMailsUndeliverable', 'RemindersUndeliverable']) {
      expect(body).toContain(metric);
    }
  });

  it('gives units a tag-scoped upload policy: their own incoming/ and results/ folders only, and a listing of results/<own code>/', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/incoming/\\$\\{aws:PrincipalTag/unit_code\\}/\\*')])] } })]) },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['results/${aws:PrincipalTag/unit_code}/*'] } },
      })]) },
    });
  });

  // IAM matches a resource ARN case-sensitively, '*' for any run of characters, '?' for one;
  // the policy variable is replaced by the caller's tag value as it is.
  const iamMatches = (pattern: string, tag: string, arn: string) => {
    const resolved = pattern.replaceAll('${aws:PrincipalTag/unit_code}', tag);
    const re = new RegExp(`^${resolved.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
    return re.test(arn);
  };

  it('a unit tagged S01 may write incoming/S01/… and nothing that only looks like it', () => {
    const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0] as { Properties: { PolicyDocument: { Statement: Statement[] } } };
    const put = policy.Properties.PolicyDocument.Statement.filter((s) => actionsOf([s]).includes('s3:PutObject'));
    expect(put).toHaveLength(1);
    // arn:…:s3:::<bucket>/incoming/${aws:PrincipalTag/unit_code}/* with the bucket ARN as written in the template.
    const parts = (put[0].Resource as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    expect(parts).toHaveLength(2);
    const pattern = `arn:aws:s3:::bucket${parts[1] as string}`;
    const may = (key: string) => iamMatches(pattern, 'S01', `arn:aws:s3:::bucket/${key}`);
    expect(may('incoming/S01/bao-cao.xlsx')).toBe(true);
    expect(may('incoming/S01/2022/06.csv')).toBe(true);
    for (const other of ['incoming/S01 /bao-cao.xlsx', 'incoming/s01/bao-cao.xlsx', 'incoming/S011/bao-cao.xlsx', 'incoming/S02/bao-cao.xlsx',
      'incoming/S01', 'results/S01/x.json', 'config/registry/S01.csv', 'incoming//S01/x.xlsx']) {
      expect(may(other), other).toBe(false);
    }
  });
});

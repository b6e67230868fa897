// The portal's CDK constructs, synthesised offline in a stack of their own with the upload
// bucket and the table (infra/stack.ts wires them in the real stack), under cdk-nag.
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { Portal } from '../../infra/constructs/portal.ts';
import { ReportTable } from '../../infra/constructs/report-table.ts';
import { UploadBucket } from '../../infra/constructs/upload-bucket.ts';

let template: Template;
let failure = '';

function build(): { app: App; stack: Stack } {
  // No bundling: the template is what is checked, not the function's code.
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'PortalTest', { env: { account: '123456789012', region: 'ap-southeast-1' } });
  const uploads = new UploadBucket(stack, 'UploadBucket', {});
  const table = new ReportTable(stack, 'ReportTable', {});
  new Portal(stack, 'Portal', { bucket: uploads.bucket, table: table.table, accessLogs: uploads.accessLogs, periodStartDay: 16, periodDueDay: 20 });
  return { app, stack };
}

beforeAll(() => {
  template = Template.fromStack(build().stack);
  const nagged = build().app;
  Validations.of(nagged).addPlugins(new AwsSolutionsChecks(nagged));
  try {
    nagged.synth();
  } catch (e) {
    failure = String(e);
  }
}, 120_000);

describe('portal constructs', () => {
  it('pass cdk-nag AwsSolutions, each acknowledged finding with its reason', () => {
    expect(failure).toBe('');
  });

  it('a user pool with custom:unit_code, no self sign-up, an admin group and a USER_PASSWORD_AUTH client without secret', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'unit_code', AttributeDataType: 'String', Mutable: false })]),
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
    });
    // A forgotten password's code comes in Vietnamese, by email (the page's "Quên mật khẩu?").
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      VerificationMessageTemplate: Match.objectLike({ DefaultEmailOption: 'CONFIRM_WITH_CODE', EmailSubject: 'Mã xác minh đặt lại mật khẩu cổng gửi báo cáo hồ sơ TTHC', EmailMessage: Match.stringLikeRegexp('\\{####\\}') }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
    // The page renews the hour's ID token with the refresh token (a day's), and revokes it on signing out.
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false, ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
      IdTokenValidity: 60, RefreshTokenValidity: 1440, TokenValidityUnits: Match.objectLike({ IdToken: 'minutes', RefreshToken: 'minutes' }),
      EnableTokenRevocation: true,
      // Not the email (a reset's code goes there): a signed-in clerk writes no attribute that matters.
      WriteAttributes: ['locale'],
    });
  });

  it('every API route needs the JWT authorizer on the pool and its client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: Match.objectLike({ Audience: [Match.anyValue()] }),
    });
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Array<{ Properties: { RouteKey: string; AuthorizationType: string } }>;
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(['GET /api/me', 'GET /api/status', 'GET /api/template', 'GET /api/uploads', 'POST /api/uploads']);
    for (const r of routes) expect(r.Properties.AuthorizationType).toBe('JWT');
  });

  it('the page bucket is private and read by CloudFront through origin access control; /api/* goes to the API uncached', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        CacheBehaviors: [Match.objectLike({ PathPattern: '/api/*', ViewerProtocolPolicy: 'https-only' })],
      }),
    });
  });

  it('the portal function reads the table and may only put under incoming/', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Array<{ Properties: { PolicyName: string; PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } }>;
    const portal = policies.find((p) => p.Properties.PolicyName.startsWith('PortalFunctionServiceRole'))!;
    const actions = portal.Properties.PolicyDocument.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.filter((a) => !a.startsWith('xray:')).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Query', 's3:PutObject']);
    expect(JSON.stringify(portal.Properties.PolicyDocument)).toContain('/incoming/*');
  });

  it('the upload bucket lets the portal origin POST (CORS)', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedMethods: ['POST'] })] },
    });
  });
});

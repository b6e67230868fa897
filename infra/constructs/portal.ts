// The clerks' portal in AWS: a Cognito user pool (one user per unit clerk, `custom:unit_code`,
// an `admin` group), the portal function behind an HTTP API whose JWT authorizer checks the
// pool's ID tokens, and the static page in a private bucket served by CloudFront (origin access
// control), which also routes /api/* to the API so the page and the API share one origin.
// The same handler and page run locally under `tthc portal` (cognito-local, functions/portal/local-server.ts).
import { Annotations, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AllowedMethods, CachePolicy, Distribution, HttpVersion, OriginProtocolPolicy, OriginRequestPolicy,
  ResponseHeadersPolicy, SecurityPolicyProtocol, ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  AccountRecovery, CfnUserPoolGroup, ClientAttributes, Mfa, StringAttribute, UserPool, UserPoolClient, UserPoolEmail, VerificationEmailStyle,
} from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogLevel, OutputFormat, type NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, type CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { INCOMING_PREFIX } from '../../shared/bucket-layout.ts';
import { ADMIN_GROUP, INVITATION_MAIL, PASSWORD_RESET_MAIL } from '../../shared/portal/portal.ts';
import { MAX_UNIT_CODE } from '../../shared/units/unit.ts';
import { TABLE_KEYS } from '../../functions/commons/table-schema.ts';
import { acknowledge, defaultPolicyOf, prefixFindings, stackSingleton } from '../nag.ts';
import { FUNCTIONS_DIR } from './ingest-function.ts';
import { BUNDLE, nodeFunction } from './node-function.ts';

export const PORTAL_WEB_DIR = `${FUNCTIONS_DIR}portal/web`;

/** SDK packages taken from the Lambda runtime; everything else is bundled (1.4 MB minified, exceljs for the templates included). */
export const PORTAL_RUNTIME_SDK = ['@aws-sdk/client-*', '@aws-sdk/lib-dynamodb', '@aws-sdk/util-dynamodb'] as const;

/** The API's routes (all behind the JWT authorizer). */
export const PORTAL_ROUTES: Array<{ path: string; methods: HttpMethod[] }> = [
  { path: '/api/me', methods: [HttpMethod.GET] },
  { path: '/api/uploads', methods: [HttpMethod.GET, HttpMethod.POST] },
  { path: '/api/template', methods: [HttpMethod.GET] },
  { path: '/api/status', methods: [HttpMethod.GET] },
];

export interface PortalProps {
  /** The upload bucket: the portal signs POSTs for incoming/<unit>/ and needs its CORS rule. */
  bucket: Bucket;
  table: Table;
  /** Where CloudFront and the page bucket write their access logs (ACLs enabled). */
  accessLogs: IBucket;
  periodStartDay: number;
  periodDueDay: number;
  /**
   * The invitation mail's From, when SES is set up for Cognito; Cognito's own sender otherwise
   * (50 mails a day, too few to invite a city's units at once). `domain`: the verified SES
   * identity is the address's domain, not the address itself.
   */
  invitationFrom?: { address: string; sesRegion: string; domain?: string };
}

export class Portal extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly fn: NodejsFunction;
  readonly api: HttpApi;
  readonly distribution: Distribution;
  readonly site: Bucket;
  /** The page's address (CloudFront), which the reminders link to. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    const { region } = Stack.of(this);

    this.userPool = new UserPool(this, 'Clerks', {
      userPoolName: 'tthc-portal',
      selfSignUpEnabled: false, // accounts come from `tthc accounts create|sync` (the registry)
      signInAliases: { username: true },
      signInCaseSensitive: false,
      customAttributes: { unit_code: new StringAttribute({ minLen: 1, maxLen: MAX_UNIT_CODE, mutable: false }) },
      standardAttributes: { email: { required: false, mutable: true } },
      passwordPolicy: { minLength: 10, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(7) },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // The code of "Quên mật khẩu?": Cognito's default mail is English.
      userVerification: { emailStyle: VerificationEmailStyle.CODE, emailSubject: PASSWORD_RESET_MAIL.subject, emailBody: PASSWORD_RESET_MAIL.body('{####}') },
      // The clerk learns where to sign in from it. Lazy: the distribution is made below (the pool
      // then waits for it; the distribution needs only the API, not the pool, so no cycle).
      userInvitation: { emailSubject: INVITATION_MAIL.subject, emailBody: INVITATION_MAIL.body(Lazy.string({ produce: () => this.url })) },
      email: props.invitationFrom
        ? UserPoolEmail.withSES({ fromEmail: props.invitationFrom.address, sesRegion: props.invitationFrom.sesRegion, sesVerifiedDomain: props.invitationFrom.domain })
        : undefined,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    acknowledge(this.userPool, [
      { id: 'AwsSolutions-COG2', reason: 'Commune clerks sign in from shared office computers, many without a phone for the office; MFA (TOTP) is offered, not required.' },
      { id: 'AwsSolutions-COG8', reason: 'Threat protection (the Plus feature plan) costs per user per month; the pool has no self sign-up, only admin-created accounts.' },
    ]);
    new CfnUserPoolGroup(this, 'AdminGroup', { userPoolId: this.userPool.userPoolId, groupName: ADMIN_GROUP, description: 'Quản trị: xem tình hình của mọi đơn vị' });
    this.client = this.userPool.addClient('Web', {
      userPoolClientName: 'tthc-portal-web',
      generateSecret: false, // a browser app keeps no secret
      authFlows: { userPassword: true },
      preventUserExistenceErrors: true,
      // A signed-in clerk may change nothing of the account: its email is where a password
      // reset's code goes, and a stolen session could otherwise point it elsewhere for good.
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true }),
      // The page renews its ID token with the refresh token (REFRESH_TOKEN_AUTH, which CDK allows
      // beside USER_PASSWORD_AUTH): an hour's ID token, a working day's session. Signing out
      // revokes the refresh token (RevokeToken; on by default for a new client, said here).
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
      enableTokenRevocation: true,
    });

    this.fn = nodeFunction(this, 'Function', {
      entry: `${FUNCTIONS_DIR}portal/handler.ts`,
      serviceName: 'tthc-portal',
      description: "The clerks' portal API: me, uploads (presigned POST), history, templates, status",
      memorySize: 512,
      timeout: Duration.seconds(15),
      // As the other functions, but @aws-sdk/s3-presigned-post (and the helpers it needs) is
      // bundled: the runtime's SDK is sure to carry the clients, not that package.
      bundling: {
        format: OutputFormat.ESM, target: BUNDLE.target, minify: BUNDLE.minify, keepNames: BUNDLE.keepNames, sourceMap: BUNDLE.sourceMap,
        externalModules: [...PORTAL_RUNTIME_SDK], banner: BUNDLE.banner, mainFields: [...BUNDLE.mainFields], logLevel: LogLevel.ERROR,
      },
      environment: {
        TTHC_BUCKET: props.bucket.bucketName,
        TTHC_TABLE: props.table.tableName,
        TTHC_PERIOD_START_DAY: String(props.periodStartDay),
        TTHC_PERIOD_DUE_DAY: String(props.periodDueDay),
      },
    });
    // Reads only: a period's items and the plan configuration (Query on PK), a unit's history (the one index).
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [props.table.tableArn] }));
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${props.table.tableArn}/index/${TABLE_KEYS.gsi1.name}`] }));
    // A presigned POST carries the function's credentials: it may only put under incoming/,
    // and each policy it signs pins one key in the caller's own folder.
    this.fn.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [props.bucket.arnForObjects(`${INCOMING_PREFIX}*`)] }));
    acknowledge(defaultPolicyOf(this.fn.role), prefixFindings(props.bucket, ['incoming'],
      'The portal signs POST policies for uploads under incoming/; each policy pins one key under the caller\'s own unit folder (incoming/<unit>/).'));

    const apiLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.SIX_MONTHS });
    this.api = new HttpApi(this, 'Api', {
      apiName: 'tthc-portal',
      createDefaultStage: false,
      defaultAuthorizer: new HttpUserPoolAuthorizer('Clerks', this.userPool, { userPoolClients: [this.client], userPoolRegion: region }),
    });
    this.api.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(apiLogs) },
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    const integration = new HttpLambdaIntegration('Handler', this.fn);
    for (const r of PORTAL_ROUTES) this.api.addRoutes({ path: r.path, methods: r.methods, integration });

    this.site = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'portal-site/',
      // Its only content is the page (a build artefact): emptied when the bucket itself is
      // deleted (`cdk destroy`, a failed first deploy's rollback). Not by the page's deployment
      // (retainOnDelete: false): a new id for that construct would delete the page it just put.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    const apiHost = `${this.api.apiId}.execute-api.${region}.amazonaws.com`;
    this.distribution = new Distribution(this, 'Cdn', {
      comment: 'Cổng gửi báo cáo TTHC của đơn vị',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      enableLogging: true,
      logBucket: props.accessLogs,
      logFilePrefix: 'portal-cdn/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.site),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      additionalBehaviors: {
        '/api/*': {
          origin: new HttpOrigin(apiHost, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // The Authorization header must reach API Gateway; Host must be the API's own.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        },
      },
    });
    // Kept for the day the city's certificate is attached; until then CDK warns that it has no effect.
    Annotations.of(this.distribution).acknowledgeWarning('@aws-cdk/aws-cloudfront:minimumProtocolVersionWithoutCertificate',
      'TLS 1.2 applies once the city domain and its ACM certificate are attached (see CFR4).');
    acknowledge(this.distribution, [
      { id: 'AwsSolutions-CFR1', reason: 'Clerks are in Hai Phong but may travel or use mobile networks routed abroad; sign-in protects every action, so no geo restriction.' },
      { id: 'AwsSolutions-CFR2', reason: 'WAF costs a fixed monthly fee beyond this city-scale service; the API is throttled per stage and every route needs a Cognito token.' },
      { id: 'AwsSolutions-CFR4', reason: 'Until the city domain and its ACM certificate are attached the default *.cloudfront.net certificate is used; TLS 1.2 is set for when it is.' },
    ]);

    // The page posts the file straight to the upload bucket from the portal's origin.
    props.bucket.addCorsRule({
      allowedMethods: [HttpMethods.POST],
      allowedOrigins: [`https://${this.distribution.distributionDomainName}`],
      allowedHeaders: ['*'],
      exposedHeaders: ['ETag'],
      maxAge: 600,
    });

    new BucketDeployment(this, 'Page', {
      destinationBucket: this.site,
      sources: [
        Source.asset(PORTAL_WEB_DIR),
        // What the page needs to sign in: the pool's endpoint and the public app client.
        Source.jsonData('config.json', {
          cognito: { endpoint: `https://cognito-idp.${region}.amazonaws.com`, region, userPoolId: this.userPool.userPoolId, clientId: this.client.userPoolClientId },
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/app.js', '/style.css', '/config.json'],
      memoryLimit: 256,
    });

    // CDK's page-deployment helper (one per stack and memory size) copies the page from the
    // asset bucket into the site bucket and invalidates CloudFront: its role is CDK's own.
    const deployer = stackSingleton(this, 'Custom::CDKBucketDeployment');
    const deployerRole = deployer.node.findChild('ServiceRole');
    acknowledge(deployer, [{ id: 'AwsSolutions-L1', reason: 'CDK pins the runtime of its BucketDeployment helper; it runs only at deploy time to copy the page.' }]);
    acknowledge(deployerRole, [{
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'CDK\'s BucketDeployment helper writes its own CloudWatch logs with AWSLambdaBasicExecutionRole, nothing else.',
    }]);
    const siteObjects = `<${Stack.of(this).resolve(Stack.of(this).getLogicalId(this.site.node.defaultChild as CfnBucket))}.Arn>/*`;
    // As cdk-nag writes a reference in a finding: <AWS::AccountId> when the account is not known at synth.
    const named = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    const assets = `arn:${named(Stack.of(this).partition, 'Partition')}:s3:::cdk-hnb659fds-assets-${named(Stack.of(this).account, 'AccountId')}-${named(region, 'Region')}/*`;
    acknowledge(defaultPolicyOf(deployerRole), [
      ...['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*', `Resource::${assets}`, `Resource::${siteObjects}`]
        .map((f) => ({ id: `AwsSolutions-IAM5[${f}]`, reason: 'CDK\'s BucketDeployment grants: read the page asset from the CDK asset bucket, replace the objects of the site bucket.' })),
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'cloudfront:CreateInvalidation and GetInvalidation have no resource-level scoping in the helper CDK generates.' },
    ]);

    // The stack outputs the URL, the pool and the client (infra/stack.ts), under names of their own.
    this.url = `https://${this.distribution.distributionDomainName}`;
  }
}

// A Node.js Lambda bundled locally by esbuild (no Docker): ESM, minified, arm64, with the
// AWS SDK taken from the runtime. Shared by the ingest and report functions.
import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge, defaultPolicyOf } from '../nag.ts';

// Lambda's newest Node.js; the bundle targets node20 so it also runs where we test it.
export const RUNTIME = Runtime.NODEJS_24_X;

/**
 * How both functions are bundled (bench/bundles.ts measures the same). No source maps at run
 * time: --enable-source-maps cost ~70 MiB RSS and 0.5–1.5 s more to load a bundle here (the
 * maps are 5.7 MB), and up to 250 ms of cold start in Lambda. Instead the minified bundle
 * keeps its function and class names, so a stack trace still says where it failed
 * (`at readReport (file:///var/task/index.mjs:…)`); the trace's line and column, with a local
 * `npx cdk synth`, lead to the source.
 */
export const BUNDLE = {
  format: 'esm',
  target: 'node20',
  minify: true,
  keepNames: true,
  sourceMap: false,
  // The runtime ships SDK v3; bundling it again would only add weight.
  external: ['@aws-sdk/*'],
  // Some bundled CommonJS packages (exceljs, nodemailer) call require().
  banner: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);",
  mainFields: ['module', 'main'],
} as const;

export function nodeFunction(scope: Construct, id: string, props: NodejsFunctionProps & { entry: string; serviceName: string }): NodejsFunction {
  const { serviceName, environment, ...rest } = props;
  const fn = new NodejsFunction(scope, id, {
    runtime: RUNTIME,
    architecture: Architecture.ARM_64,
    memorySize: 1024,
    timeout: Duration.minutes(1),
    tracing: Tracing.ACTIVE,
    logGroup: new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.SIX_MONTHS }),
    environment: {
      POWERTOOLS_SERVICE_NAME: serviceName,
      POWERTOOLS_METRICS_NAMESPACE: 'TthcReports',
      ...environment,
    },
    bundling: {
      format: OutputFormat.ESM,
      target: BUNDLE.target,
      minify: BUNDLE.minify,
      keepNames: BUNDLE.keepNames,
      sourceMap: BUNDLE.sourceMap,
      externalModules: [...BUNDLE.external],
      banner: BUNDLE.banner,
      mainFields: [...BUNDLE.mainFields],
      // esbuild's size summary flags any bundle over 1 MB; bench/bundles.ts tracks the sizes instead.
      logLevel: LogLevel.ERROR,
    },
    ...rest,
  });
  acknowledge(fn.role!, [{ id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole lets the function write its own CloudWatch logs, nothing else.' }]);
  acknowledge(defaultPolicyOf(fn.role), [{ id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions (tracing is on); a test keeps every other statement off "*".' }]);
  return fn;
}

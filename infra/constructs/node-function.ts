// A Node.js Lambda bundled locally by esbuild (no Docker): ESM, minified, arm64, with the
// AWS SDK taken from the runtime. Shared by the ingest and report functions.
import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Construct } from 'constructs';
import { acknowledge, defaultPolicyOf } from '../nag.ts';

// Lambda's newest Node.js; the bundle targets node20 so it also runs where we test it.
export const RUNTIME = Runtime.NODEJS_24_X;

/**
 * How both functions are bundled (bench/bundles.ts measures the same). No source maps at run
 * time: --enable-source-maps cost ~70 MiB RSS and 0.5–1.5 s more to load a bundle here (the
 * maps are 5.7 MB), and up to 250 ms of cold start in Lambda. Instead the minified bundle
 * keeps its function and class names, so a stack trace still says where it failed
 * (`at readSubmission (file:///var/task/index.mjs:…)`); the trace's line and column, with a local
 * `npx cdk synth`, lead to the source.
 */
export const BUNDLE = {
  format: 'esm',
  target: 'node20',
  minify: true,
  keepNames: true,
  sourceMap: false,
  // The runtime ships SDK v3; bundling it again would only add weight. Native code (the
  // chart renderer) cannot be bundled: a function that needs it ships it (see Shipped).
  external: ['@aws-sdk/*', '@resvg/resvg-js'],
  // Some bundled CommonJS packages (exceljs, nodemailer) call require().
  banner: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);",
  mainFields: ['module', 'main'],
} as const;

/**
 * What a function carries beside its bundle, copied from this repo (its node_modules, as
 * `npm ci` left them): packages esbuild cannot bundle, and data files. Copied, not installed,
 * so synth needs no network.
 */
export interface Shipped {
  /** node_modules/<package> → node_modules/<package> in the asset. */
  packages: string[];
  /** A repo path → a path in the asset. */
  files: Array<{ from: string; to: string }>;
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function shipCommands(ship: Shipped, inputDir: string, outputDir: string): string[] {
  const copy = (from: string, to: string, recursive: boolean) =>
    `mkdir -p "${dirname(join(outputDir, to))}" && cp ${recursive ? '-R ' : ''}"${join(inputDir, from)}" "${join(outputDir, to)}"`;
  return [
    ...ship.packages.map((p) => copy(`node_modules/${p}`, `node_modules/${p}`, true)),
    ...ship.files.map((f) => copy(f.from, f.to, false)),
  ];
}

export function nodeFunction(scope: Construct, id: string, props: NodejsFunctionProps & { entry: string; serviceName: string; ship?: Shipped }): NodejsFunction {
  const { serviceName, environment, ship, ...rest } = props;
  for (const path of ship ? [...ship.packages.map((p) => `node_modules/${p}`), ...ship.files.map((f) => f.from)] : []) {
    if (!existsSync(join(REPO, path))) throw new Error(`${id}: ${path} is not there to ship with the function (run npm ci on the deploying machine)`);
  }
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
      commandHooks: ship && {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (inputDir, outputDir) => shipCommands(ship, inputDir, outputDir),
      },
    },
    ...rest,
  });
  acknowledge(fn.role!, [{ id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'AWSLambdaBasicExecutionRole lets the function write its own CloudWatch logs, nothing else.' }]);
  acknowledge(defaultPolicyOf(fn.role), [{ id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions (tracing is on); a test keeps every other statement off "*".' }]);
  return fn;
}

// CDK app: `npx cdk synth` / `npx cdk deploy` (cdk.json runs this with tsx).
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, deploymentEnv } from './config.ts';
import { TthcStack } from './stack.ts';

const app = new App();
try {
  new TthcStack(app, 'TthcReports', {
    env: deploymentEnv(app.node),
    description: 'Hải Phòng Plan 128/KH-UBND: monthly administrative-procedure dossier reports',
  });
} catch (err) {
  // A configuration mistake is the operator's to fix: the message, not a stack trace.
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`\n${err.message}\n\n`);
  process.exit(1);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

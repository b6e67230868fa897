// CDK app: `npx cdk synth` / `npx cdk deploy` (cdk.json runs this with tsx).
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { TthcStack } from './stack.ts';

const app = new App();
new TthcStack(app, 'TthcReports', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'ap-southeast-1' },
  description: 'Hải Phòng Plan 128/KH-UBND: monthly administrative-procedure dossier reports',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

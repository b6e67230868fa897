// The portal's dependencies from the environment, once per Lambda container: the same
// report store and plan configuration as ingest and report, and a presigned-POST signer on
// the upload bucket.
import type { PortalDeps } from '../../shared/portal/portal.ts';
import { dynamoClient, s3Client } from '../commons/clients.ts';
import { periodsFromEnv, planFromEnv } from '../commons/deps.ts';
import { DynamoReportStore } from '../commons/dynamodb-report-store.ts';
import { S3UploadSigner } from './upload-signer.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`missing configuration: ${name}`);
  return value;
}

let adapters: Pick<PortalDeps, 'store' | 'signer'> | undefined;

export async function portalDepsFromEnv(): Promise<PortalDeps> {
  adapters ??= {
    store: new DynamoReportStore(dynamoClient(), required('TTHC_TABLE')),
    signer: new S3UploadSigner(s3Client(), required('TTHC_BUCKET')),
  };
  return { ...adapters, units: await planFromEnv(), periods: periodsFromEnv(), now: () => new Date() };
}

// The portal's dependencies from the environment, once per Lambda container: the same
// report store and plan configuration as ingest and report, and a presigned-POST signer on
// the upload bucket.
import type { PortalDeps } from '../../shared/portal/portal.ts';
import { dynamoClient, s3Client } from '../commons/clients.ts';
import { periodsFromEnv, perSettings, planFromEnv, required } from '../commons/deps.ts';
import { DynamoReportStore } from '../commons/dynamodb-report-store.ts';
import { S3UploadSigner } from './upload-signer.ts';

const adaptersFromEnv = perSettings(['TTHC_BUCKET', 'TTHC_TABLE', 'TTHC_S3_ENDPOINT', 'TTHC_DYNAMODB_ENDPOINT'], (): Pick<PortalDeps, 'store' | 'signer'> => ({
  store: new DynamoReportStore(dynamoClient(), required('TTHC_TABLE')),
  signer: new S3UploadSigner(s3Client(), required('TTHC_BUCKET')),
}));

export async function portalDepsFromEnv(): Promise<PortalDeps> {
  return { ...adaptersFromEnv(), units: await planFromEnv(), periods: periodsFromEnv(), now: () => new Date() };
}

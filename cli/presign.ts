// Presigned PUT URLs for units without AWS identities (tthc upload-url): which unit may get
// one, and a URL that any file the clerk picks later can be uploaded with.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { localClientConfig } from '../functions/commons/clients.ts';
import { periodsFromEnv, planFromEnv } from '../functions/commons/deps.ts';
import { lastClosedPeriod, periodContaining } from '../shared/period.ts';
import type { Unit } from '../shared/units/unit.ts';

/**
 * An S3 client for presigning. The SDK's default (requestChecksumCalculation WHEN_SUPPORTED)
 * signs x-amz-checksum-crc32 of the empty body it has at signing time, and S3 then refuses
 * every real file put to the URL: sign a checksum only where the operation requires one.
 */
export function presignClient(endpoint = process.env.TTHC_S3_ENDPOINT): S3Client {
  return new S3Client({ ...(endpoint ? localClientConfig('s3', endpoint) : {}), requestChecksumCalculation: 'WHEN_REQUIRED' });
}

export async function presignUpload(bucket: string, key: string, expiresIn: number, client: S3Client = presignClient()): Promise<string> {
  return getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
}

/**
 * The unit a URL may be issued for: a unit of the registry in force (the built-in plan with
 * every loaded file: in AWS the table TTHC_TABLE, locally the one under TTHC_HOME) for the
 * period being reported or the one being collected. Null when the code is neither.
 */
export async function unitForUpload(code: string, at: Date = new Date()): Promise<Unit | null> {
  const plan = await planFromEnv();
  const periods = periodsFromEnv();
  for (const period of [lastClosedPeriod(at, periods), periodContaining(at, periods)]) {
    const unit = plan.registryFor(period).get(code);
    if (unit) return unit;
  }
  return null;
}

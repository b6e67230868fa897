// AWS SDK v3 client factories. In Lambda they build plain clients (region and
// credentials from the runtime). Locally (demo, CLI, tests) the TTHC_*_ENDPOINT
// env vars point them at the emulators started by infra/local/stack.ts.
// Build each client once per module (Lambda init), not per request.
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SESv2ClientConfig } from '@aws-sdk/client-sesv2';

export type ServiceKind = 's3' | 'dynamodb' | 'ses';

interface ConfigFor {
  s3: S3ClientConfig;
  dynamodb: DynamoDBClientConfig;
  ses: SESv2ClientConfig;
}

// s3rver only accepts its fixed key pair; DynamoDB Local and aws-ses-v2-local take any
// alphanumeric key, so one pair serves all three emulators.
const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Client config for an emulator endpoint (tests use this directly, without env vars). */
export function localClientConfig<K extends ServiceKind>(kind: K, endpoint: string): ConfigFor[K] {
  // The SDK warns about Node 20 on every client; noise on a dev machine, never set in Lambda.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const base = {
    endpoint,
    region: process.env.AWS_REGION ?? 'ap-southeast-1',
    credentials: EMULATOR_CREDENTIALS,
  };
  if (kind !== 's3') return base as ConfigFor[K];
  const s3: S3ClientConfig = {
    ...base,
    forcePathStyle: true, // s3rver has no DNS for virtual-hosted buckets
    // Default checksums stream PutObject as aws-chunked; s3rver would store the framing.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  return s3 as ConfigFor[K];
}

/** Local config when `endpoint` is set, else {} (plain AWS client). */
export function configFor<K extends ServiceKind>(kind: K, endpoint: string | undefined): ConfigFor[K] {
  return endpoint ? localClientConfig(kind, endpoint) : ({} as ConfigFor[K]);
}

export const s3Client = (endpoint = process.env.TTHC_S3_ENDPOINT): S3Client =>
  new S3Client(configFor('s3', endpoint));

export const dynamoClient = (endpoint = process.env.TTHC_DYNAMODB_ENDPOINT): DynamoDBClient =>
  new DynamoDBClient(configFor('dynamodb', endpoint));

// sesClient is in mailer.ts, with the one adapter that sends: only a run that mails loads SES's client.

/**
 * The DocumentClient over a DynamoDB client: plain values in and out, no hand marshalling.
 * It shares the client's middleware and config (the SDK writes translateConfig into the
 * client's config), so every store builds it here with the same options.
 */
export const documentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

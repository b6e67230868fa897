// Builds the use cases' dependencies from the environment, once per Lambda container.
// The same code runs locally: only endpoints (TTHC_*_ENDPOINT) and the outbox differ.
import type { IngestDeps } from '../../shared/ingest/ingest-upload.ts';
import { PLAN_128_PERIODS, type PeriodConfig } from '../../shared/period.ts';
import { plan128Registry } from '../../shared/units/plan-128-2022.ts';
import { dynamoClient, s3Client, sesClient } from './clients.ts';
import { DynamoReportStore } from './dynamodb-report-store.ts';
import { SesMailer } from './mailer.ts';
import { S3ObjectStore } from './s3-object-store.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`missing configuration: ${name}`);
  return value;
}

/** Period window from configuration (TTHC_PERIOD_START_DAY, TTHC_PERIOD_DUE_DAY); Plan 128 by default. */
export function periodsFromEnv(): PeriodConfig {
  return {
    startDay: Number(process.env.TTHC_PERIOD_START_DAY ?? PLAN_128_PERIODS.startDay),
    dueDay: Number(process.env.TTHC_PERIOD_DUE_DAY ?? PLAN_128_PERIODS.dueDay),
    timeZone: process.env.TTHC_TIME_ZONE ?? PLAN_128_PERIODS.timeZone,
  };
}

export function ingestDepsFromEnv(): IngestDeps {
  const from = process.env.TTHC_MAIL_FROM;
  return {
    objects: new S3ObjectStore(s3Client(), required('TTHC_BUCKET')),
    reports: new DynamoReportStore(dynamoClient(), required('TTHC_TABLE')),
    mailer: from ? new SesMailer(sesClient(), from, process.env.TTHC_OUTBOX_DIR) : null,
    registry: plan128Registry(),
    periods: periodsFromEnv(),
  };
}

// Builds the use cases' dependencies from the environment, once per Lambda container.
// The same code runs locally: only endpoints (TTHC_*_ENDPOINT) and the outbox differ.
import type { IngestDeps } from '../../shared/ingest/ingest-upload.ts';
import { PLAN_128_PERIODS, type PeriodConfig } from '../../shared/period.ts';
import type { ReportDeps } from '../../shared/report/run-report.ts';
import { PLAN_128_FLOOR, PLAN_128_ONLINE_ONLY, PLAN_128_TARGETS, PLAN_128_UNITS, plan128Registry } from '../../shared/units/plan-128-2022.ts';
import { dynamoClient, s3Client } from './clients.ts';
import { DynamoReportStore } from './dynamodb-report-store.ts';
import type { Mailer } from '../../shared/ports.ts';
import { S3ObjectStore } from './s3-object-store.ts';
import { DynamoConfigStore } from './dynamodb-config-store.ts';
import { loadPlanConfig } from '../../shared/config/load-config.ts';
import type { PlanConfig } from '../../shared/config/plan-config.ts';
import { DEFAULT_QUALITY, type QualityConfig } from '../../shared/ingest/quality.ts';

export function required(name: string): string {
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

/** Outlier thresholds (TTHC_OUTLIER_RATIO, TTHC_OUTLIER_RATE_POINTS, TTHC_OUTLIER_HISTORY, TTHC_OUTLIER_MIN_HISTORY); DHIS2-like defaults. */
export function qualityFromEnv(env: NodeJS.ProcessEnv = process.env): QualityConfig {
  const num = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new Error(`configuration ${name} must be a positive number: ${raw}`);
    return value;
  };
  return {
    newDossiersRatio: num('TTHC_OUTLIER_RATIO', DEFAULT_QUALITY.newDossiersRatio),
    onlineRatePoints: num('TTHC_OUTLIER_RATE_POINTS', DEFAULT_QUALITY.onlineRatePoints),
    historyPeriods: num('TTHC_OUTLIER_HISTORY', DEFAULT_QUALITY.historyPeriods),
    minHistory: num('TTHC_OUTLIER_MIN_HISTORY', DEFAULT_QUALITY.minHistory),
  };
}

/** The mail transport of the settings: SES (locally its emulator, with an .eml copy in TTHC_OUTBOX_DIR); null without TTHC_MAIL_FROM. */
export function mailerFromEnv(): Mailer | null {
  const from = process.env.TTHC_MAIL_FROM;
  if (!from) return null;
  const { TTHC_SES_ENDPOINT: endpoint, TTHC_OUTBOX_DIR: outbox } = process.env;
  // SES's client and the MIME composer load with the first mail: most invocations send none.
  let ses: Promise<Mailer> | undefined;
  return {
    send: async (m) => (await (ses ??= import('./mailer.ts').then(({ SesMailer, sesClient }) => new SesMailer(sesClient(endpoint), from, outbox)))).send(m),
  };
}

/**
 * A value built from settings once per container, and again only if they change. In Lambda
 * they never do; a local process may start a second stack (new endpoints, a new table), and
 * clients bound to the first one's ports would talk to nothing.
 */
export function perSettings<T>(names: readonly string[], build: () => T): () => T {
  let built: { key: string; value: T } | undefined;
  return () => {
    const key = JSON.stringify(names.map((n) => process.env[n] ?? null));
    if (built?.key !== key) built = { key, value: build() };
    return built.value;
  };
}

// Clients and stores once per container. The plan configuration (two queries) is kept for a
// minute: a registry or targets file takes effect within a minute in every container, and at
// once in the container that loaded it.
const PLAN_TTL_MS = 60_000;
let plan: { config: Promise<PlanConfig>; at: number; from: DynamoConfigStore } | undefined;

const adaptersFromEnv = perSettings(
  ['TTHC_BUCKET', 'TTHC_TABLE', 'TTHC_S3_ENDPOINT', 'TTHC_DYNAMODB_ENDPOINT', 'TTHC_MAIL_FROM', 'TTHC_SES_ENDPOINT', 'TTHC_OUTBOX_DIR'],
  () => {
    const dynamo = dynamoClient();
    return {
      objects: new S3ObjectStore(s3Client(), required('TTHC_BUCKET')),
      reports: new DynamoReportStore(dynamo, required('TTHC_TABLE')),
      config: new DynamoConfigStore(dynamo, required('TTHC_TABLE')),
      mailer: mailerFromEnv(),
    };
  },
);

export function planFromEnv(): Promise<PlanConfig> {
  const { config: store } = adaptersFromEnv();
  if (!plan || plan.from !== store || Date.now() - plan.at > PLAN_TTL_MS) {
    const config = loadPlanConfig(store);
    plan = { config, at: Date.now(), from: store };
    config.catch(() => { plan = undefined; }); // a failed read is retried by the next call
  }
  return plan.config;
}

export function forgetPlan(): void {
  plan = undefined;
}

export async function ingestDepsFromEnv(): Promise<IngestDeps & { config: DynamoConfigStore; onConfigLoaded: () => void }> {
  const a = adaptersFromEnv();
  return { ...a, units: await planFromEnv(), periods: periodsFromEnv(), quality: qualityFromEnv(), onConfigLoaded: forgetPlan };
}

/** Leadership recipients: TTHC_REPORT_RECIPIENTS, comma-separated. */
export async function reportDepsFromEnv(): Promise<ReportDeps> {
  const a = adaptersFromEnv();
  return {
    objects: a.objects,
    store: a.reports,
    mailer: a.mailer,
    plan: await planFromEnv(),
    recipients: (process.env.TTHC_REPORT_RECIPIENTS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    periods: periodsFromEnv(),
    units: PLAN_128_UNITS,
    targets: PLAN_128_TARGETS,
    pilot: PLAN_128_ONLINE_ONLY,
    floor: PLAN_128_FLOOR,
  };
}

// Deployment configuration, from CDK context (cdk.json, or `-c key=value` on the command line).
import type { Node } from 'constructs';

export interface TthcConfig {
  /** SES identity (verified email address or domain) the mail is sent from. */
  senderEmail: string;
  /** Verified SES identity that sender belongs to: the address itself or its domain. */
  sesIdentity: string;
  /** Leadership recipients of the monthly report. */
  reportRecipients: string[];
  /** Who gets the reminders' list of missing and late units the day after the due day; the leadership list when not set. */
  adminEmails: string[];
  /** Where alarms go (email subscription to the ops SNS topic); required unless dryRun. */
  alarmEmail: string | null;
  /** `-c dryRun=true`: synthesize without recipients or alarm address (trying the stack out, never a real deployment). */
  dryRun: boolean;
  /** Reporting window: from this day of last month to the day before it this month (16 → 15th). */
  periodStartDay: number;
  /** Reports are due before this day; the leadership report goes out on it at 08:00. */
  periodDueDay: number;
  /** First day of the daily reminders, which run up to the day before the due day (the day after it, the administrators' list). */
  reminderStartDay: number;
  /** Rejected uploads in one hour above which ops are alarmed (a template change or a reader bug, not clerks' slips). */
  rejectedUploadsPerHour: number;
  /** Concurrent ingests at most: the whole city uploads over a few days; 10 is plenty. */
  ingestConcurrency: number;
  bucketName: string | undefined;
  tableName: string | undefined;
}

/** A deployment setting that is missing or wrong: `cdk synth` stops with this message. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(`TthcReports configuration: ${message}`);
    this.name = 'ConfigError';
  }
}

export function readConfig(node: Node): TthcConfig {
  const get = (key: string): string | undefined => {
    const v = node.tryGetContext(key);
    return v === undefined || v === null || v === '' ? undefined : String(v);
  };
  const senderEmail = get('senderEmail') ?? 'bao-cao-dvc@haiphong.gov.vn';
  const list = (key: string) => (get(key) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const reportRecipients = list('reportRecipients');
  // Those who follow up with late units (Văn phòng); the leadership list, which names them
  // in a usual deployment, when not set: the day-after list then never goes to nobody.
  const adminEmails = list('adminEmails').length ? list('adminEmails') : reportRecipients;
  const alarmEmail = get('alarmEmail') ?? null;
  const dryRun = get('dryRun') === 'true';
  // An empty list would build the workbook and fail every month, and an empty alarm address
  // would leave every alarm silent: a real deployment must name both.
  const missing = [!reportRecipients.length && 'reportRecipients', !alarmEmail && 'alarmEmail'].filter(Boolean);
  if (missing.length && !dryRun) {
    throw new ConfigError(`${missing.join(' and ')} must be set: -c reportRecipients=a@haiphong.gov.vn,b@haiphong.gov.vn -c alarmEmail=ops@haiphong.gov.vn `
      + '(or -c dryRun=true to synthesize a stack that mails nobody, for trying it out only).');
  }
  for (const address of [senderEmail, ...reportRecipients, ...adminEmails, ...(alarmEmail ? [alarmEmail] : [])]) {
    if (!/^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/.test(address)) throw new ConfigError(`not an email address: "${address}"`);
  }
  // Days 1–28 exist in every month, so each schedule fires every month.
  const day = (key: string, fallback: number, min = 1, max = 28) => {
    const value = Number(get(key) ?? fallback);
    if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${key} must be a day from ${min} to ${max}, not "${get(key)}"`);
    return value;
  };
  const positive = (key: string, fallback: number) => {
    const value = Number(get(key) ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`${key} must be a whole number of at least 1, not "${get(key)}"`);
    return value;
  };
  const periodStartDay = day('periodStartDay', 16);
  // The period closes the day before periodStartDay; the report cannot be due before that.
  const periodDueDay = day('periodDueDay', 20, Math.min(28, periodStartDay + 1));
  const reminderStartDay = day('reminderStartDay', Math.max(periodStartDay, Math.min(17, periodDueDay - 1)), periodStartDay, periodDueDay - 1);
  return {
    senderEmail,
    sesIdentity: get('sesIdentity') ?? senderEmail.split('@')[1],
    reportRecipients,
    adminEmails,
    alarmEmail,
    dryRun,
    periodStartDay,
    periodDueDay,
    reminderStartDay,
    rejectedUploadsPerHour: positive('rejectedUploadsPerHour', 20),
    ingestConcurrency: positive('ingestConcurrency', 10),
    bucketName: get('bucketName'),
    tableName: get('tableName'),
  };
}

/**
 * Account and region to deploy to. The region comes from context (`region`, ap-southeast-1 in
 * cdk.json; `-c region=…` to change it), not from the CLI's CDK_DEFAULT_REGION: the CLI always
 * sets that one, to us-east-1 when the profile names no region, so a fallback after it never
 * applies and a deploy would land silently in the wrong region (and the wrong SES identity).
 */
export function deploymentEnv(node: Node, env: NodeJS.ProcessEnv = process.env): { account: string | undefined; region: string } {
  const region = node.tryGetContext('region') || env.CDK_DEFAULT_REGION;
  if (!region) throw new ConfigError('region must be set: -c region=ap-southeast-1 (cdk.json sets it)');
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(String(region))) throw new ConfigError(`not an AWS region: "${region}"`);
  return { account: env.CDK_DEFAULT_ACCOUNT, region: String(region) };
}

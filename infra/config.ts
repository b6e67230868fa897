// Deployment configuration, from CDK context (cdk.json, or `-c key=value` on the command line).
import type { Node } from 'constructs';

export interface TthcConfig {
  /** SES identity (verified email address or domain) the mail is sent from. */
  senderEmail: string;
  /** Verified SES identity that sender belongs to: the address itself or its domain. */
  sesIdentity: string;
  /** Leadership recipients of the monthly report. */
  reportRecipients: string[];
  /** Where alarms go (email subscription to the ops SNS topic); required unless dryRun. */
  alarmEmail: string | null;
  /** `-c dryRun=true`: synthesize without recipients or alarm address (trying the stack out, never a real deployment). */
  dryRun: boolean;
  periodStartDay: number;
  periodDueDay: number;
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
  const reportRecipients = (get('reportRecipients') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const alarmEmail = get('alarmEmail') ?? null;
  const dryRun = get('dryRun') === 'true';
  // An empty list would build the workbook and fail every month, and an empty alarm address
  // would leave every alarm silent: a real deployment must name both.
  const missing = [!reportRecipients.length && 'reportRecipients', !alarmEmail && 'alarmEmail'].filter(Boolean);
  if (missing.length && !dryRun) {
    throw new ConfigError(`${missing.join(' and ')} must be set: -c reportRecipients=a@haiphong.gov.vn,b@haiphong.gov.vn -c alarmEmail=ops@haiphong.gov.vn `
      + '(or -c dryRun=true to synthesize a stack that mails nobody, for trying it out only).');
  }
  for (const address of [senderEmail, ...reportRecipients, ...(alarmEmail ? [alarmEmail] : [])]) {
    if (!/^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/.test(address)) throw new ConfigError(`not an email address: "${address}"`);
  }
  return {
    senderEmail,
    sesIdentity: get('sesIdentity') ?? senderEmail.split('@')[1],
    reportRecipients,
    alarmEmail,
    dryRun,
    periodStartDay: Number(get('periodStartDay') ?? 16),
    periodDueDay: Number(get('periodDueDay') ?? 20),
    ingestConcurrency: Number(get('ingestConcurrency') ?? 10),
    bucketName: get('bucketName'),
    tableName: get('tableName'),
  };
}

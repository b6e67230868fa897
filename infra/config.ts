// Deployment configuration, from CDK context (cdk.json, or `-c key=value` on the command line).
import type { Node } from 'constructs';

export interface TthcConfig {
  /** SES identity (verified email address or domain) the mail is sent from. */
  senderEmail: string;
  /** Verified SES identity that sender belongs to: the address itself or its domain. */
  sesIdentity: string;
  /** Leadership recipients of the monthly report. */
  reportRecipients: string[];
  /** Where alarms go (email subscription to the ops SNS topic); optional. */
  alarmEmail: string | null;
  periodStartDay: number;
  periodDueDay: number;
  /** Concurrent ingests at most: the whole city uploads over a few days; 10 is plenty. */
  ingestConcurrency: number;
  bucketName: string | undefined;
  tableName: string | undefined;
}

export function readConfig(node: Node): TthcConfig {
  const get = (key: string): string | undefined => {
    const v = node.tryGetContext(key);
    return v === undefined || v === null || v === '' ? undefined : String(v);
  };
  const senderEmail = get('senderEmail') ?? 'bao-cao-dvc@haiphong.gov.vn';
  return {
    senderEmail,
    sesIdentity: get('sesIdentity') ?? senderEmail.split('@')[1],
    reportRecipients: (get('reportRecipients') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    alarmEmail: get('alarmEmail') ?? null,
    periodStartDay: Number(get('periodStartDay') ?? 16),
    periodDueDay: Number(get('periodDueDay') ?? 20),
    ingestConcurrency: Number(get('ingestConcurrency') ?? 10),
    bucketName: get('bucketName'),
    tableName: get('tableName'),
  };
}

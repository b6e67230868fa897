// The Mailer port on SES v2: the MIME message is built here (nodemailer's composer) and
// sent raw, so the bytes SES gets are the bytes tests parse and the outbox keeps.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Mailer, MailMessage, SentMail } from '../../shared/ports.ts';
import { configFor } from './clients.ts';

/** The SES v2 client (clients.ts's other factories explain the endpoint). */
export const sesClient = (endpoint = process.env.TTHC_SES_ENDPOINT): SESv2Client =>
  new SESv2Client(configFor('ses', endpoint));

export function buildMime(from: string, m: MailMessage): Promise<Buffer> {
  return new MailComposer({
    from, to: m.to, subject: m.subject, html: m.html, text: m.text,
    attachments: m.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType, cid: a.cid })),
  }).compile().build();
}

export class SesMailer implements Mailer {
  /** outboxDir (local mode): also keep every message as an .eml a person can open. */
  constructor(private readonly client: SESv2Client, private readonly from: string, private readonly outboxDir?: string) {}

  async send(m: MailMessage): Promise<SentMail> {
    const raw = await buildMime(this.from, m);
    const out = await this.client.send(new SendEmailCommand({
      FromEmailAddress: this.from,
      Destination: { ToAddresses: m.to },
      Content: { Raw: { Data: raw } },
    }));
    const messageId = out.MessageId ?? '';
    if (!this.outboxDir) return { messageId };
    await mkdir(this.outboxDir, { recursive: true });
    const file = join(this.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${messageId.replace(/[^\w.-]/g, '_')}.eml`);
    await writeFile(file, raw);
    return { messageId, file };
  }
}

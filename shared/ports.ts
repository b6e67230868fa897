// What the use cases need from the outside world, as small interfaces. Adapters: S3,
// SES (functions/commons/), and local stand-ins (infra/local/).

export interface StoredObject {
  bytes: Buffer;
  contentType?: string;
  /** The version read, where the bucket keeps versions ("null" or absent where it does not). */
  versionId?: string | null;
}

/**
 * What get() rejects with when the key, or the version asked for, is not in the store: deleted
 * since its event was sent. Nothing is left to read; retrying cannot bring it back.
 */
export class ObjectNotFound extends Error {
  override readonly name = 'ObjectNotFound';
  constructor(readonly key: string, readonly versionId?: string | null, options?: ErrorOptions) {
    super(`No object ${key}${versionId ? ` (version ${versionId})` : ''} in the store`, options);
  }
}

export interface ObjectStore {
  /** versionId: the exact upload, where the bucket keeps versions. Rejects with ObjectNotFound when it is not there. */
  get(key: string, versionId?: string | null): Promise<StoredObject>;
  put(key: string, body: Buffer | string, contentType: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
  /** Content-ID of an inline part (an image the HTML shows as cid:…). */
  cid?: string;
}

export interface MailMessage {
  to: string[];
  subject: string;
  html: string;
  text: string;
  attachments?: MailAttachment[];
}

export interface SentMail {
  messageId: string;
  /** Local mode: where the .eml copy was written. */
  file?: string;
}

export interface Mailer {
  /** Rejects with the transport's error, named as SES v2 names it (functions/commons/mailer.ts passes the SDK's errors on). */
  send(message: MailMessage): Promise<SentMail>;
}

/**
 * SES v2's refusals that another try of the same message cannot mend: MessageRejected (an
 * address on the suppression list; in the sandbox an unverified recipient; an unverified
 * sender identity) and BadRequestException (an address SES cannot parse). Only a change of
 * the address (the registry's contact_email) or of the account (out of the sandbox, the
 * identity verified) can. Everything else is worth retrying: throttling and timeouts pass,
 * and an account paused or suspended, or a MAIL FROM domain not verified, is mended by ops,
 * after which a retry or a replay mails. By the error's name, so the use cases need no SDK.
 */
const PERMANENT_MAIL_ERRORS: ReadonlySet<string> = new Set(['MessageRejected', 'BadRequestException']);

export function isPermanentMailError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && PERMANENT_MAIL_ERRORS.has(name);
}

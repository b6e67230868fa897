// Which SES refusals are for good, by the names the mail adapter really surfaces: SesMailer
// against an HTTP endpoint that answers as SES v2 does (the only stand-in here is SES, which
// no local emulator makes refuse). The reminders and the ingest feedback mail share the rule.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../functions/commons/clients.ts';
import { SesMailer } from '../../functions/commons/mailer.ts';
import { isPermanentMailError } from '../../shared/ports.ts';

/** What SES v2 answers to SendEmail, per recipient: its error type, status and message (restJson1). */
const ANSWERS: Record<string, { status: number; type: string; message: string }> = {
  'chua-xac-minh@hp.gov.vn': { status: 400, type: 'MessageRejected', message: 'Email address is not verified. The following identities failed the check in region AP-SOUTHEAST-1: chua-xac-minh@hp.gov.vn' },
  'khong-hop-le': { status: 400, type: 'BadRequestException', message: 'Missing final \'@domain\'' },
  'ban@hp.gov.vn': { status: 429, type: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' },
  'tam-dung@hp.gov.vn': { status: 400, type: 'SendingPausedException', message: 'Sending is paused for this account.' },
};

let server: Server;
let client: SESv2Client;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const to = (JSON.parse(body) as { Destination: { ToAddresses: string[] } }).Destination.ToAddresses[0];
      const answer = ANSWERS[to];
      if (!answer) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ MessageId: 'm-1' }));
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json', 'x-amzn-errortype': `${answer.type}:http://internal.amazon.com/coral/com.amazonaws.sesv2/` })
        .end(JSON.stringify({ message: answer.message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // One attempt: the SDK would otherwise retry the throttled send before the test hears of it.
  client = new SESv2Client({ ...localClientConfig('ses', `http://127.0.0.1:${(server.address() as AddressInfo).port}`), maxAttempts: 1 });
});
afterAll(async () => {
  client?.destroy();
  await new Promise((resolve) => server?.close(resolve));
});

const refusalOf = (to: string) => new SesMailer(client, 'bao-cao-dvc@haiphong.gov.vn')
  .send({ to: [to], subject: 'Thử', text: 'Thử', html: '<p>Thử</p>' }).then(() => null, (e: unknown) => e as Error);

describe('SES refusals through the mail adapter', () => {
  it('an unverified address (sandbox) and an address SES cannot parse are refused for good, by their SES v2 names', async () => {
    const unverified = await refusalOf('chua-xac-minh@hp.gov.vn');
    expect(unverified?.name).toBe('MessageRejected');
    expect(unverified?.message).toContain('not verified');
    expect(isPermanentMailError(unverified)).toBe(true);
    const malformed = await refusalOf('khong-hop-le');
    expect(malformed?.name).toBe('BadRequestException');
    expect(isPermanentMailError(malformed)).toBe(true);
  });

  it('throttling and an account paused are worth another try (a retry, a replay once ops mend it)', async () => {
    const throttled = await refusalOf('ban@hp.gov.vn');
    expect(throttled?.name).toBe('TooManyRequestsException');
    expect(isPermanentMailError(throttled)).toBe(false);
    expect(isPermanentMailError(await refusalOf('tam-dung@hp.gov.vn'))).toBe(false);
    expect(await refusalOf('s01@hp.gov.vn')).toBeNull();
    for (const odd of [null, undefined, 'MessageRejected', { name: 42 }]) expect(isPermanentMailError(odd)).toBe(false);
  });
});

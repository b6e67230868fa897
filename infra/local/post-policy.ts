// S3's POST-policy checks in front of s3rver, which accepts any browser-form upload without
// reading its policy. The clerks' portal relies on them: the policy pins the key to the
// unit's folder and the body to the size limit, and S3 refuses a form that breaks either.
// Everything else is passed through unchanged; CORS is answered as the bucket's CORS rule
// for the portal's origin does in AWS.
import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const HOST = '127.0.0.1';
/** A form is buffered before it is checked; S3's own limit is far above a report's 5 MB. */
const MAX_FORM_BYTES = 32 * 1024 * 1024;

export interface PostPolicyFront {
  /** Use this as the S3 endpoint for presigned POSTs (and anything else: it passes through). */
  endpoint: string;
  stop(): Promise<void>;
}

interface Part {
  name: string;
  filename: string | null;
  body: Buffer;
}

export class PolicyRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Parses multipart/form-data (RFC 7578) held in memory. */
export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw new PolicyRefusal(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break; // closing delimiter
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const chunk = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next
    const split = chunk.indexOf('\r\n\r\n');
    if (split < 0) throw new PolicyRefusal(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
    const head = chunk.subarray(0, split).toString('utf8');
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    const filename = /filename="([^"]*)"/i.exec(head)?.[1] ?? null;
    if (name !== undefined) parts.push({ name, filename, body: chunk.subarray(split + 4) });
    at = next;
  }
  return parts;
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** Checks a POST form as S3 does (SigV4 policy); returns the file's size when it passes. */
export function checkPostPolicy(bucket: string, parts: Part[], secretFor: (accessKeyId: string) => string | undefined, now = new Date()): void {
  const fileIndex = parts.findIndex((p) => p.name === 'file');
  if (fileIndex < 0) throw new PolicyRefusal(400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
  // S3 ignores fields after the file; names are case-insensitive.
  const fields = new Map(parts.slice(0, fileIndex).map((p) => [p.name.toLowerCase(), p.body.toString('utf8')]));
  const file = parts[fileIndex];
  const policyB64 = fields.get('policy');
  const signature = fields.get('x-amz-signature');
  const credential = fields.get('x-amz-credential');
  if (!policyB64 || !signature || !credential || fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') {
    throw new PolicyRefusal(403, 'AccessDenied', 'Bucket POST must contain a policy, a signature, a credential and x-amz-algorithm AWS4-HMAC-SHA256.');
  }
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  const secret = secretFor(accessKeyId);
  if (!secret || !date || !region || service !== 's3' || terminator !== 'aws4_request') {
    throw new PolicyRefusal(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  }
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), 's3'), 'aws4_request');
  const expected = hmac(signingKey, policyB64);
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new PolicyRefusal(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  let policy: { expiration?: string; conditions?: unknown[] };
  try {
    policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8'));
  } catch {
    throw new PolicyRefusal(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  if (!policy.expiration || !(Date.parse(policy.expiration) > now.getTime())) {
    throw new PolicyRefusal(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
  }
  const values = new Map(fields);
  values.set('bucket', bucket);
  const covered = new Set<string>();
  const failed = (condition: unknown) =>
    new PolicyRefusal(403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);
  for (const condition of policy.conditions ?? []) {
    if (Array.isArray(condition)) {
      const [op, a, b] = condition as [string, unknown, unknown];
      if (String(op).toLowerCase() === 'content-length-range') {
        const size = file.body.length;
        if (size > Number(b)) throw new PolicyRefusal(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
        if (size < Number(a)) throw new PolicyRefusal(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
        continue;
      }
      const name = String(a).replace(/^\$/, '').toLowerCase();
      covered.add(name);
      const value = values.get(name) ?? '';
      const ok = String(op).toLowerCase() === 'eq' ? value === String(b)
        : String(op).toLowerCase() === 'starts-with' ? value.startsWith(String(b))
          : false;
      if (!ok) throw failed(condition);
    } else if (condition && typeof condition === 'object') {
      for (const [k, v] of Object.entries(condition)) {
        const name = k.toLowerCase();
        covered.add(name);
        if ((values.get(name) ?? '') !== String(v)) throw failed(condition);
      }
    }
  }
  const extra = [...fields.keys()].filter((n) => !['policy', 'x-amz-signature'].includes(n) && !n.startsWith('x-ignore-') && !covered.has(n));
  if (extra.length) throw new PolicyRefusal(403, 'AccessDenied', `Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
}

function xmlError(res: ServerResponse, e: PolicyRefusal): void {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  res.writeHead(e.status, { 'content-type': 'application/xml', 'access-control-allow-origin': '*' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${esc(e.message)}</Message></Error>`);
}

/** Starts the checking front for the s3rver at `target`. */
export async function startPostPolicyFront(target: string, secretFor: (accessKeyId: string) => string | undefined): Promise<PostPolicyFront> {
  const upstream = new URL(target);
  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer) => {
    const headers = { ...req.headers, host: upstream.host };
    if (body) headers['content-length'] = String(body.length);
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'access-control-allow-origin': '*', 'access-control-expose-headers': 'ETag' });
      answer.pipe(res);
    });
    out.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
    if (body) out.end(body);
    else req.pipe(out);
  };

  const server = http.createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(200, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, PUT, POST, HEAD',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const bucket = /^\/([^/]+)\/?$/.exec(path)?.[1];
    const isForm = req.method === 'POST' && bucket && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
    if (!isForm) {
      forward(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_FORM_BYTES) {
        xmlError(res, new PolicyRefusal(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const body = Buffer.concat(chunks);
      try {
        checkPostPolicy(decodeURIComponent(bucket), parseMultipart(body, req.headers['content-type']!), secretFor);
      } catch (e) {
        if (e instanceof PolicyRefusal) return xmlError(res, e);
        throw e;
      }
      forward(req, res, body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  return {
    endpoint: `http://${HOST}:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}

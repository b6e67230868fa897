// The portal on this machine: one node:http server on 127.0.0.1 serving the static page, its
// /config.json, and /api/* through the very Lambda handler AWS runs. Each API request becomes
// the HTTP API's payload 2.0 event, with the ID token checked as the JWT authorizer does
// (signature, issuer, audience, expiry) and its claims passed the way API Gateway passes them.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { PortalEvent } from './handler.ts';

export const WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url));

export interface PortalServerOptions {
  handler: (event: PortalEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
  /** Resolves the claims of a token the pool issued for the app client; rejects otherwise. */
  verify(token: string): Promise<Record<string, unknown>>;
  context: () => Context;
  /** Served as /config.json: what the page needs to sign in (Cognito endpoint, client id). */
  config: Record<string, unknown>;
  /** Called with the key of every presigned POST handed out (the CLI stamps `--at` on it). */
  onUploadKey?(key: string): void;
  port?: number;
  webDir?: string;
}

export interface PortalServer {
  url: string;
  stop(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
};

/** API Gateway passes JWT claims as strings, arrays as "[a b]". */
function gatewayClaims(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]));
}

/** A request body past the local server's limit: 413, as API Gateway answers past its own. */
class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage, max = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) throw new BodyTooLarge(`request body over ${max} bytes`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  const webDir = options.webDir ?? WEB_DIR;

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    let claims: Record<string, unknown> | null = null;
    if (token) claims = await options.verify(token).catch(() => null);
    if (!claims) {
      // What API Gateway answers itself when its JWT authorizer refuses: the Lambda never runs.
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(JSON.stringify({ message: 'Unauthorized' }));
      return;
    }
    const body = await readBody(req);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v ?? '']));
    const now = new Date();
    const event = {
      version: '2.0', routeKey: '$default', rawPath: url.pathname, rawQueryString: url.search.slice(1), headers,
      queryStringParameters: url.searchParams.size ? Object.fromEntries(url.searchParams) : undefined,
      requestContext: {
        accountId: '000000000000', apiId: 'local', domainName: url.host, domainPrefix: 'local', requestId: randomUUID(),
        routeKey: '$default', stage: '$default', time: now.toISOString(), timeEpoch: now.getTime(),
        http: { method: req.method ?? 'GET', path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: gatewayClaims(claims), scopes: null } },
      },
      body: body.length ? body.toString('base64') : undefined,
      isBase64Encoded: body.length > 0,
    } as unknown as PortalEvent;
    const result = await options.handler(event, options.context());
    const status = result.statusCode ?? 200;
    if (options.onUploadKey && req.method === 'POST' && url.pathname === '/api/uploads' && status === 200) {
      const key = (JSON.parse(result.body ?? '{}') as { fields?: { key?: string } }).fields?.key;
      if (key) options.onUploadKey(key);
    }
    res.writeHead(status, result.headers as Record<string, string>);
    res.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined);
  }

  async function file(res: ServerResponse, path: string): Promise<void> {
    const relative = normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, '');
    try {
      const bytes = await readFile(join(webDir, relative));
      res.writeHead(200, { 'content-type': TYPES[extname(relative)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      res.end(bytes);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Không tìm thấy.');
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const done = url.pathname.startsWith('/api/') ? api(req, res, url)
      : url.pathname === '/config.json' ? Promise.resolve(void res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })).then(() => res.end(JSON.stringify(options.config)))
        : req.method === 'GET' || req.method === 'HEAD' ? file(res, url.pathname)
          : Promise.resolve(void res.writeHead(405)).then(() => res.end());
    done.catch((e: Error) => {
      if (e instanceof BodyTooLarge) {
        // The rest of the body is not read: close the connection rather than parse it as the next request.
        if (!res.headersSent) res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
        res.end(JSON.stringify({ error: { code: 'payload_too_large', message: 'Nội dung yêu cầu quá lớn (tối đa 1 MB).' } }));
        return;
      }
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: 'internal_error', message: `Lỗi máy chủ cục bộ: ${e.message}` } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}

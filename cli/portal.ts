// tthc portal [--port N] [--at ISO-8601] [--json]: the clerks' portal on this machine: the local
// stack, a local Cognito pool with one account per unit in force plus an administrator, and
// the page and API on 127.0.0.1, until SIGINT/SIGTERM. The API is the Lambda handler AWS runs.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { s3Client } from '../functions/commons/clients.ts';
import { mailerFromEnv, periodsFromEnv, planFromEnv } from '../functions/commons/deps.ts';
import { makePortalHandler } from '../functions/portal/handler.ts';
import { startPortalServer } from '../functions/portal/local-server.ts';
import { S3UploadSigner } from '../functions/portal/upload-signer.ts';
import { cognitoClient, ensurePortalPool, poolTokenVerifier, startLocalCognito, type CognitoPool } from '../infra/local/cognito.ts';
import { startPostPolicyFront } from '../infra/local/post-policy.ts';
import { lambdaContext, startLocalPipeline, type LocalPipeline } from '../infra/local/runner.ts';
import { lastClosedPeriod } from '../shared/period.ts';
import { ensureAccount, poolUsernames, type AccountSpec } from './accounts.ts';
import { ArgError, instantArg, parseCommand } from './args.ts';

export const ADMIN_USERNAME = 'quan-tri';

export interface PortalAccount {
  unit: string | null;
  role: 'unit' | 'admin';
  username: string;
  password: string;
}

export interface RunningPortal {
  url: string;
  cognito: CognitoPool;
  accounts: PortalAccount[];
  pipeline: LocalPipeline;
  stop(): Promise<void>;
}

/** Passwords derived from a secret kept in the home: the same on every start, never printed twice differently. */
async function passwordMaker(dir: string): Promise<(username: string) => string> {
  const file = join(dir, 'portal-secret');
  let secret: string;
  try {
    secret = (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dir, { recursive: true });
    secret = randomBytes(24).toString('hex');
    await writeFile(file, secret, { mode: 0o600 });
  }
  return (username) => `Tthc-${createHmac('sha256', secret).update(username).digest('base64url').slice(0, 12)}`;
}

/** The password `tthc portal` gives an account on this home (the demo prints one). */
export async function portalPassword(home: string, username: string): Promise<string> {
  return (await passwordMaker(join(home, 'cognito')))(username);
}

export async function startPortal(options: { home?: string; port?: number; at?: string } = {}): Promise<RunningPortal> {
  const at = options.at ? new Date(options.at) : null;
  if (at && Number.isNaN(at.getTime())) throw new Error(`--at không phải thời điểm ISO-8601: ${options.at}`);
  const pipeline = await startLocalPipeline({ home: options.home });
  const stops: Array<() => Promise<void>> = [() => pipeline.stack.stop()];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
  };
  try {
    // s3rver takes only its fixed key pair; the front checks POST policies signed with it.
    const front = await startPostPolicyFront(pipeline.stack.endpoints.s3, (id) => (id === 'S3RVER' ? 'S3RVER' : undefined));
    stops.push(front.stop);
    // A forgotten password's code goes where the local SES puts every mail: the outbox.
    const cognito = await startLocalCognito(pipeline.home, { mailer: mailerFromEnv() });
    stops.push(cognito.stop);
    const pool = await ensurePortalPool(cognito.endpoint);

    const now = () => (at ? new Date(at) : new Date());
    const periods = periodsFromEnv();
    const plan = await planFromEnv();
    const units = plan.registryFor(lastClosedPeriod(now(), periods)).units;
    const password = await passwordMaker(join(pipeline.home, 'cognito'));
    const specs: AccountSpec[] = [
      ...units.map((u) => ({ username: u.code, unit: u.code, email: u.contactEmail, password: password(u.code) })),
      { username: ADMIN_USERNAME, unit: null, admin: true, password: password(ADMIN_USERNAME) },
    ];
    const client = cognitoClient(pool.endpoint);
    const existing = await poolUsernames(client, pool.userPoolId);
    for (const spec of specs) await ensureAccount(client, pool.userPoolId, spec, existing);
    client.destroy();

    const signer = new S3UploadSigner(s3Client(front.endpoint), pipeline.stack.bucket);
    const handler = makePortalHandler(async () => ({ store: pipeline.store, units: await planFromEnv(), periods, signer, now }));
    const verifier = poolTokenVerifier(pool);
    const server = await startPortalServer({
      handler,
      verify: (token) => verifier.verify(token),
      context: () => lambdaContext('tthc-portal'),
      config: { cognito: { endpoint: pool.endpoint, region: pool.region, userPoolId: pool.userPoolId, clientId: pool.clientId } },
      // As `tthc ingest --at`: the upload's S3 event carries the given time.
      onUploadKey: at ? (key) => pipeline.eventTimes.set(key, at.toISOString()) : undefined,
      port: options.port,
    });
    stops.push(server.stop);
    return {
      url: server.url,
      cognito: pool,
      accounts: specs.map((s) => ({ unit: s.unit, role: s.admin ? 'admin' : 'unit', username: s.username, password: s.password! })),
      pipeline,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

export const PORTAL_HELP = `tthc portal [--port N] [--at ISO-8601] [--json]

Chạy cổng gửi báo cáo của đơn vị trên máy này: hệ thống cục bộ, một user pool Cognito cục bộ
(cognito-local) với một tài khoản cho mỗi đơn vị đang áp dụng và một tài khoản quản trị, trang
và API trên 127.0.0.1. Chạy đến khi bấm Ctrl+C (SIGINT) hoặc nhận SIGTERM.

  --port N       Cổng của trang (mặc định: một cổng trống)
  --at ISO-8601  Đồng hồ của cổng: kỳ đang nhận, thời gian còn lại, và thời điểm nhận tệp (như tthc ingest --at)
  --json         Một dòng JSON: {"url","cognito":{...},"accounts":[{"unit","role","username","password"}]}
  -h, --help     Hướng dẫn này
`;

export async function portalCommand(args: string[]): Promise<number> {
  const parsed = parseCommand({ name: 'tthc portal', help: PORTAL_HELP, options: { port: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean', default: false } } }, args);
  if (!parsed) return 0;
  const { values } = parsed;
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) throw new ArgError(`--port: "${values.port}" không phải số cổng (0–65535)`);
  instantArg(values.at);
  const portal = await startPortal({ port, at: values.at });
  const { endpoint, region, userPoolId, clientId } = portal.cognito;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ url: portal.url, cognito: { endpoint, region, userPoolId, clientId }, accounts: portal.accounts })}\n`);
  } else {
    const clerk = portal.accounts.find((a) => a.role === 'unit');
    const admin = portal.accounts.find((a) => a.role === 'admin');
    process.stdout.write(`Cổng báo cáo của đơn vị: ${portal.url}\n`);
    process.stdout.write(`${portal.accounts.length} tài khoản (mỗi đơn vị một tài khoản, tên đăng nhập là mã đơn vị), ví dụ:\n`);
    if (clerk) process.stdout.write(`  đơn vị ${clerk.unit}: ${clerk.username} / ${clerk.password}\n`);
    if (admin) process.stdout.write(`  quản trị: ${admin.username} / ${admin.password}\n`);
    process.stdout.write('Dùng --json để có danh sách đầy đủ. Ctrl+C để dừng.\n');
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await portal.stop();
  return 0;
}

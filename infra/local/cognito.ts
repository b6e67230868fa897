// The local Cognito user pool: cognito-local (npm) in-process on a free loopback port, its
// data under the stack's home, and token verification as API Gateway's JWT authorizer does
// it in AWS (signature against the pool's JWKS, issuer, audience, expiry).
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  CognitoIdentityProviderClient, CreateGroupCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  ListUserPoolClientsCommand, ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtRsaVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { ADMIN_GROUP, PASSWORD_RESET_MAIL } from '../../shared/portal/portal.ts';
import type { Mailer } from '../../shared/ports.ts';
import { escapeHtml } from '../../shared/text.ts';

const HOST = '127.0.0.1';
export const POOL_NAME = 'tthc-portal';
export const CLIENT_NAME = 'tthc-portal-web';
export { ADMIN_GROUP, UNIT_ATTRIBUTE } from '../../shared/portal/portal.ts';

export interface CognitoPool {
  endpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
}

export interface LocalCognito {
  endpoint: string;
  stop(): Promise<void>;
}

// cognito-local ships CommonJS whose services we compose ourselves (its createDefaultServer
// reads ./.cognito and a fixed port): describe only what we use.
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const require = createRequire(import.meta.url);

/**
 * Starts cognito-local on a free loopback port, keeping its pools under `${home}/cognito`.
 * mailer: where the mails Cognito sends go (a password-reset code), as the deployed pool
 * sends them through SES; without one they are dropped (cognito-local's console, silenced).
 */
export async function startLocalCognito(home: string, options: { mailer?: Mailer | null } = {}): Promise<LocalCognito> {
  // cognito-local loads aws-sdk v2 (for triggers we do not use), which prints a notice on load.
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= '1';
  const lib = (path: string): Any => require(`cognito-local/lib/${path}`);
  const pino = createRequire(require.resolve('cognito-local'))('pino') as (o: object) => Any;
  const { StormDBDataStoreFactory } = lib('services/dataStore/stormDb.js');
  const { CognitoServiceFactoryImpl } = lib('services/cognitoService.js');
  const { UserPoolServiceFactoryImpl } = lib('services/userPoolService.js');
  const services = lib('services/index.js');
  const { CryptoService } = lib('services/crypto.js');
  const { MessageDeliveryService } = lib('services/messageDelivery/messageDelivery.js');
  const { ConsoleMessageSender } = lib('services/messageDelivery/consoleMessageSender.js');
  const { otp } = lib('services/otp.js');
  const { JwtTokenGenerator } = lib('services/tokenGenerator.js');
  const { Router } = lib('server/Router.js');
  const { createServer } = lib('server/server.js');
  const { DefaultConfig } = lib('server/config.js');

  const directory = join(home, 'cognito');
  await mkdir(directory, { recursive: true });
  const logger = pino({ level: 'silent' });
  const ctx = { logger };
  // The issuer must name the port, known only once listening: the generator reads this object per token.
  const tokenConfig = { IssuerDomain: '' };
  const clock = new services.DateClock();
  const stores = new StormDBDataStoreFactory(directory);
  const cognito = await new CognitoServiceFactoryImpl(directory, stores, new UserPoolServiceFactoryImpl(clock, stores)).create(ctx, {});
  const noLambda = { enabled: () => false, invoke: () => Promise.reject(new Error('no Lambda triggers locally')) };
  const triggers = new services.TriggersService(clock, cognito, noLambda, new CryptoService(DefaultConfig.KMSConfig));
  const app = createServer(Router({
    clock, cognito, config: { ...DefaultConfig, TokenConfig: tokenConfig }, triggers, otp,
    messages: new services.MessagesService(triggers, new MessageDeliveryService(options.mailer ? mailSender(options.mailer) : new ConsoleMessageSender())),
    tokenGenerator: new JwtTokenGenerator(clock, triggers, tokenConfig),
  }), logger, { port: 0, hostname: HOST, https: false });
  const server = (await app.start()) as Server;
  const endpoint = `http://${HOST}:${(server.address() as AddressInfo).port}`;
  tokenConfig.IssuerDomain = endpoint;
  return {
    endpoint,
    stop: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    }),
  };
}

/** cognito-local's message sender, mailing the code in the deployed pool's words (the only mail the portal's pool sends: password resets). */
function mailSender(mailer: Mailer) {
  const send = async (_ctx: unknown, _user: unknown, destination: string, message: { __code?: string }) => {
    const text = PASSWORD_RESET_MAIL.body(message.__code ?? '');
    await mailer.send({ to: [destination], subject: PASSWORD_RESET_MAIL.subject, text, html: `<p>${escapeHtml(text)}</p>` });
  };
  return { sendEmail: send, sendSms: async () => undefined };
}

export function cognitoClient(endpoint: string, region = process.env.AWS_REGION ?? 'ap-southeast-1'): CognitoIdentityProviderClient {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new CognitoIdentityProviderClient({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/**
 * The portal's pool as the CDK stack defines it: usernames are unit codes (not emails),
 * a `custom:unit_code` attribute, an `admin` group, and a public app client allowing
 * USER_PASSWORD_AUTH. Found by name when the home already has it.
 */
export async function ensurePortalPool(endpoint: string): Promise<CognitoPool> {
  const client = cognitoClient(endpoint);
  const region = await client.config.region();
  try {
    const pools = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    let userPoolId = pools.UserPools?.find((p) => p.Name === POOL_NAME)?.Id;
    if (!userPoolId) {
      const created = await client.send(new CreateUserPoolCommand({
        PoolName: POOL_NAME,
        Schema: [{ Name: 'unit_code', AttributeDataType: 'String', Mutable: false }],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      }));
      userPoolId = created.UserPool!.Id!;
      await client.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: ADMIN_GROUP, Description: 'Quản trị: xem tình hình của mọi đơn vị' }));
    }
    const clients = await client.send(new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }));
    let clientId = clients.UserPoolClients?.find((c) => c.ClientName === CLIENT_NAME)?.ClientId;
    if (!clientId) {
      const created = await client.send(new CreateUserPoolClientCommand({
        UserPoolId: userPoolId, ClientName: CLIENT_NAME, GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        WriteAttributes: ['locale'], // as the deployed client: a clerk cannot move the account's email
      }));
      clientId = created.UserPoolClient!.ClientId!;
    }
    return { endpoint, region, userPoolId, clientId };
  } finally {
    client.destroy();
  }
}

/** The claims the portal's handler reads from a verified ID token. */
export type TokenClaims = Record<string, unknown>;

export interface TokenVerifier {
  /** Resolves the token's claims, or rejects when the token is not one this pool issued for this client. */
  verify(token: string): Promise<TokenClaims>;
}

/**
 * Checks a token as the HTTP API's JWT authorizer does: RS256 signature against the pool's
 * JWKS, `iss` = the pool's issuer, `aud` = the app client, not expired. (CognitoJwtVerifier
 * derives the issuer from AWS's cognito-idp host; cognito-local issues under its own
 * endpoint, so the generic verifier is given that issuer and JWKS. Its fetcher insists on
 * https; the emulator is plain http on loopback, so the JWKS is fetched with fetch().)
 */
export function poolTokenVerifier(pool: CognitoPool): TokenVerifier {
  const issuer = `${pool.endpoint}/${pool.userPoolId}`;
  const verifier = JwtRsaVerifier.create({
    issuer,
    audience: pool.clientId,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== 'id') throw new Error('not an ID token');
    },
  }, { jwksCache: new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } }) });
  return { verify: (token) => verifier.verify(token) as Promise<TokenClaims> };
}

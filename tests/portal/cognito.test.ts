// The local user pool (cognito-local) and the token check the JWT authorizer makes in AWS:
// a clerk signs in with USER_PASSWORD_AUTH over HTTP, its ID token verifies and carries the
// unit; a token signed with another key, for another client or altered, does not.
import { generateKeyPairSync, createSign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient, ensurePortalPool, poolTokenVerifier, startLocalCognito, type CognitoPool, type LocalCognito } from '../../infra/local/cognito.ts';
import { ensureAccount, poolUsernames } from '../../cli/accounts.ts';
import { removeTempHomes, tempHome } from '../ingest/helpers.ts';

let cognito: LocalCognito;
let pool: CognitoPool;
let home: string;

beforeAll(async () => {
  home = await tempHome('tthc-cognito-');
  cognito = await startLocalCognito(home);
  pool = await ensurePortalPool(cognito.endpoint);
  const client = cognitoClient(pool.endpoint);
  const existing = await poolUsernames(client, pool.userPoolId);
  await ensureAccount(client, pool.userPoolId, { username: 'S01', unit: 'S01', password: 'Mat-khau-S01-1' }, existing);
  await ensureAccount(client, pool.userPoolId, { username: 'quan-tri', unit: null, admin: true, password: 'Mat-khau-QT-1' }, existing);
  client.destroy();
});
afterAll(async () => {
  await cognito?.stop();
  await removeTempHomes();
});

async function signIn(username: string, password: string, clientId = pool.clientId): Promise<string> {
  const client = cognitoClient(pool.endpoint);
  try {
    const out = await client.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD: password },
    }));
    return out.AuthenticationResult!.IdToken!;
  } finally {
    client.destroy();
  }
}

function forge(payload: object): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'CognitoLocal' })}.${b64(payload)}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url')}`;
}

describe('local Cognito', () => {
  it('a clerk signs in and the ID token verifies with the unit and no admin group', async () => {
    const claims = await poolTokenVerifier(pool).verify(await signIn('S01', 'Mat-khau-S01-1'));
    expect(claims['custom:unit_code']).toBe('S01');
    expect(claims['cognito:groups']).toBeUndefined();
    expect(claims.iss).toBe(`${pool.endpoint}/${pool.userPoolId}`);
  });

  it('the admin token carries the admin group', async () => {
    const claims = await poolTokenVerifier(pool).verify(await signIn('quan-tri', 'Mat-khau-QT-1'));
    expect(claims['cognito:groups']).toEqual(['admin']);
  });

  it('a wrong password is refused', async () => {
    await expect(signIn('S01', 'sai')).rejects.toThrow();
  });

  it('a forged token (same claims, another key) and an altered one are rejected', async () => {
    const verifier = poolTokenVerifier(pool);
    const real = await signIn('S01', 'Mat-khau-S01-1');
    const payload = JSON.parse(Buffer.from(real.split('.')[1], 'base64url').toString());
    await expect(verifier.verify(forge({ ...payload, 'custom:unit_code': 'S02' }))).rejects.toThrow();
    const [h, , s] = real.split('.');
    const altered = Buffer.from(JSON.stringify({ ...payload, 'custom:unit_code': 'S02' })).toString('base64url');
    await expect(verifier.verify(`${h}.${altered}.${s}`)).rejects.toThrow();
  });

  it('a token for another app client is rejected', async () => {
    const real = await signIn('S01', 'Mat-khau-S01-1');
    await expect(poolTokenVerifier({ ...pool, clientId: 'another-client' }).verify(real)).rejects.toThrow();
  });

  it('the pool, client and accounts survive a restart of the same home', async () => {
    await cognito.stop();
    cognito = await startLocalCognito(home);
    const again = await ensurePortalPool(cognito.endpoint);
    expect(again.userPoolId).toBe(pool.userPoolId);
    expect(again.clientId).toBe(pool.clientId);
    pool = again;
    const claims = await poolTokenVerifier(pool).verify(await signIn('S01', 'Mat-khau-S01-1'));
    expect(claims['custom:unit_code']).toBe('S01');
  });
});

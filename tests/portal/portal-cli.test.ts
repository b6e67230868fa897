// `tthc portal --json --at …` as a person runs it: one JSON line (url, Cognito, accounts), a
// sign-in the way the page does it (JSON to the Cognito endpoint), the API on 127.0.0.1, and
// a clean stop on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempHomes, tempHome } from '../ingest/helpers.ts';
import { REPO_ROOT, tthcCommand, tthcEnv } from '../fixtures/tthc.ts';

let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await removeTempHomes();
});

describe('tthc portal', () => {
  it('prints its line, serves the API with Cognito tokens, and stops on SIGTERM', async () => {
    const home = await tempHome('tthc-portal-cli-');
    // The portal runs until stopped: spawned here (not the shared tthc(), which waits for the exit) to read its line and SIGTERM it.
    child = spawn(...tthcCommand(['portal', '--json', '--at', '2022-06-18T09:00:00+07:00']), { cwd: REPO_ROOT, env: tthcEnv(home) });
    let stderr = '';
    child.stderr!.on('data', (c) => (stderr += c));
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const out = JSON.parse(line);
    expect(Object.keys(out)).toEqual(['url', 'cognito', 'accounts']);
    expect(out.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(out.cognito)).toEqual(['endpoint', 'region', 'userPoolId', 'clientId']);
    expect(out.accounts).toHaveLength(253);
    const s01 = out.accounts.find((a: { unit: string }) => a.unit === 'S01');
    expect(Object.keys(s01)).toEqual(['unit', 'role', 'username', 'password']);

    const auth = await fetch(`${out.cognito.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: out.cognito.clientId, AuthParameters: { USERNAME: s01.username, PASSWORD: s01.password } }),
    });
    const token = ((await auth.json()) as { AuthenticationResult: { IdToken: string } }).AuthenticationResult.IdToken;
    const me = await fetch(`${out.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ unit: 'S01', open_period: '2022-06' });
    expect((await fetch(`${out.url}/`)).headers.get('content-type')).toContain('text/html');
    expect(await (await fetch(`${out.url}/config.json`)).json()).toEqual({ cognito: out.cognito });

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 240_000);
});

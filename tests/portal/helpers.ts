// Shared by the portal tests: signing in through the local Cognito over HTTP, calling the API
// with the ID token, and sending a file with a presigned POST as the page does.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient, type CognitoPool } from '../../infra/local/cognito.ts';
import type { RunningPortal } from '../../cli/portal.ts';
import { SAMPLES } from '../fixtures/samples.ts';

export async function signIn(pool: CognitoPool, username: string, password: string): Promise<string> {
  const client = cognitoClient(pool.endpoint);
  try {
    const out = await client.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: pool.clientId, AuthParameters: { USERNAME: username, PASSWORD: password },
    }));
    return out.AuthenticationResult!.IdToken!;
  } finally {
    client.destroy();
  }
}

export async function tokenOf(portal: RunningPortal, username: string): Promise<string> {
  const account = portal.accounts.find((a) => a.username === username);
  if (!account) throw new Error(`no account ${username}`);
  return signIn(portal.cognito, account.username, account.password);
}

export async function api(portal: RunningPortal, path: string, token?: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${portal.url}${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers as object) },
  });
}

/**
 * The unit's Biểu 06a template of `period` (GET /api/template) with its first data row filled in
 * as a clerk would (one field, balanced counts): the bytes to send.
 */
export async function filledTemplate(portal: RunningPortal, token: string, period: string): Promise<Buffer> {
  const res = await api(portal, `/api/template?period=${period}&format=xlsx`, token);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
  const sheet = book.worksheets[0];
  let first = 0;
  sheet.eachRow((row, n) => { if (!first && row.getCell(2).value === 'Trực tuyến') first = n + 1; });
  sheet.getRow(first).values = ['Tài chính', 70, 20, 0, 5, 60, 25, 1, 8, 1, 0];
  return Buffer.from(await book.xlsx.writeBuffer());
}

export interface Form {
  url: string;
  fields: Record<string, string>;
  /** The object's key (the API's answer has it; a form made up by a test may not). */
  key?: string;
}

export async function presign(portal: RunningPortal, token: string, fileName: string, size: number): Promise<Form> {
  const res = await api(portal, '/api/uploads', token, { method: 'POST', body: JSON.stringify({ file_name: fileName, size }) });
  if (res.status !== 200) throw new Error(`presign: ${res.status} ${await res.text()}`);
  return (await res.json()) as Form;
}

/** The browser's form post: the fields first, the file last (S3 ignores what follows it). */
export async function postForm(form: Form, bytes: Buffer, fileName: string): Promise<Response> {
  const body = new FormData();
  for (const [k, v] of Object.entries(form.fields)) body.append(k, v);
  body.append('file', new Blob([bytes]), fileName);
  return fetch(form.url, { method: 'POST', body });
}

export const sample = (name: string): Promise<Buffer> => readFile(new URL(name, SAMPLES));

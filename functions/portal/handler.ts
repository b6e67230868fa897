// Lambda entry for the clerks' portal API (API Gateway HTTP API, Cognito JWT authorizer).
// The authorizer has verified the ID token; the caller's unit and role come from its claims,
// never from the request. Locally functions/portal/local-server.ts feeds this same handler.
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ADMIN_GROUP, allStatus, listUploads, me, PortalError, startUpload, template, UNIT_ATTRIBUTE, type Caller, type PortalDeps } from '../../shared/portal/portal.ts';
import { isUnitCode } from '../../shared/units/unit.ts';
import { logger } from '../commons/powertools.ts';
import { portalDepsFromEnv } from './deps.ts';

export type PortalEvent = APIGatewayProxyEventV2WithJWTAuthorizer;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({ statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) });
const error = (statusCode: number, code: string, message: string) => json(statusCode, { error: { code, message } });

/**
 * The caller from the authorizer's claims. API Gateway passes `cognito:groups` as "[a b]" (a
 * group name may hold a comma, so "x,admin" is one group, not admin); locally it is an array.
 */
export function callerOf(event: PortalEvent): Caller | null {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims || claims.token_use !== 'id') return null;
  const raw = claims['cognito:groups'];
  const groups = Array.isArray(raw)
    ? raw.filter((g): g is string => typeof g === 'string')
    : typeof raw === 'string' ? raw.replace(/^\[|\]$/g, '').split(/\s+/).map((g) => g.replace(/,$/, '')) : [];
  const unit = claims[UNIT_ATTRIBUTE];
  return {
    username: String(claims['cognito:username'] ?? claims.sub ?? ''),
    // A unit code as the registry writes them: the claim is taken as it is, never folded or trimmed.
    unit: typeof unit === 'string' && isUnitCode(unit) ? unit : null,
    admin: groups.includes(ADMIN_GROUP),
  };
}

function parseBody(event: PortalEvent): unknown {
  if (!event.body) return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new PortalError(400, 'invalid_json', 'Nội dung yêu cầu không phải JSON hợp lệ.');
  }
}

async function route(event: PortalEvent, caller: Caller, deps: PortalDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext.http.method;
  const path = event.rawPath.replace(/\/+$/, '');
  const q = event.queryStringParameters ?? {};
  if (method === 'GET' && path === '/api/me') return json(200, await me(caller, deps));
  if (method === 'GET' && path === '/api/uploads') return json(200, await listUploads(caller, q.period, deps, q.key));
  if (method === 'POST' && path === '/api/uploads') {
    const { url, fields, key } = await startUpload(caller, parseBody(event), deps);
    return json(200, { url, fields, key });
  }
  if (method === 'GET' && path === '/api/template') {
    const file = await template(caller, q.period, q.format, deps);
    return {
      statusCode: 200,
      isBase64Encoded: true,
      headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.fileName}"`, 'cache-control': 'no-store' },
      body: file.bytes.toString('base64'),
    };
  }
  if (method === 'GET' && path === '/api/status') return json(200, await allStatus(caller, q.period, deps));
  return error(404, 'not_found', 'Không có chức năng này.');
}

export function makePortalHandler(deps: () => PortalDeps | Promise<PortalDeps>) {
  return middy(async (event: PortalEvent): Promise<APIGatewayProxyStructuredResultV2> => {
    // The authorizer refuses a request without a valid token; this only guards a misconfigured route.
    const caller = callerOf(event);
    if (!caller) return error(401, 'unauthorized', 'Cần đăng nhập.');
    try {
      return await route(event, caller, await deps());
    } catch (e) {
      if (e instanceof PortalError) return error(e.status, e.code, e.message);
      logger.error('portal request failed', { error: e as Error, path: event.rawPath });
      return error(500, 'internal_error', 'Hệ thống đang gặp lỗi, vui lòng thử lại sau ít phút.');
    }
  }).use(injectLambdaContext(logger));
}

export const handler = makePortalHandler(portalDepsFromEnv);

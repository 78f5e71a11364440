// Bearer-token authentication and tenancy for ingest and queries, the way Tempo, Mimir and Loki do it:
// a tenant is the `dss.client` of the data, chosen by the X-Scope-OrgID header or by the token.
//
// Without tokens configured, anyone who can reach the port may read everything (so the server
// binds loopback only), and X-Scope-OrgID, when sent, narrows the answer to that tenant.
// With tokens, every request needs one: a token mapped to a tenant sees that tenant only, whatever
// header it sends; a token mapped to '*' sees every tenant, or the one X-Scope-OrgID names.
import { timingSafeEqual } from 'node:crypto';

export const ALL_TENANTS = '*';

export interface TokenGrant {
  token: string;
  /** The tenant (dss.client) this token may read, or '*' for all. */
  tenant: string;
}

export interface AuthConfig {
  tokens: readonly TokenGrant[];
}

export class AuthError extends Error {
  override name = 'AuthError';
  readonly status: 401 | 403;
  constructor(status: 401 | 403, message: string) {
    super(message);
    this.status = status;
  }
}

/** Which tenant a request may see: a tenant name, or undefined for all of them. */
export type TenantScope = string | undefined;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function resolveTenant(
  headers: Record<string, string | string[] | undefined>,
  auth: AuthConfig | undefined,
): TenantScope {
  const orgId = header(headers, 'x-scope-orgid');
  if (!auth || auth.tokens.length === 0) return orgId;

  const authorization = header(headers, 'authorization');
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (!match) throw new AuthError(401, 'missing bearer token (Authorization: Bearer <token>)');
  const presented = match[1] as string;
  const grant = auth.tokens.find((g) => sameSecret(g.token, presented));
  if (!grant) throw new AuthError(401, 'unknown bearer token');
  if (grant.tenant === ALL_TENANTS) return orgId;
  if (orgId !== undefined && orgId !== grant.tenant) {
    throw new AuthError(403, `this token may not read tenant "${orgId}"`);
  }
  return grant.tenant;
}

/**
 * Parses `token=tenant` pairs separated by commas (DSS_COLLECTOR_TOKENS), e.g.
 * `s3cr3t=aveiro,0ps=*`. Errors name the entry, never its token.
 */
export function parseTokenList(raw: string): AuthConfig {
  const tokens: TokenGrant[] = [];
  raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .forEach((entry, index) => {
      const at = entry.lastIndexOf('=');
      if (at <= 0 || at === entry.length - 1) {
        throw new Error(`token entry ${index + 1} is not of the form token=tenant (tenant '*' for all)`);
      }
      tokens.push({ token: entry.slice(0, at), tenant: entry.slice(at + 1) });
    });
  return { tokens };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/** Refuses to expose unauthenticated data beyond this machine. */
export function checkExposure(host: string, auth: AuthConfig | undefined): void {
  if (!isLoopback(host) && (!auth || auth.tokens.length === 0)) {
    throw new Error(
      `refusing to serve on ${host} without authentication: set tokens (DSS_COLLECTOR_TOKENS=token=tenant,...) or bind 127.0.0.1`,
    );
  }
}

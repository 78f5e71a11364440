// Bearer-token auth: each token maps to one client, or `*` for all. 401 without a valid token, 403 when
// the token's client is not the one in the path.
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './http-error.ts';

/** token → client id, or `*` for every client. */
export type TokenMap = Readonly<Record<string, string>>;

/** `tokA=north,tokB=*` (API_TOKENS). */
export function parseTokens(spec: string): Record<string, string> {
  const tokens: Record<string, string> = {};
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = part.lastIndexOf('=');
    if (at <= 0 || at === part.length - 1) throw new Error('API_TOKENS: token=client pairs, comma-separated');
    tokens[part.slice(0, at)] = part.slice(at + 1);
  }
  return tokens;
}

export function requireToken(tokens: TokenMap) {
  return function auth(req: Request, res: Response, next: NextFunction): void {
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const scope = match ? tokens[match[1] as string] : undefined;
    if (!match || scope === undefined || !Object.hasOwn(tokens, match[1] as string)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      next(
        new HttpError(401, match ? 'invalid token' : 'missing bearer token (Authorization: Bearer <token>)'),
      );
      return;
    }
    res.locals.tokenScope = scope;
    next();
  };
}

/** May the request's token see this client? */
export function allowed(res: Response, client: string): boolean {
  const scope = res.locals.tokenScope as string | undefined;
  return scope === '*' || scope === client;
}

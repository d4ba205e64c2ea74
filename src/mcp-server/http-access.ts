import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { CadreError } from '../errors.js';
import { isLoopback, isWildcard, urlHost } from './http-address.js';
import type { HttpAddress } from './http-address.js';

/** Who may talk to `cadre mcp --http`. */
export interface HttpAccess {
  /** Host header names (without port) the server answers to: anything else is DNS rebinding. */
  hostnames: ReadonlySet<string>;
  /** Browser origins allowed besides those on an allowed host name. */
  origins: ReadonlySet<string>;
  /** The bearer token every request must carry, if one is set. */
  token?: string;
}

/** Why a request is refused, before the MCP transport sees it. */
export interface Refusal {
  status: 401 | 403;
  message: string;
  headers: Record<string, string>;
}

/** The shortest `CADRE_MCP_TOKEN` accepted. */
export const minimumTokenLength = 16;

const loopbackNames = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Decides the access rules at start, and refuses to start when they would be unsafe: an address
 * other machines can reach needs `CADRE_MCP_TOKEN` (at least 16 characters), and listening on
 * every interface needs the names clients use (`--allowed-host`) for the Host check.
 */
export function planHttpAccess(
  address: HttpAddress,
  options: { token?: string; allowedHosts?: string[]; allowedOrigins?: string[] },
): HttpAccess {
  const token = options.token?.trim() || undefined;
  const allowedHosts = (options.allowedHosts ?? []).map((name) => name.trim().toLowerCase());
  const where = `${urlHost(address.host)}:${address.port}`;
  if (!isLoopback(address.host) && token === undefined) {
    throw new CadreError({
      code: 'mcp-token-required',
      message: `--http ${where} can be reached from other machines, and CADRE_MCP_TOKEN is not set`,
      hint: 'set CADRE_MCP_TOKEN to a long random secret (such as `openssl rand -hex 32`) that clients send as `Authorization: Bearer <token>`, or listen on 127.0.0.1',
    });
  }
  if (token !== undefined && token.length < minimumTokenLength) {
    throw new CadreError({
      code: 'mcp-token-weak',
      message: `CADRE_MCP_TOKEN has ${token.length} characters; it needs at least ${minimumTokenLength}`,
      hint: 'use a long random secret, such as the output of `openssl rand -hex 32`',
    });
  }
  if (isWildcard(address.host) && allowedHosts.length === 0) {
    throw new CadreError({
      code: 'mcp-allowed-host-required',
      message: `--http ${where} listens on every interface, so cadre cannot tell which Host names are genuine`,
      hint: 'name the host names clients use with --allowed-host (such as --allowed-host mcp.example.internal), or listen on one address',
    });
  }
  const hostnames = new Set([...loopbackNames, ...allowedHosts]);
  if (!isWildcard(address.host)) hostnames.add(urlHost(address.host).toLowerCase());
  const origins = new Set<string>();
  for (const origin of options.allowedOrigins ?? []) {
    try {
      origins.add(new URL(origin).origin);
    } catch {
      throw new CadreError({
        code: 'mcp-allowed-origin-invalid',
        message: `--allowed-origin '${origin}' is not an origin`,
        hint: 'write scheme, host and port, such as https://tools.example.internal',
      });
    }
  }
  return { hostnames, origins, ...(token === undefined ? {} : { token }) };
}

function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function forbidden(message: string): Refusal {
  return { status: 403, message, headers: {} };
}

/**
 * Checks a request before the MCP transport sees it: its Host must be a name this server answers
 * to and its Origin (browsers send one) an allowed one — DNS rebinding protection — and, when a
 * token is set, it must carry `Authorization: Bearer <token>`.
 */
export function refusalOf(headers: IncomingHttpHeaders, access: HttpAccess): Refusal | undefined {
  const host = headers.host;
  if (!host) return forbidden('the request has no Host header');
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return forbidden(`Host '${host}' is not a host name`);
  }
  if (!access.hostnames.has(hostname))
    return forbidden(
      `Host '${host}' is not a name this server answers to (DNS rebinding protection)`,
    );
  const origin = headers.origin;
  if (origin !== undefined) {
    let allowed = false;
    try {
      const parsed = new URL(origin);
      allowed =
        access.origins.has(parsed.origin) || access.hostnames.has(parsed.hostname.toLowerCase());
    } catch {
      allowed = false;
    }
    if (!allowed) return forbidden(`Origin '${origin}' is not allowed (DNS rebinding protection)`);
  }
  if (access.token !== undefined) {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
    if (given === undefined || !sameSecret(given, access.token)) {
      return {
        status: 401,
        message: given === undefined ? 'a bearer token is required' : 'the bearer token is wrong',
        headers: { 'WWW-Authenticate': 'Bearer realm="cadre"' },
      };
    }
  }
  return undefined;
}

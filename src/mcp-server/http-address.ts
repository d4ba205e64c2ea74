import { isIP } from 'node:net';
import { CadreError } from '../errors.js';

/** Where `cadre mcp --http` listens. */
export interface HttpAddress {
  host: string;
  port: number;
}

/** The host `--http <port>` listens on: loopback only. */
export const defaultHttpHost = '127.0.0.1';

/**
 * Reads `--http`: `<port>`, `:<port>`, `<host>:<port>` or `[<ipv6>]:<port>`; port 0 lets the
 * system choose. Without a host it is 127.0.0.1.
 */
export function parseHttpAddress(text: string): HttpAddress {
  const match = /^(?:(?:\[([^\]]+)\]|([^:[\]]+))?:)?(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port > 65_535) {
    throw new CadreError({
      code: 'mcp-http-address-invalid',
      message: `--http '${text}' is not an address to listen on`,
      hint: 'write a port (7337, on 127.0.0.1) or host:port, such as 127.0.0.1:7337 or [::1]:7337',
    });
  }
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? defaultHttpHost : host, port };
}

/** Whether only this machine can reach the address: localhost, 127.0.0.0/8, ::1. */
export function isLoopback(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return (
    name === 'localhost' ||
    name === '::1' ||
    (isIP(name) === 4 && name.startsWith('127.')) ||
    name === '::ffff:127.0.0.1'
  );
}

/** Whether the address listens on every interface (0.0.0.0, ::). */
export function isWildcard(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, '');
  // Every spelling of the zero address: 0, 0.0.0.0, ::, ::0, 0:0:0:0:0:0:0:0, 0x0.
  return /^[0.:]*$/.test(name) || /^0x0+$/i.test(name);
}

/** The address as a URL host: IPv6 in brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

import { describe, expect, it } from 'vitest';
import { planHttpAccess, refusalOf } from '../../src/mcp-server/http-access.js';
import { isLoopback, parseHttpAddress } from '../../src/mcp-server/http-address.js';

const token = 'a-long-enough-secret-token-0123456789';

describe('--http addresses', () => {
  it('reads a port, host:port and [ipv6]:port; a bare port listens on 127.0.0.1', () => {
    expect(parseHttpAddress('7337')).toEqual({ host: '127.0.0.1', port: 7337 });
    expect(parseHttpAddress(':0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseHttpAddress('localhost:8080')).toEqual({ host: 'localhost', port: 8080 });
    expect(parseHttpAddress('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(parseHttpAddress('[::1]:7337')).toEqual({ host: '::1', port: 7337 });
    expect(() => parseHttpAddress('here')).toThrow(/--http 'here' is not an address/);
    expect(() => parseHttpAddress('1.2.3.4:70000')).toThrow(/not an address/);
  });

  it('knows loopback from the rest', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '10.0.0.5', '::', 'example.com'])
      expect(isLoopback(host)).toBe(false);
  });
});

describe('planning HTTP access at start', () => {
  it('refuses an address other machines can reach without CADRE_MCP_TOKEN', () => {
    expect(() => planHttpAccess(parseHttpAddress('10.0.0.5:7337'), {})).toThrow(
      /can be reached from other machines, and CADRE_MCP_TOKEN is not set/,
    );
    expect(() => planHttpAccess(parseHttpAddress('10.0.0.5:7337'), { token: '  ' })).toThrow(
      /CADRE_MCP_TOKEN is not set/,
    );
  });

  it('refuses a short token, and a wildcard address without the host names clients use', () => {
    expect(() => planHttpAccess(parseHttpAddress('10.0.0.5:7337'), { token: 'short' })).toThrow(
      /needs at least 16/,
    );
    for (const wildcard of [
      '0.0.0.0:7337',
      '0:7337',
      '[::]:7337',
      '[::0]:7337',
      '[0:0:0:0:0:0:0:0]:7337',
    ]) {
      expect(() => planHttpAccess(parseHttpAddress(wildcard), { token }), wildcard).toThrow(
        /listens on every interface/,
      );
    }
  });

  it('allows loopback without a token, and a reachable address with one', () => {
    expect(planHttpAccess(parseHttpAddress('7337'), {}).token).toBeUndefined();
    const access = planHttpAccess(parseHttpAddress('10.0.0.5:7337'), { token });
    expect([...access.hostnames]).toEqual(['localhost', '127.0.0.1', '[::1]', '10.0.0.5']);
  });
});

describe('checking each request', () => {
  const loopback = planHttpAccess(parseHttpAddress('7337'), {});
  const guarded = planHttpAccess(parseHttpAddress('127.0.0.1:7337'), {
    token,
    allowedOrigins: ['https://tools.example.com'],
  });

  it('rejects a forged Host (DNS rebinding) and a foreign Origin with 403', () => {
    expect(refusalOf({ host: 'evil.example:7337' }, loopback)).toMatchObject({ status: 403 });
    expect(refusalOf({}, loopback)).toMatchObject({ status: 403 });
    expect(
      refusalOf({ host: '127.0.0.1:7337', origin: 'http://evil.example' }, loopback),
    ).toMatchObject({ status: 403, message: expect.stringContaining('Origin') });
    expect(
      refusalOf({ host: 'localhost:7337', origin: 'http://localhost:6274' }, loopback),
    ).toBeUndefined();
    expect(refusalOf({ host: '[::1]:7337' }, loopback)).toBeUndefined();
  });

  it('asks for the bearer token with 401 when it is missing or wrong', () => {
    expect(refusalOf({ host: '127.0.0.1:7337' }, guarded)).toMatchObject({
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer realm="cadre"' },
    });
    expect(
      refusalOf({ host: '127.0.0.1:7337', authorization: 'Bearer wrong-token' }, guarded),
    ).toMatchObject({ status: 401, message: 'the bearer token is wrong' });
    expect(
      refusalOf(
        {
          host: '127.0.0.1:7337',
          authorization: `Bearer ${token}`,
          origin: 'https://tools.example.com',
        },
        guarded,
      ),
    ).toBeUndefined();
  });
});

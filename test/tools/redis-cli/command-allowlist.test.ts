import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../tools/redis-cli/command-allowlist.js';

describe('the command allowlist', () => {
  it.each([
    [['GET', 'k'], 'read', 'GET'],
    [['config', 'get', 'maxmemory'], 'read', 'CONFIG GET'],
    [['CLIENT', 'LIST'], 'read', 'CLIENT LIST'],
    [['MEMORY', 'USAGE', 'k'], 'read', 'MEMORY USAGE'],
    [['SLOWLOG', 'GET', '10'], 'read', 'SLOWLOG GET'],
    [['OBJECT', 'ENCODING', 'k'], 'read', 'OBJECT ENCODING'],
    [['XINFO', 'STREAM', 'k'], 'read', 'XINFO STREAM'],
    [['PUBSUB', 'NUMSUB', 'c'], 'read', 'PUBSUB NUMSUB'],
    [['XREAD', 'COUNT', '10', 'STREAMS', 'BLOCK', '0'], 'read', 'XREAD'],
    [['SET', 'k', 'v', 'NX', 'EX', '10'], 'write', 'SET'],
    [['PUBLISH', 'c', 'm'], 'write', 'PUBLISH'],
    [['CONFIG', 'SET', 'maxmemory', '1'], 'admin', 'CONFIG SET'],
    [['SLOWLOG', 'RESET'], 'admin', 'SLOWLOG RESET'],
    [['FLUSHALL'], 'admin', 'FLUSHALL'],
    [['SCAN', '0', 'MATCH', 'user:*', 'COUNT', '10000'], 'read', 'SCAN'],
    [['HSCAN', 'h', '0', 'NOVALUES', 'COUNT', '10000'], 'read', 'HSCAN'],
    [['SCAN', '0', 'MATCH', 'COUNT', 'COUNT', '5'], 'read', 'SCAN'],
    [['PFCOUNT', 'visitors'], 'write', 'PFCOUNT'],
    [['COPY', 'a', 'b', 'REPLACE'], 'write', 'COPY'],
    [['COPY', 'a', 'DB'], 'write', 'COPY'],
    [['copy', 'a', 'b', 'db', '5'], 'admin', 'COPY'],
  ] as const)('classifies %j as needing %s', (args, need, name) => {
    expect(checkCommand(args, 'admin')).toEqual({ allowed: true, name, need });
  });

  it('refuses at a grant below the need, naming both grants', () => {
    expect(checkCommand(['DEL', 'k'], 'read')).toMatchObject({
      allowed: false,
      name: 'DEL',
      need: 'write',
      reason: expect.stringContaining(
        'DEL needs the write grant; this redis-cli server has the read grant',
      ),
    });
  });

  it('refuses XREAD with BLOCK at every grant', () => {
    expect(checkCommand(['xread', 'block', '0', 'STREAMS', 's', '$'], 'admin')).toMatchObject({
      allowed: false,
      name: 'XREAD BLOCK',
      need: 'never',
    });
  });

  it.each([
    ['SCAN', '0', 'COUNT', '100000000'],
    ['scan', '0', 'match', 'x*', 'count', '10001'],
    ['HSCAN', 'h', '0', 'NOVALUES', 'COUNT', '20000'],
    ['SSCAN', 's', '0', 'COUNT', '1e9'],
    ['ZSCAN', 'z', '0', 'MATCH', 'a', 'COUNT', '50000'],
  ])('refuses a SCAN step over more than 10000 slots at every grant: %j', (...args) => {
    const verdict = checkCommand(args, 'admin');
    expect(verdict).toMatchObject({
      allowed: false,
      name: `${args[0]?.toUpperCase()} with a COUNT above 10000`,
      need: 'never',
      reason: expect.stringContaining('continue from the returned cursor'),
    });
  });

  it('refuses PFCOUNT at the read grant: it rewrites the cached cardinality', () => {
    expect(checkCommand(['PFCOUNT', 'visitors'], 'read')).toMatchObject({
      allowed: false,
      need: 'write',
    });
  });

  it('refuses COPY into another database below the admin grant, as MOVE', () => {
    expect(checkCommand(['COPY', 'a', 'b', 'DB', '5'], 'write')).toMatchObject({
      allowed: false,
      name: 'COPY … DB',
      need: 'admin',
      reason: expect.stringContaining('needs the admin grant'),
    });
  });

  it('never allows a first element that is not a plain command name', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string(), { maxLength: 3 }), (first, rest) => {
        const verdict = checkCommand([first, ...rest], 'admin');
        if (verdict.allowed) {
          expect(first).toMatch(/^[A-Za-z][A-Za-z0-9_.|-]*$/);
          expect(verdict.name.split(' ')[0]).toBe(first.toUpperCase());
        }
      }),
    );
  });

  it('never allows a name with whitespace around a dangerous command', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('FLUSHALL', 'GET', 'CONFIG', 'KEYS'),
        fc.constantFrom(' ', '\r', '\n', '\t', '\r\n', '\u0000'),
        fc.boolean(),
        (name, space, before) => {
          const first = before ? `${space}${name}` : `${name}${space}`;
          expect(checkCommand([first], 'admin').allowed).toBe(false);
        },
      ),
    );
  });
});

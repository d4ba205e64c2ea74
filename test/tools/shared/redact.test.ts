import { describe, expect, it } from 'vitest';
import { redactSecrets, redactValue } from '../../../tools/shared/redact.js';

describe('secret redaction', () => {
  it('removes passwords from URLs and connection strings, API keys and Redis AUTH', () => {
    expect(redactSecrets('connect to postgres://app:hunter2@db.example:5432/app failed')).toBe(
      'connect to postgres://app:[redacted]@db.example:5432/app failed',
    );
    expect(redactSecrets('redis://:s3cret@cache:6379/0')).toBe(
      'redis://:s3cret@cache:6379/0'.replace('s3cret', '[redacted]'),
    );
    expect(redactSecrets('host=db user=app password=hunter2 dbname=app')).toBe(
      'host=db user=app password=[redacted] dbname=app',
    );
    expect(redactSecrets('postgres://db/app?sslmode=require&password=hunter2')).toBe(
      'postgres://db/app?sslmode=require&password=[redacted]',
    );
    expect(redactSecrets('key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123')).toBe('key [redacted]');
    expect(redactSecrets('AUTH default hunter2')).toBe('AUTH [redacted]');
  });

  it.each([
    ['postgres://u:p@ss@h/db', 'postgres://u:[redacted]@h/db'],
    ['postgres://u:s3c/ret@127.0.0.1:5999/db', 'postgres://u:[redacted]@127.0.0.1:5999/db'],
    [
      '"url":"postgres://a:b@h/d","other":"x@y"',
      '"url":"postgres://a:[redacted]@h/d","other":"x@y"',
    ],
    ['PGPASSWORD=hunter2 psql', 'PGPASSWORD=[redacted] psql'],
    ['DB_PASSWORD=hunter2', 'DB_PASSWORD=[redacted]'],
    ['password: hunter2', 'password: [redacted]'],
    ['{"password": "hunter2", "input_tokens": 5}', '{"password": "[redacted]", "input_tokens": 5}'],
    ["password='with space' next", "password='[redacted]' next"],
    ['pwd=abc passwd=def', 'pwd=[redacted] passwd=[redacted]'],
    ['Authorization: Bearer abcdefghijklmnop123', 'Authorization: Bearer [redacted]'],
    ['curl -H "Bearer abcdefghijklmnopqrst"', 'curl -H "Bearer [redacted]"'],
    ['x-api-key: sk-ant-api03-ZZZZZZZZZZZZZZZZZZZZZZ', 'x-api-key: [redacted]'],
    ['_sk-ant-api03-abcdefghijklmnopqrstuvwxyz', '_[redacted]'],
    ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', '[redacted]'],
    ['xoxb-1234567890-abcdef', '[redacted]'],
    [
      'AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG',
      '[redacted] aws_secret_access_key=[redacted]',
    ],
    [
      'https://api/x?token=abc&api_key=def&access_token=ghi&ok=1',
      'https://api/x?token=[redacted]&api_key=[redacted]&access_token=[redacted]&ok=1',
    ],
  ])('redacts %s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
    // Redacting again changes nothing.
    expect(redactSecrets(expected)).toBe(expected);
  });

  it('leaves counts and keys that only look like secret names alone', () => {
    const text = 'max_tokens: 100, input_tokens: 5, key: user:1, token_count=3';
    expect(redactSecrets(text)).toBe(text);
    const value = { input_tokens: 5, inputTokens: 3, key: 'user:1', password_hint: 'h' };
    expect(redactValue(value)).toBe(value);
  });

  it('redacts values under secret keys in any case style, headers included', () => {
    expect(
      redactValue({
        accessToken: 'x',
        headers: { Authorization: 'Bearer z', 'x-api-key': 'k', Cookie: 'c' },
        db_password: 'p',
        credentials: { user: 'u' },
      }),
    ).toEqual({
      accessToken: '[redacted]',
      headers: { Authorization: '[redacted]', 'x-api-key': '[redacted]', Cookie: '[redacted]' },
      db_password: '[redacted]',
      credentials: '[redacted]',
    });
  });

  it('leaves text without secrets alone', () => {
    const text = 'SELECT * FROM users WHERE email = $1; postgres://127.0.0.1:5432/test';
    expect(redactSecrets(text)).toBe(text);
  });

  it('redacts every string in a value, and whole values under secret-looking keys', () => {
    expect(
      redactValue({
        sql: 'select 1',
        url: 'postgres://a:b@h/d',
        password: 'x',
        nested: [{ apiKey: 'y' }],
      }),
    ).toEqual({
      sql: 'select 1',
      url: 'postgres://a:[redacted]@h/d',
      password: '[redacted]',
      nested: [{ apiKey: '[redacted]' }],
    });
  });

  it('gives back a value without secrets as it is, and copies one with secrets without changing it', () => {
    const clean = { sql: 'select 1', limits: [1, 2, { rows: 5 }], nested: { note: 'no secret' } };
    expect(redactValue(clean)).toBe(clean);

    const holding = { sql: 'select 1', nested: [{ note: 'fine' }, { token: 'abc' }], n: 3 };
    const before = structuredClone(holding);
    const copy = redactValue(holding);

    expect(copy).toEqual({
      sql: 'select 1',
      nested: [{ note: 'fine' }, { token: '[redacted]' }],
      n: 3,
    });
    expect(copy).not.toBe(holding);
    expect(holding).toEqual(before);
    // The parts that held nothing are shared; the path to the secret is new.
    expect(copy.nested[0]).toBe(holding.nested[0]);
    expect(copy.nested[1]).not.toBe(holding.nested[1]);
  });

  it('keeps an own __proto__ key as a plain key of the copy', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "password": "x"}') as Record<
      string,
      unknown
    >;
    const copy = redactValue(parsed);

    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'password']);
    expect(copy.password).toBe('[redacted]');
  });
});

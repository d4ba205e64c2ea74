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

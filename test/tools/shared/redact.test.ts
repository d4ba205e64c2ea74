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
});

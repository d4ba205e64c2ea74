import { describe, expect, it } from 'vitest';
import { pgbenchConnection } from '../../../tools/pgbench/connection-arguments.js';

describe('pgbench connection arguments', () => {
  it('passes host, port and user as separate arguments and the password only in the environment', () => {
    const connection = pgbenchConnection(
      'postgres://bench%20user:s3cr%40t@db.example.com:6432/orders?sslmode=require&application_name=x',
    );
    expect(connection.arguments).toEqual([
      '-h',
      'db.example.com',
      '-p',
      '6432',
      '-U',
      'bench user',
    ]);
    expect(connection.database).toBe('orders');
    expect(connection.environment).toEqual({
      PGPASSWORD: 's3cr@t',
      PGSSLMODE: 'require',
      PGAPPNAME: 'x',
    });
    expect(JSON.stringify(connection.arguments)).not.toContain('s3cr');
    expect(connection.description).toBe('bench user@db.example.com:6432/orders');
  });

  it('reads a socket directory from the host parameter and an IPv6 host without brackets', () => {
    expect(pgbenchConnection('postgresql:///app?host=/var/run/postgresql').arguments).toEqual([
      '-h',
      '/var/run/postgresql',
    ]);
    expect(pgbenchConnection('postgres://u@[::1]:5432/app').arguments).toEqual([
      '-h',
      '::1',
      '-p',
      '5432',
      '-U',
      'u',
    ]);
  });

  it('refuses database names that pgbench could read as an option or a connection string', () => {
    expect(() => pgbenchConnection('postgres://u@h/-fevil')).toThrow(/could be read by pgbench/);
    expect(() => pgbenchConnection('postgres://u@h/host%3Devil')).toThrow(
      /could be read by pgbench/,
    );
    expect(() => pgbenchConnection('redis://h:6379')).toThrow(/pgbench needs postgres:/);
  });
});

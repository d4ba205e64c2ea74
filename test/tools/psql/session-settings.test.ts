import { describe, expect, it } from 'vitest';
import { sessionSettings } from '../../../tools/psql/session-settings.js';

const readOptions = '-c default_transaction_read_only=on -c standard_conforming_strings=on';

describe('the startup settings of the psql tool’s connections', () => {
  it('sets the timeouts and, at the read grant, a read-only session', () => {
    expect(sessionSettings('postgres://app@db:5432/shop', 'read', 5000, {})).toEqual({
      connectionString: 'postgres://app@db:5432/shop',
      statement_timeout: 5000,
      idle_in_transaction_session_timeout: 15_000,
      options: readOptions,
    });
    expect(sessionSettings('postgres://app@db/shop', 'write', 1000, {}).options).toBe(
      '-c standard_conforming_strings=on',
    );
  });

  it('keeps the URL’s own options, before the tool’s, so the tool’s win', () => {
    const settings = sessionSettings(
      'postgres://app@db/shop?options=-c%20search_path%3Dsales%20-c%20default_transaction_read_only%3Doff&sslmode=disable',
      'read',
      5000,
      {},
    );
    expect(settings.options).toBe(
      `-c search_path=sales -c default_transaction_read_only=off ${readOptions}`,
    );
    expect(settings.connectionString).toBe('postgres://app@db/shop?sslmode=disable');
  });

  it('takes the options from PGOPTIONS when the URL has none', () => {
    const settings = sessionSettings('postgres://app@db/shop', 'read', 5000, {
      PGOPTIONS: '-c work_mem=64MB',
    });
    expect(settings.options).toBe(`-c work_mem=64MB ${readOptions}`);
  });

  it('drops timeouts given in the URL: the tool’s apply', () => {
    const settings = sessionSettings(
      'postgres://app@db/shop?statement_timeout=0&idle_in_transaction_session_timeout=0&application_name=x',
      'read',
      2000,
      {},
    );
    expect(settings.connectionString).toBe('postgres://app@db/shop?application_name=x');
    expect(settings.statement_timeout).toBe(2000);
  });

  it('names the user as libpq would when the URL has none', () => {
    expect(
      sessionSettings('postgres://db/shop', 'read', 5000, { PGUSER: 'reporter' }).connectionString,
    ).toBe('postgres://reporter@db/shop');
  });

  it('refuses options ending in a lone backslash, which would swallow the tool’s first option', () => {
    expect(() =>
      sessionSettings('postgres://app@db/shop?options=-c%20x%3Dy%5C', 'read', 5000, {}),
    ).toThrow('lone backslash');
    expect(
      sessionSettings('postgres://app@db/shop?options=-c%20x%3Dy%5C%5C', 'read', 5000, {}).options,
    ).toBe(`-c x=y\\\\ ${readOptions}`);
  });
});

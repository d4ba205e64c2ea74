import { describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { storeSchemaVersion } from '../../src/store/store.js';

describe('migrations', () => {
  it('are numbered 1, 2, … and end at the schema version this code writes', () => {
    expect(migrations.map((migration) => migration.version)).toEqual(
      Array.from({ length: storeSchemaVersion }, (_, index) => index + 1),
    );
  });

  it('take the same steps in SQLite and PostgreSQL', () => {
    for (const migration of migrations) {
      expect(migration.statements.sqlite.length).toBe(migration.statements.postgres.length);
    }
  });

  it('create the tables of version 1 in both dialects', () => {
    const tables = (statements: readonly string[]) =>
      statements.flatMap((statement) => /^CREATE TABLE (\w+)/.exec(statement)?.[1] ?? []);
    const [first] = migrations;

    for (const dialect of ['sqlite', 'postgres'] as const) {
      expect(tables(first?.statements[dialect] ?? [])).toEqual([
        'runs',
        'events',
        'messages',
        'sessions',
        'open_requests',
        'escalations',
      ]);
    }
  });
});

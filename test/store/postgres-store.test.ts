import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CadreError } from '../../src/errors.js';
import { migrations } from '../../src/store/migrations.js';
import { openPostgresStore } from '../../src/store/postgres-store.js';
import type { Store } from '../../src/store/store.js';
import { storeSchemaVersion } from '../../src/store/store.js';
import { makeMessage } from '../helpers/a2a-message.js';
import { storeContract } from '../contracts/store.contract.js';
import { postgresUrl, testSchemas, withClient } from './postgres-schemas.js';

const schemas = testSchemas('store');
afterAll(() => schemas.drop());

const contractSchema = schemas.name();
storeContract('postgres', () => openPostgresStore(postgresUrl, { schema: contractSchema }), {
  reopen: () => openPostgresStore(postgresUrl, { schema: contractSchema }),
});

async function schemaVersions(schema: string): Promise<unknown[]> {
  return withClient(async (client) => {
    const result = await client.query(
      `SELECT version, applied_at FROM ${schema}.schema_version ORDER BY version`,
    );
    return result.rows;
  });
}

describe('openPostgresStore', () => {
  const opened: Store[] = [];
  async function open(schema: string): Promise<Store> {
    const store = await openPostgresStore(postgresUrl, { schema });
    opened.push(store);
    return store;
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it('creates the schema and its tables at the current schema version', async () => {
    const schema = schemas.name();

    await open(schema);

    expect(await schemaVersions(schema)).toEqual(
      migrations.map(({ version }) => ({ version, applied_at: expect.any(String) })),
    );
    const tables = await withClient(async (client) => {
      const result = await client.query(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
        [schema],
      );
      return result.rows.map((row: { table_name: string }) => row.table_name);
    });
    expect(tables).toEqual([
      'escalations',
      'events',
      'messages',
      'open_requests',
      'runs',
      'schema_version',
      'session_messages',
      'sessions',
    ]);
  });

  it('does not migrate again when a schema is reopened', async () => {
    const schema = schemas.name();
    await (await open(schema)).close();
    const before = await schemaVersions(schema);

    await open(schema);

    expect(await schemaVersions(schema)).toEqual(before);
  });

  it('opens one new schema from several stores at once', async () => {
    const schema = schemas.name();

    const stores = await Promise.all([open(schema), open(schema), open(schema)]);
    await stores[0]?.putMessage(makeMessage({ messageId: 'shared-1', contextId: 'run-shared' }));

    expect(await stores[2]?.pendingMessages('run-shared')).toHaveLength(1);
    expect(await schemaVersions(schema)).toHaveLength(migrations.length);
  });

  it('refuses a schema written by a newer cadre, and leaves it as it was', async () => {
    const schema = schemas.name();
    await (await open(schema)).close();
    await withClient((client) =>
      client.query(
        `INSERT INTO ${schema}.schema_version (version, applied_at) VALUES (${storeSchemaVersion + 1}, 5)`,
      ),
    );

    const opening = openPostgresStore(postgresUrl, { schema });

    await expect(opening).rejects.toThrow(CadreError);
    await expect(opening).rejects.toMatchObject({
      code: 'store-schema-newer',
      message: expect.stringContaining(
        `was written by a newer cadre (schema ${storeSchemaVersion + 1}); this cadre reads schema ${storeSchemaVersion}; upgrade cadre`,
      ),
    });
    expect(await schemaVersions(schema)).toHaveLength(migrations.length + 1);
  });

  it('is an error naming the table and the key for a corrupt row', async () => {
    const schema = schemas.name();
    const store = await open(schema);
    await store.putMessage(makeMessage({ messageId: 'message-x', contextId: 'run-x' }));
    await withClient((client) =>
      client.query(`UPDATE ${schema}.messages SET body = body - 'parts' WHERE message_id = $1`, [
        'message-x',
      ]),
    );

    await expect(store.getMessage('message-x')).rejects.toMatchObject({
      code: 'store-row-invalid',
      message: expect.stringMatching(
        /corrupt messages row \(message_id "message-x"\): body\.parts/,
      ),
    });
  });

  it('is an error naming the escalations table for an unknown status', async () => {
    const schema = schemas.name();
    const store = await open(schema);
    await store.saveEscalation({
      escalationId: 'escalation-x',
      runId: 'run-x',
      requestMessageId: 'message-1',
      asker: 'domain-1',
      waitedOn: 'domain-2',
      to: 'chief-1',
      rule: 'peer-wait',
      reason: 'waited',
      level: 1,
      firedAt: 1,
      status: 'open',
    });
    await withClient((client) => client.query(`UPDATE ${schema}.escalations SET status = 'lost'`));

    await expect(store.listEscalations({})).rejects.toThrow(
      /corrupt escalations row \(escalation_id "escalation-x"\): status/,
    );
  });

  it('refuses a schema name it would have to quote', async () => {
    await expect(openPostgresStore(postgresUrl, { schema: 'Robert"; DROP' })).rejects.toMatchObject(
      {
        code: 'store-option-invalid',
      },
    );
  });

  it('says which server it could not reach, with the password redacted', async () => {
    const opening = openPostgresStore('postgres://postgres:hunter2@127.0.0.1:1/test');

    await expect(opening).rejects.toMatchObject({
      code: 'store-open-failed',
      message: expect.stringContaining('127.0.0.1:1'),
    });
    await expect(opening).rejects.toSatisfy((error: Error) => !error.message.includes('hunter2'));
  });

  it('is a store-closed error when used after close', async () => {
    const store = await openPostgresStore(postgresUrl, { schema: schemas.name() });
    await store.close();

    await expect(store.listRuns(1)).rejects.toMatchObject({ code: 'store-closed' });
    await store.close();
  });
});

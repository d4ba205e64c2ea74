import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPsqlServer } from './psql-mcp-client.js';
import type { PsqlServerProcess } from './psql-mcp-client.js';
import { createPsqlTestDatabase } from './psql-test-database.js';
import type { PsqlTestDatabase } from './psql-test-database.js';

interface QueryData {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

let database: PsqlTestDatabase;
let reader: PsqlServerProcess;
let writer: PsqlServerProcess;

beforeAll(async () => {
  database = await createPsqlTestDatabase();
  [reader, writer] = await Promise.all([
    startPsqlServer(database.readerUrl, 'read'),
    startPsqlServer(database.writerUrl, 'write'),
  ]);
}, 20_000);

afterAll(async () => {
  await Promise.all([reader?.close(), writer?.close()]);
  await database?.drop();
});

describe('the psql MCP server', () => {
  it('lists exactly query, explain, describe and health at the read grant, all read-only', async () => {
    const tools = await reader.tools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'describe',
      'explain',
      'health',
      'query',
    ]);
    for (const tool of tools) {
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    }
  });

  it('adds execute at the write grant, marked destructive and not read-only', async () => {
    const tools = await writer.tools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'describe',
      'execute',
      'explain',
      'health',
      'query',
    ]);
    const execute = tools.find((tool) => tool.name === 'execute');
    expect(execute?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(Object.keys(execute?.inputSchema.properties ?? {})).toEqual(['sql']);
  });

  it('reports the role it runs as and gives no superuser warning for a plain role', () => {
    expect(reader.stderr()).toContain(`connected as ${database.reader}`);
    expect(reader.stderr()).not.toContain('superuser.');
  });

  it('refuses execute at the read grant even when it is called by name', async () => {
    const result = await reader.call('execute', { sql: 'DELETE FROM t' });
    expect(result.isError).toBe(true);
    const rows = await database.admin.query('SELECT count(*)::int AS n FROM t');
    expect(rows.rows[0]).toEqual({ n: 3 });
  });

  it('returns a query’s rows as an aligned text table and as JSON', async () => {
    const result = await reader.call('query', {
      sql: 'SELECT id, name FROM customers WHERE id <= 3 ORDER BY id',
    });
    expect(result.isError).toBe(false);
    expect(result.text.split('\n')).toEqual([
      ' id | name',
      '----+------------',
      ' 1  | customer 1',
      ' 2  | customer 2',
      ' 3  | customer 3',
      '(3 rows)',
    ]);
    expect(result.data).toMatchObject({
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'text' },
      ],
      rows: [
        [1, 'customer 1'],
        [2, 'customer 2'],
        [3, 'customer 3'],
      ],
      rowCount: 3,
      truncated: false,
    });
  });

  it('cuts a result at the row cap and says it was truncated', async () => {
    const result = await reader.call('query', {
      sql: 'SELECT id FROM events ORDER BY id',
      maxRows: 25,
    });
    expect(result.isError).toBe(false);
    const data = result.data as QueryData;
    expect(data.rows).toHaveLength(25);
    expect(data.truncated).toBe(true);
    expect(result.text).toContain('(25 rows) truncated');
  });

  it('explains a slow query: the seq scan on the large table, the slowest node and the estimate miss', async () => {
    const result = await reader.call('explain', {
      sql: 'SELECT * FROM events WHERE bucket = 7 AND id % 1000 = 7',
      analyze: true,
      buffers: true,
    });
    expect(result.isError).toBe(false);
    expect(result.text).toMatch(/slowest node \(by self time\): Seq Scan on public\.events/);
    expect(result.text).toMatch(
      /seq scans on large tables[^\n]*:\n\s+Seq Scan on public\.events \(~50000 rows\)/,
    );
    expect(result.text).toMatch(
      /row-estimate misses[^\n]*:\n\s+Seq Scan on public\.events: planned 1 rows, actual 50/,
    );
    const data = result.data as {
      summary: { analyzed: boolean; executionTimeMs: number; seqScansOnLargeTables: unknown[] };
      plan: unknown[];
    };
    expect(data.summary.analyzed).toBe(true);
    expect(typeof data.summary.executionTimeMs).toBe('number');
    expect(data.summary.seqScansOnLargeTables).toEqual([
      expect.objectContaining({ relation: 'public.events', estimatedTableRows: 50000 }),
    ]);
    expect(data.plan[0]).toHaveProperty('Plan');
  });

  it('explains without analyze from estimates, and plans a write without running it', async () => {
    const plain = await reader.call('explain', {
      sql: 'SELECT * FROM events WHERE payload = $$x$$',
    });
    expect(plain.isError).toBe(false);
    expect(plain.text).toMatch(/slowest node \(by self cost\): Seq Scan on public\.events/);
    const write = await writer.call('explain', { sql: 'DELETE FROM t WHERE id = 1' });
    expect(write.isError).toBe(false);
    expect(write.text).toContain('Delete');
    const analyzedWrite = await writer.call('explain', { sql: 'DELETE FROM t', analyze: true });
    expect(analyzedWrite.isError).toBe(true);
    expect(analyzedWrite.text).toMatch(/^refused: EXPLAIN ANALYZE accepts SELECT/);
    const rows = await database.admin.query('SELECT count(*)::int AS n FROM t');
    expect(rows.rows[0]).toEqual({ n: 3 });
  });

  it('describes the seeded tables, columns, indexes and the foreign key', async () => {
    const result = await reader.call('describe', { schema: 'public' });
    expect(result.isError).toBe(false);
    expect(result.text).toContain('schemas: public');
    expect(result.text).toMatch(/public\.events — table, ~50000 rows/);
    expect(result.text).toMatch(/name\s+text\s+not null/);
    expect(result.text).toMatch(
      /orders_customer_id_idx \([^)]*\): CREATE INDEX orders_customer_id_idx ON public\.orders/,
    );
    expect(result.text).toMatch(/customers_pkey \(primary key, /);
    expect(result.text).toMatch(
      /orders_customer_id_fkey \(foreign key\): FOREIGN KEY \(customer_id\) REFERENCES customers\(id\)/,
    );
    const data = result.data as { tables: { name: string }[] };
    expect(data.tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['customers', 'orders', 'events', 't', 'counter']),
    );

    const one = await reader.call('describe', { table: 'orders' });
    const tables = (one.data as { tables: { name: string; columns: { name: string }[] }[] }).tables;
    expect(tables.map((table) => table.name)).toEqual(['orders']);
    expect(tables[0]?.columns.map((column) => column.name)).toEqual([
      'id',
      'customer_id',
      'total',
      'status',
    ]);
  });

  it('reports the hit ratios, connections and whether pg_stat_statements is installed', async () => {
    await reader.call('query', { sql: 'SELECT count(*) FROM orders WHERE customer_id = 3' });
    const result = await reader.call('health', { limit: 5 });
    expect(result.isError).toBe(false);
    expect(result.text).toMatch(/^cache hit ratio: \d+\.\d\d%/);
    expect(result.text).toMatch(/index hit ratio: /);
    expect(result.text).toMatch(/connections: \d+ of max_connections \d+/);
    expect(result.text).toContain('bloat estimate (an estimate');
    const data = result.data as {
      databaseCacheHitRatio: number | null;
      pgStatStatements: { installed: boolean };
      tableScans: { table: string }[];
    };
    expect(typeof data.databaseCacheHitRatio).toBe('number');
    expect(data.tableScans.length).toBeGreaterThan(0);
    if (data.pgStatStatements.installed) {
      expect(result.text).toContain('pg_stat_statements');
    } else {
      expect(result.text).toContain(
        'pg_stat_statements is not installed: add it to shared_preload_libraries and CREATE EXTENSION pg_stat_statements',
      );
    }
  });

  it('finds an unused duplicate index in health', async () => {
    await database.admin.query('CREATE INDEX orders_customer_id_copy ON orders (customer_id)');
    const result = await reader.call('health', {});
    expect(result.text).toMatch(
      /orders\s+\|\s+\["orders_customer_id_copy","orders_customer_id_idx"\]/,
    );
    expect(result.text).toMatch(/unused indexes[\s\S]*orders_customer_id_copy/);
    await database.admin.query('DROP INDEX orders_customer_id_copy');
  });

  it('creates an index CONCURRENTLY with execute at the write grant', async () => {
    const result = await writer.call('execute', {
      sql: 'CREATE INDEX CONCURRENTLY events_bucket_idx ON events (bucket)',
    });
    expect(result.isError).toBe(false);
    expect(result.text).toBe('done: CREATE INDEX');
    const index = await database.admin.query(
      "SELECT i.indisvalid FROM pg_index i WHERE i.indexrelid = 'events_bucket_idx'::regclass",
    );
    expect(index.rows[0]).toEqual({ indisvalid: true });
    const plan = await reader.call('explain', { sql: 'SELECT * FROM events WHERE bucket = 7' });
    expect(plan.text).toContain('events_bucket_idx');
    await writer.call('execute', { sql: 'DROP INDEX CONCURRENTLY events_bucket_idx' });
  });

  it('returns the rows of INSERT … RETURNING and reports failures as tool errors', async () => {
    const inserted = await writer.call('execute', {
      sql: "INSERT INTO t VALUES (10, 'ten') RETURNING id, v",
    });
    expect(inserted.isError).toBe(false);
    expect(inserted.text).toContain('done: INSERT (1 row)');
    expect(inserted.data).toMatchObject({ rows: [[10, 'ten']], rowCount: 1 });
    const duplicate = await writer.call('execute', { sql: "INSERT INTO t VALUES (10, 'again')" });
    expect(duplicate.isError).toBe(true);
    expect(duplicate.text).toMatch(
      /^failed: duplicate key value violates unique constraint "t_pkey".*SQLSTATE 23505/,
    );
    const removed = await writer.call('execute', { sql: 'DELETE FROM t WHERE id = 10' });
    expect(removed.text).toBe('done: DELETE (1 row)');
  });

  it('leaves the connection clean after an error: the next call on it works, read-only', async () => {
    const single = await startPsqlServer(database.readerUrl, 'read', ['--pool-size', '1']);
    try {
      const failed = await single.call('query', { sql: 'SELECT 1 / 0' });
      expect(failed.isError).toBe(true);
      expect(failed.text).toMatch(/^failed: division by zero/);
      const missing = await single.call('query', { sql: 'SELECT * FROM no_such_table' });
      expect(missing.text).toMatch(/relation "no_such_table" does not exist.*at character 15/);
      const next = await single.call('query', {
        sql: "SELECT current_setting('transaction_read_only') AS ro, current_setting('application_name') AS app, pg_backend_pid() AS pid",
      });
      expect(next.isError).toBe(false);
      const row = (next.data as QueryData).rows[0];
      expect(row?.slice(0, 2)).toEqual(['on', 'cadre-psql']);
      const again = await single.call('query', { sql: 'SELECT pg_backend_pid() AS pid' });
      expect((again.data as QueryData).rows[0]?.[0]).toBe(row?.[2]);
      const sessions = await database.admin.query(
        "SELECT state FROM pg_stat_activity WHERE datname = $1 AND application_name = 'cadre-psql' AND pid = $2",
        [database.name, row?.[2]],
      );
      expect(sessions.rows).toEqual([{ state: 'idle' }]);
    } finally {
      await single.close();
    }
  });

  it('exits cleanly when its client goes away, printing only its startup notes', async () => {
    const server = await startPsqlServer(database.readerUrl, 'read');
    await server.call('query', { sql: 'SELECT 1' });
    await server.close();
    const lines = server.stderr().trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^cadre psql: /);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/runtime/run-event.js';
import { startPrivateRedis } from '../helpers/private-redis.js';
import { runCli } from '../helpers/run-cli.js';

const database = `cadre_live_${process.pid}_${Date.now()}`;
const adminUrl = 'postgres://postgres@127.0.0.1:5432/test';
const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
let folder = '';

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(
    'CREATE TABLE orders (id serial PRIMARY KEY, customer_note text, total numeric)',
  );
  await client.query(
    "INSERT INTO orders (customer_note, total) SELECT 'note ' || n, n FROM generate_series(1, 50000) AS n",
  );
  await client.query('ANALYZE orders');
  await client.end();
  folder = await mkdtemp(join(tmpdir(), 'cadre-live-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.end();
});

const slowQuery = "SELECT * FROM orders WHERE customer_note = 'note 49999'";

describe('a rehearsal of agents/esa with live tools', () => {
  it('gets real results: Layer #1 runs psql health and explain on a slow query, Layer #14 reads redis INFO', async () => {
    const script = join(folder, 'live.yaml');
    await writeFile(
      script,
      [
        'agents:',
        '  ceo:',
        "    - tools: [{ name: delegate_task, input: { to: chief-1, task: 'Why is the orders page slow?' } }]",
        "    - text: 'CEO: {{results}}'",
        '  chief-1:',
        "    - tools: [{ name: delegate_task, input: { to: domain-1, task: 'Check database and cache' } }]",
        "    - text: 'Chief: {{results}}'",
        '  domain-1:',
        '    - tools:',
        "        - { name: delegate_task, input: { to: layer-1, task: 'Explain the orders query' } }",
        "        - { name: delegate_task, input: { to: layer-14, task: 'Cache hit ratio' } }",
        "    - text: 'Domain: {{results}}'",
        '  layer-1:',
        '    - tools:',
        '        - { name: psql__health, input: {} }',
        `        - { name: psql__explain, input: { sql: "${slowQuery}", analyze: true } }`,
        "    - text: 'Layer 1: {{results}}'",
        '  layer-14:',
        '    - tools: [{ name: redis-cli__info, input: { section: stats } }]',
        "    - text: 'Layer 14: {{results}}'",
      ].join('\n'),
    );
    const result = await runCli(
      [
        'run',
        '--model',
        `rehearsal:${script}`,
        '--tools',
        'live',
        '--org',
        'agents/esa',
        '--json',
        'Why is the orders page slow?',
      ],
      undefined,
      {
        ANTHROPIC_API_KEY: '',
        DATABASE_URL: databaseUrl,
        REDIS_URL: 'redis://127.0.0.1:6379',
      },
    );
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent);
    const ends = events.flatMap((event) =>
      event.type === 'tool-call-end' && event.tool.includes('__') ? [event] : [],
    );
    expect(ends.map((event) => `${event.agent}:${event.tool}:${event.isError}`).sort()).toEqual([
      'layer-14:redis-cli__info:false',
      'layer-1:psql__explain:false',
      'layer-1:psql__health:false',
    ]);
    const explain = ends.find((event) => event.tool === 'psql__explain');
    expect(explain?.output).toMatch(/Seq Scan/i);
    expect(explain?.output).toContain('orders');
    const health = ends.find((event) => event.tool === 'psql__health');
    expect(health?.output).toMatch(/hit ratio/i);
    const info = ends.find((event) => event.tool === 'redis-cli__info');
    expect(info?.output).toMatch(/keyspace_hit_ratio|hit ratio/i);
    expect(info?.bytes).toBeGreaterThan(0);
  });
});

describe('cadre metrics', () => {
  it('runs the probes of agents/esa against the real targets and says met or missed', async () => {
    // A Redis just started has served no lookups, and its hit ratio is not defined yet: one
    // lookup (a miss) makes it a number, whatever order the tests run in.
    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
    await redis.connect();
    await redis.get(`cadre:metrics-test:${process.pid}`);
    await redis.quit();
    const result = await runCli(['metrics', 'agents/esa', '--json'], undefined, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    const report = JSON.parse(result.stdout) as {
      org: string;
      results: { agent: string; metric: string; value?: number; met?: boolean; error?: string }[];
    };
    expect(report.org).toBe('esa');
    const layer1 = report.results.find((entry) => entry.agent === 'layer-1');
    expect(layer1?.error).toBeUndefined();
    expect(typeof layer1?.value).toBe('number');
    expect(layer1?.met).toBe((layer1?.value ?? 0) > 95);
    for (const entry of report.results) expect(entry.error, entry.metric).toBeUndefined();
    expect(result.code).toBe(report.results.every((entry) => entry.met) ? 0 : 1);
  });

  it('says why a ratio has no value yet on a fresh Redis, and measures it after one lookup', async () => {
    const redis = await startPrivateRedis();
    try {
      const environment = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url };
      const fresh = await runCli(['metrics', 'agents/esa', '--json'], undefined, environment);
      const freshReport = JSON.parse(fresh.stdout) as {
        results: { agent: string; value?: number; met?: boolean; error?: string }[];
      };
      const cache = freshReport.results.filter((entry) => entry.agent === 'layer-14');
      expect(cache).toHaveLength(1);
      expect(cache[0]?.value).toBeUndefined();
      expect(cache[0]?.error).toContain("no number under 'keyspace_hit_ratio'");
      expect(cache[0]?.error).toContain('it is null: nothing to measure yet');
      expect(fresh.code).toBe(1);

      const client = new Redis(redis.url);
      await client.get('never-set');
      await client.quit();
      const after = await runCli(['metrics', 'agents/esa', '--json'], undefined, environment);
      const afterReport = JSON.parse(after.stdout) as typeof freshReport;
      const measured = afterReport.results.find((entry) => entry.agent === 'layer-14');
      // One lookup, a miss: 0 hits of 1.
      expect(measured).toMatchObject({ value: 0, met: false });
      expect(measured?.error).toBeUndefined();
    } finally {
      await redis.stop();
    }
  });

  it('says which variable is missing when a target cannot be reached', async () => {
    const result = await runCli(['metrics', 'agents/esa'], undefined, {
      DATABASE_URL: '',
      REDIS_URL: '',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('the environment variable DATABASE_URL is not set');
  });
});

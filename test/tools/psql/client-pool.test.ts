import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClientPool } from '../../../tools/psql/client-pool.js';
import type { ClientPoolOptions } from '../../../tools/psql/client-pool.js';
import { createPsqlTestDatabase } from './psql-test-database.js';
import type { PsqlTestDatabase } from './psql-test-database.js';

let database: PsqlTestDatabase;
const opened: ClientPool[] = [];
let poolCount = 0;

beforeAll(async () => {
  database = await createPsqlTestDatabase();
}, 20_000);

afterAll(async () => {
  await Promise.all(opened.map((pool) => pool.end()));
  await database?.drop();
});

/** A pool of reader connections, each carrying an application_name of its own pool. */
function open(options: Partial<ClientPoolOptions> = {}): { pool: ClientPool; name: string } {
  poolCount += 1;
  const name = `cadre-pool-${database.suffix}-${poolCount}`;
  const pool = new ClientPool({
    config: { connectionString: database.readerUrl, application_name: name },
    max: 2,
    idleTimeoutMs: 30_000,
    waitTimeoutMs: 5_000,
    ...options,
  });
  opened.push(pool);
  return { pool, name };
}

async function backendPid(client: pg.Client): Promise<number> {
  const result = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = result.rows[0]?.pid;
  if (pid === undefined) throw new Error('no backend pid');
  return pid;
}

/** The backends of one pool, as the server sees them. */
async function backendsOf(name: string): Promise<number[]> {
  const result = await database.admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid',
    [name],
  );
  return result.rows.map((row) => row.pid);
}

/** Polls `check` until it holds, for at most `withinMs`. */
async function eventually(check: () => Promise<boolean>, withinMs = 3_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not true within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Whether `promise` has settled after the pending I/O and timers of one turn have run. */
async function settledSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  return settled;
}

/** Whether a timer keeps the process alive: referenced, and neither fired nor cleared. */
function holdsProcess(timer: NodeJS.Timeout): boolean {
  // Node marks a timer that has fired or been cleared as destroyed.
  return timer.hasRef() && !(timer as unknown as { _destroyed: boolean })._destroyed;
}

describe('checking connections out and back in', () => {
  it('hands a returned connection out again: the same backend, no new connection', async () => {
    const { pool, name } = open();
    const first = await pool.acquire();
    const pid = await backendPid(first);
    pool.release(first);
    const second = await pool.acquire();
    expect(second).toBe(first);
    expect(await backendPid(second)).toBe(pid);
    pool.release(second);
    expect(await backendsOf(name)).toEqual([pid]);
  });

  it('hands out the most recently returned connection first', async () => {
    const { pool } = open();
    const a = await pool.acquire();
    const b = await pool.acquire();
    pool.release(a);
    pool.release(b);
    expect(await pool.acquire()).toBe(b);
    expect(await pool.acquire()).toBe(a);
    pool.release(a);
    pool.release(b);
  });

  it('sets no timer and adds no listener per checkout: one idle timer in all', async () => {
    const { pool } = open();
    const client = await pool.acquire();
    pool.release(client);
    const listeners = client.listenerCount('error') + client.listenerCount('end');
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    try {
      for (let use = 0; use < 100; use += 1) pool.release(await pool.acquire());
      expect(setTimeoutSpy).not.toHaveBeenCalled();
    } finally {
      setTimeoutSpy.mockRestore();
    }
    expect(client.listenerCount('error') + client.listenerCount('end')).toBe(listeners);
  });
});

describe('the cap on connections', () => {
  it('makes checkouts past the cap wait, then hands them a returned connection', async () => {
    const { pool, name } = open({ max: 2 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    const third = pool.acquire();
    expect(await settledSoon(third)).toBe(false);
    pool.release(b);
    await expect(third).resolves.toBe(b);
    expect((await backendsOf(name)).length).toBe(2);
    pool.release(a);
    pool.release(b);
  });

  it('runs more concurrent users than the cap on at most the cap of backends', async () => {
    const { pool, name } = open({ max: 3 });
    const pids = new Set<number>();
    let inUse = 0;
    let mostInUse = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const client = await pool.acquire();
        inUse += 1;
        mostInUse = Math.max(mostInUse, inUse);
        try {
          const result = await client.query<{ pid: number }>(
            'SELECT pg_backend_pid() AS pid, pg_sleep(0.05)',
          );
          pids.add(result.rows[0]?.pid ?? 0);
        } finally {
          inUse -= 1;
          pool.release(client);
        }
      }),
    );
    expect(mostInUse).toBe(3);
    expect(pids.size).toBe(3);
    expect((await backendsOf(name)).length).toBe(3);
  });

  it('fails a wait past the wait timeout with a clear error; the timed-out caller gets nothing later', async () => {
    const { pool } = open({ max: 1, waitTimeoutMs: 100 });
    const held = await pool.acquire();
    await expect(pool.acquire()).rejects.toThrow(
      'timed out waiting for a free database connection',
    );
    pool.release(held);
    // The connection went back to the pool, not to the caller who gave up.
    expect(await pool.acquire()).toBe(held);
    pool.release(held);
  });

  it('gives a waiter a new connection when a failed connection leaves the pool', async () => {
    const { pool, name } = open({ max: 1 });
    const held = await pool.acquire();
    const oldPid = await backendPid(held);
    const waiting = pool.acquire();
    pool.release(held, new Error('broken'));
    const fresh = await waiting;
    expect(fresh).not.toBe(held);
    const pid = await backendPid(fresh);
    expect(pid).not.toBe(oldPid);
    await eventually(async () => (await backendsOf(name)).length === 1);
    expect(await backendsOf(name)).toEqual([pid]);
    pool.release(fresh);
  });
});

describe('broken connections', () => {
  it('closes a connection handed back as broken instead of handing it out again', async () => {
    const { pool, name } = open();
    const client = await pool.acquire();
    const pid = await backendPid(client);
    pool.release(client, true);
    await eventually(async () => (await backendsOf(name)).length === 0);
    const next = await pool.acquire();
    expect(next).not.toBe(client);
    expect(await backendPid(next)).not.toBe(pid);
    pool.release(next);
  });

  it('replaces a connection terminated while in use: the next checkout works', async () => {
    const { pool } = open({ max: 1 });
    const client = await pool.acquire();
    const lost: Error[] = [];
    client.on('error', (error) => lost.push(error));
    const pid = await backendPid(client);
    await database.admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await expect(client.query('SELECT 1')).rejects.toThrow();
    pool.release(client, lost[0] ?? true);
    const next = await pool.acquire();
    expect(next).not.toBe(client);
    expect(await backendPid(next)).not.toBe(pid);
    pool.release(next);
  });

  it('drops a connection terminated while idle: it is not handed out again', async () => {
    const { pool } = open({ max: 1 });
    const client = await pool.acquire();
    const pid = await backendPid(client);
    pool.release(client);
    const ended = new Promise((resolve) => client.once('end', resolve));
    await database.admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await ended;
    const next = await pool.acquire();
    expect(next).not.toBe(client);
    const result = await next.query<{ one: number }>('SELECT 1 AS one');
    expect(result.rows).toEqual([{ one: 1 }]);
    pool.release(next);
  });
});

describe('idle connections', () => {
  it('closes a connection idle past the idle time, keeping the ones used since', async () => {
    const { pool, name } = open({ idleTimeoutMs: 600 });
    const older = await pool.acquire();
    const newer = await pool.acquire();
    const olderPid = await backendPid(older);
    const newerPid = await backendPid(newer);
    pool.release(older);
    await new Promise((resolve) => setTimeout(resolve, 300));
    pool.release(newer);
    // The older one expires 600 ms after its release, the newer one 300 ms after that.
    await eventually(async () => !(await backendsOf(name)).includes(olderPid));
    expect(await backendsOf(name)).toEqual([newerPid]);
    await eventually(async () => (await backendsOf(name)).length === 0);
    // A checkout after that connects again.
    const fresh = await pool.acquire();
    expect(await backendPid(fresh)).not.toBe(newerPid);
    pool.release(fresh);
  });
});

describe('connecting', () => {
  it('fails a connection the server refuses and frees its place for the next one', async () => {
    const pool = new ClientPool({
      config: { connectionString: `${database.readerUrl}_missing` },
      max: 1,
      idleTimeoutMs: 30_000,
      waitTimeoutMs: 5_000,
    });
    opened.push(pool);
    const first = pool.acquire();
    const second = pool.acquire();
    await expect(first).rejects.toThrow('does not exist');
    // The waiter gets a connection attempt of its own, not the wait timeout.
    await expect(second).rejects.toThrow('does not exist');
  });

  it('gives up on a server that does not answer after the connect timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const pool = new ClientPool({
      config: { host: '127.0.0.1', port, user: 'nobody', connectionTimeoutMillis: 150 },
      max: 1,
      idleTimeoutMs: 30_000,
      waitTimeoutMs: 5_000,
    });
    opened.push(pool);
    try {
      await expect(pool.acquire()).rejects.toThrow('timeout');
      await expect(pool.acquire()).rejects.toThrow('timeout');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('closing the pool', () => {
  it('ends idle connections at once and the ones in use when they come back', async () => {
    const { pool, name } = open();
    const idle = await pool.acquire();
    const inUse = await pool.acquire();
    const idlePid = await backendPid(idle);
    const inUsePid = await backendPid(inUse);
    pool.release(idle);
    await pool.end();
    await eventually(async () => !(await backendsOf(name)).includes(idlePid));
    // The user of a connection may finish its work; handing it back closes it.
    expect(await backendPid(inUse)).toBe(inUsePid);
    pool.release(inUse);
    await eventually(async () => (await backendsOf(name)).length === 0);
  });

  it('fails a waiting checkout at once and every later one with a clear error', async () => {
    const { pool } = open({ max: 1, waitTimeoutMs: 5_000 });
    const held = await pool.acquire();
    const waiting = pool.acquire();
    await pool.end();
    // At once, not at the 5 s wait timeout (which fails with another message).
    await expect(waiting).rejects.toThrow('the connection pool is closed');
    await expect(pool.acquire()).rejects.toThrow('the connection pool is closed');
    pool.release(held);
  });

  it('leaves no timer and no socket that would keep the process alive', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const clients: pg.Client[] = [];
    try {
      const { pool, name } = open({ max: 2, idleTimeoutMs: 30_000, waitTimeoutMs: 5_000 });
      const idle = await pool.acquire();
      const held = await pool.acquire();
      pool.release(idle);
      // All in use and one checkout waiting: the wait holds a timer, the connections sockets.
      const inUse = await pool.acquire();
      const waiting = pool.acquire();
      const failed = expect(waiting).rejects.toThrow('the connection pool is closed');
      clients.push(held, inUse);
      expect(setTimeoutSpy.mock.results.some((result) => holdsProcess(result.value))).toBe(true);
      await pool.end();
      await failed;
      pool.release(inUse);
      pool.release(held);
      // Both timers (the idle sweep, the wait) were set, and neither holds the process now.
      const timers = setTimeoutSpy.mock.results.map((result) => result.value as NodeJS.Timeout);
      expect(timers.length).toBeGreaterThanOrEqual(2);
      expect(timers.filter(holdsProcess)).toEqual([]);
      await eventually(async () => (await backendsOf(name)).length === 0);
    } finally {
      setTimeoutSpy.mockRestore();
    }
    await eventually(async () => clients.every((client) => client.connection.stream.destroyed));
  });
});

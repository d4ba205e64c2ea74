import pg from 'pg';

/** How a ClientPool connects and how long it keeps connections. */
export interface ClientPoolOptions {
  /** What each client connects with (pg's own options, connectionTimeoutMillis included). */
  config: pg.ClientConfig;
  /** The most connections open at once. */
  max: number;
  /** A connection idle this long is closed, in milliseconds. */
  idleTimeoutMs: number;
  /** The longest wait for a free connection when all are in use, in milliseconds. */
  waitTimeoutMs: number;
  /** Runs once per new connection, right after it connects (before its first use). */
  onConnect?: (client: pg.Client) => void;
}

interface Waiter {
  resolve: (client: pg.Client) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A small pool of pg clients: checking a client out and back in touches no timer and no event
 * (pg-pool arms an idle timer and swaps an error listener on every use); one timer, armed only
 * while some client is idle, closes the clients idle past `idleTimeoutMs`. A client that fails
 * while idle leaves the pool; one handed back as broken is closed.
 */
export class ClientPool {
  readonly #options: ClientPoolOptions;
  /** Every client the pool holds, idle or in use. */
  readonly #clients = new Set<pg.Client>();
  /** Idle clients, the most recently used last, with the time they became idle. */
  readonly #idle: { client: pg.Client; since: number }[] = [];
  readonly #waiters: Waiter[] = [];
  #connecting = 0;
  #sweep: NodeJS.Timeout | undefined;
  #ended = false;

  constructor(options: ClientPoolOptions) {
    this.#options = options;
  }

  /** A connected client for the caller alone, until `release`. */
  acquire(): Promise<pg.Client> {
    if (this.#ended) return Promise.reject(new Error('the connection pool is closed'));
    const idle = this.#idle.pop();
    if (idle) return Promise.resolve(idle.client);
    if (this.#clients.size + this.#connecting < this.#options.max) return this.#connect();
    return new Promise<pg.Client>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const at = this.#waiters.indexOf(waiter);
          if (at >= 0) this.#waiters.splice(at, 1);
          reject(new Error('timed out waiting for a free database connection'));
        }, this.#options.waitTimeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Hands a client back; a broken one (or any, once the pool is closed) is closed instead. */
  release(client: pg.Client, broken: Error | boolean = false): void {
    if (broken !== false || this.#ended || !this.#clients.has(client)) {
      this.#remove(client);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(client);
      return;
    }
    this.#idle.push({ client, since: Date.now() });
    this.#armSweep();
  }

  /** Closes every idle client now and every client in use when it comes back. */
  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#sweep);
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('the connection pool is closed'));
    }
    const closing = this.#idle.splice(0).map(({ client }) => this.#close(client));
    await Promise.all(closing);
  }

  async #connect(): Promise<pg.Client> {
    this.#connecting += 1;
    const client = new pg.Client(this.#options.config);
    // Errors of an idle client (the server went away): it leaves the pool. A client in use also
    // reports them to its user, who hands it back as broken.
    client.on('error', () => this.#remove(client));
    try {
      await client.connect();
      this.#options.onConnect?.(client);
    } catch (error) {
      this.#connecting -= 1;
      void client.end().catch(() => undefined);
      this.#serveWaiters();
      throw error;
    }
    this.#connecting -= 1;
    if (this.#ended) {
      void this.#close(client);
      throw new Error('the connection pool is closed');
    }
    this.#clients.add(client);
    return client;
  }

  #remove(client: pg.Client): void {
    const at = this.#idle.findIndex((entry) => entry.client === client);
    if (at >= 0) this.#idle.splice(at, 1);
    if (this.#clients.has(client)) void this.#close(client);
    this.#serveWaiters();
  }

  #close(client: pg.Client): Promise<void> {
    this.#clients.delete(client);
    return client.end().catch(() => undefined);
  }

  /** A waiter gets a new connection when one has left the pool. */
  #serveWaiters(): void {
    while (
      !this.#ended &&
      this.#waiters.length > 0 &&
      this.#clients.size + this.#connecting < this.#options.max
    ) {
      const waiter = this.#waiters.shift();
      if (!waiter) return;
      clearTimeout(waiter.timer);
      this.#connect().then(waiter.resolve, waiter.reject);
    }
  }

  /** One timer for all idle clients, at the earliest time one of them expires. */
  #armSweep(): void {
    if (this.#sweep !== undefined || this.#idle.length === 0) return;
    const oldest = Math.min(...this.#idle.map((entry) => entry.since));
    const delay = Math.max(0, oldest + this.#options.idleTimeoutMs - Date.now());
    this.#sweep = setTimeout(() => {
      this.#sweep = undefined;
      const expired = Date.now() - this.#options.idleTimeoutMs;
      for (const entry of this.#idle.filter((idle) => idle.since <= expired)) {
        this.#remove(entry.client);
      }
      this.#armSweep();
    }, delay);
    // Idle connections alone do not keep the process alive.
    this.#sweep.unref();
  }
}

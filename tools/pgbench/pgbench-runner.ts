import type { PgbenchConnection } from './connection-arguments.js';
import type { PgbenchBinary } from './find-pgbench.js';
import type { ChildOutcome } from './run-child.js';
import { runChild } from './run-child.js';

/** How one pgbench invocation runs: where, for how long, and whether read-only. */
export interface PgbenchInvocation {
  /** Options before the connection options (`-S -c 4 …`); the runner adds `-h -p -U` and the database. */
  arguments: string[];
  workingDirectory: string;
  deadlineMs: number;
  /** Sets `default_transaction_read_only=on` for every session pgbench opens. */
  readOnly: boolean;
  signal?: AbortSignal;
}

/**
 * Runs pgbench against the server's one target, one child at a time (a second benchmark
 * at the same time would skew both): connection options as separate arguments, the
 * password only in the child's environment, `statement_timeout` set to the deadline so
 * no query outlives the child, and every child stoppable when the server closes.
 */
export class PgbenchRunner {
  private running: { stop: () => void; done: Promise<ChildOutcome> } | undefined;

  constructor(
    readonly binary: PgbenchBinary,
    private readonly connection: PgbenchConnection,
    private readonly killGraceMs: number,
  ) {}

  /** Whether a pgbench child is running now. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** The full argument list for an invocation (options, connection, database). */
  commandArguments(options: readonly string[]): string[] {
    return [
      ...options,
      ...this.connection.arguments,
      ...(this.connection.database === undefined ? [] : [this.connection.database]),
    ];
  }

  /** The child's environment: nothing inherited but PATH, HOME and PGPASSFILE. */
  environment(readOnly: boolean, statementTimeoutMs: number): Record<string, string> {
    const inherited: Record<string, string> = {};
    for (const name of ['PATH', 'HOME', 'PGPASSFILE'] as const) {
      const value = process.env[name];
      if (value !== undefined) inherited[name] = value;
    }
    const sessionOptions = [
      this.connection.environment.PGOPTIONS,
      `-c statement_timeout=${Math.ceil(statementTimeoutMs)}`,
      readOnly ? '-c default_transaction_read_only=on' : undefined,
    ].filter((option) => option !== undefined && option !== '');
    return {
      ...inherited,
      LC_ALL: 'C',
      LANG: 'C',
      PGAPPNAME: 'cadre-pgbench',
      PGCONNECT_TIMEOUT: '10',
      ...this.connection.environment,
      PGOPTIONS: sessionOptions.join(' '),
    };
  }

  /** Runs one invocation; `busy` when another is still running. */
  async run(invocation: PgbenchInvocation): Promise<ChildOutcome | 'busy'> {
    if (this.running !== undefined) return 'busy';
    let stop: () => void = () => undefined;
    const done = runChild(this.binary.path, this.commandArguments(invocation.arguments), {
      environment: this.environment(invocation.readOnly, invocation.deadlineMs),
      workingDirectory: invocation.workingDirectory,
      deadlineMs: invocation.deadlineMs,
      killGraceMs: this.killGraceMs,
      ...(invocation.signal === undefined ? {} : { signal: invocation.signal }),
      onStarted: (stopChild) => {
        stop = stopChild;
      },
    });
    this.running = { stop: () => stop(), done };
    try {
      return await done;
    } finally {
      this.running = undefined;
    }
  }

  /** Stops the running child, if any (SIGTERM, then SIGKILL), and waits for it to end. */
  async stop(): Promise<void> {
    const running = this.running;
    if (running === undefined) return;
    running.stop();
    await running.done;
  }
}

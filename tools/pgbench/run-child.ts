import { execFile } from 'node:child_process';

/** How one pgbench child ended. */
export interface ChildOutcome {
  /** Exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whether it ran past its deadline and was stopped. */
  timedOut: boolean;
  /** Whether the caller cancelled it. */
  cancelled: boolean;
  /** Set when the binary could not be started at all (ENOENT, EACCES). */
  startError: NodeJS.ErrnoException | undefined;
}

/** Options for one child run. */
export interface ChildOptions {
  environment: Record<string, string>;
  workingDirectory: string;
  /** Wall-clock limit; past it the child gets SIGTERM, then SIGKILL after `killGraceMs`. */
  deadlineMs: number;
  killGraceMs: number;
  signal?: AbortSignal;
  /** Called with the kill function while the child runs, so a closing server can stop it. */
  onStarted?: (stop: () => void) => void;
}

const maxOutputBytes = 16 * 1024 * 1024;

/**
 * Runs a binary with an argument array through execFile (never a shell), bounded in time:
 * on overrun or cancellation it sends SIGTERM, then SIGKILL if the child is still there
 * after the grace period. Never rejects: every ending is described in the outcome.
 */
export function runChild(
  file: string,
  argumentsList: string[],
  options: ChildOptions,
): Promise<ChildOutcome> {
  return new Promise((resolveOutcome) => {
    let timedOut = false;
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const child = execFile(
      file,
      argumentsList,
      {
        env: options.environment,
        cwd: options.workingDirectory,
        encoding: 'utf8',
        maxBuffer: maxOutputBytes,
        windowsHide: true,
        shell: false,
      },
      (error, stdout, stderr) => {
        clearTimeout(deadlineTimer);
        if (killTimer !== undefined) clearTimeout(killTimer);
        options.signal?.removeEventListener('abort', onAbort);
        const failure = error as (NodeJS.ErrnoException & { code?: unknown }) | null;
        const startError =
          failure !== null && typeof failure.code === 'string' && child.pid === undefined
            ? failure
            : undefined;
        resolveOutcome({
          exitCode: child.exitCode,
          signal: child.signalCode,
          stdout: String(stdout),
          stderr: String(stderr),
          timedOut,
          cancelled,
          startError,
        });
      },
    );

    const stop = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      killTimer ??= setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, options.killGraceMs);
    };
    const deadlineTimer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.deadlineMs);
    const onAbort = (): void => {
      cancelled = true;
      stop();
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    options.onStarted?.(stop);
  });
}

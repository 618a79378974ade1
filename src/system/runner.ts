import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Each line of output as it comes, e.g. to log it. */
  onLine?(line: string, stream: 'stdout' | 'stderr'): void;
  /** Ends the process, and every process it started, after this long. */
  timeoutMs?: number;
}

export interface RunResult {
  /** null when the process was ended by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Whether the process was ended because it ran past `timeoutMs`. */
  timedOut?: boolean;
}

/**
 * Runs other programs. Every process the product starts goes through this interface, so what runs
 * (docker, pip, npm, hooks) is decided by pure code and started in one place.
 */
export interface CommandRunner {
  /** Runs `argv[0]` with the rest as its arguments; no shell is involved. */
  run(argv: readonly string[], options: RunOptions): Promise<RunResult>;
  /** Runs a shell command line. Only for s.yaml hooks, which are shell commands by definition. */
  shell(command: string, options: RunOptions): Promise<RunResult>;
}

/** Starts real processes. Rejects only when the program cannot be started at all. */
export const processRunner: CommandRunner = {
  run: ([file, ...args], options) => {
    if (file === undefined) return Promise.reject(new Error('No program to run: the command is empty.'));
    return start(file, args, false, options);
  },
  shell: (command, options) => start(command, [], true, options),
};

function start(file: string, args: string[], shell: boolean, options: RunOptions): Promise<RunResult> {
  return new Promise((done, fail) => {
    const timed = options.timeoutMs !== undefined;
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      shell,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout also ends what it started (pip's build backends, npm scripts).
      detached: timed,
    });
    const streams = [
      [child.stdout, 'stdout'],
      [child.stderr, 'stderr'],
    ] as const;
    for (const [stream, name] of streams) {
      createInterface({ input: stream }).on('line', (line) => options.onLine?.(line, name));
    }
    let timedOut = false;
    const timer = timed
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }, options.timeoutMs)
      : undefined;
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      done(timed ? { exitCode, signal, timedOut } : { exitCode, signal });
    });
  });
}

import type { SourcePosition } from './config/types.js';

/**
 * Everything the product prints goes through a Logger, so the same core runs under the Actions runner
 * (workflow commands: annotations, groups, masks) and in the CLI (plain lines on stderr/stdout).
 */
export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  /** Something the user should act on that is not a problem with this run (an annotation in Actions). */
  notice(message: string): void;
  warning(message: string, position?: SourcePosition): void;
  error(message: string, position?: SourcePosition): void;
  /** Folds the output of `fn` under a title. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Hides `value` from every later line of output. */
  setSecret(value: string): void;
}

type Entry =
  | { kind: 'info' | 'debug' | 'notice' | 'warning' | 'error'; message: string; position?: SourcePosition }
  | { kind: 'group'; title: string; entries: Entry[] };

/**
 * Holds back a task's output and replays it in one piece. Resources deploying in parallel would
 * otherwise interleave their lines and break the log's groups. Masks pass through at once.
 */
export class BufferedLogger implements Logger {
  private readonly entries: Entry[] = [];
  private current = this.entries;

  constructor(private readonly target: Logger) {}

  info(message: string): void {
    this.current.push({ kind: 'info', message });
  }
  debug(message: string): void {
    this.current.push({ kind: 'debug', message });
  }
  notice(message: string): void {
    this.current.push({ kind: 'notice', message });
  }
  warning(message: string, position?: SourcePosition): void {
    this.current.push({ kind: 'warning', message, position });
  }
  error(message: string, position?: SourcePosition): void {
    this.current.push({ kind: 'error', message, position });
  }
  setSecret(value: string): void {
    this.target.setSecret(value);
  }

  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const outer = this.current;
    const group: Entry = { kind: 'group', title, entries: [] };
    outer.push(group);
    this.current = group.entries;
    try {
      return await fn();
    } finally {
      this.current = outer;
    }
  }

  /** Writes everything held so far to the target logger. */
  async flush(): Promise<void> {
    await replay(this.target, this.entries.splice(0));
  }
}

async function replay(logger: Logger, entries: readonly Entry[]): Promise<void> {
  for (const entry of entries) {
    if (entry.kind === 'group') await logger.group(entry.title, () => replay(logger, entry.entries));
    else if (entry.kind === 'warning' || entry.kind === 'error')
      logger[entry.kind](entry.message, entry.position);
    else logger[entry.kind](entry.message);
  }
}

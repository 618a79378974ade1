/** The options of `logs` (CLI flags; the action runs it with the defaults). */
export interface LogsOptions {
  /** How far back to read, in ms. */
  sinceMs: number;
  version?: string;
  endpoint?: string;
  /** SLS search syntax, ANDed with the runtime, version and endpoint. */
  query?: string;
  /** Keep reading new lines until interrupted. */
  follow: boolean;
}

export const DEFAULT_LOGS_OPTIONS: LogsOptions = { sinceMs: 15 * 60_000, follow: false };

import type { SourcePosition } from './config/types.js';

/**
 * Everything the product prints goes through a Logger, so the same core runs under the Actions runner
 * (workflow commands: annotations, groups, masks) and in the CLI (plain lines on stderr/stdout).
 */
export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string, position?: SourcePosition): void;
  error(message: string, position?: SourcePosition): void;
  /** Folds the output of `fn` under a title. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Hides `value` from every later line of output. */
  setSecret(value: string): void;
}

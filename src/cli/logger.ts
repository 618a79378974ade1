import type { Logger } from '../log.js';
import { redact } from '../secrets.js';
import { PLAIN, type Style } from './style.js';

/** A Logger that can also mask text written elsewhere, e.g. results on stdout. */
export interface ConsoleLogger extends Logger {
  redact(text: string): string;
}

/**
 * Logger for a terminal or another CI system: plain lines on stderr (stdout is kept for results),
 * `file:line:col: error: …` like a compiler, and secrets replaced by `***` as the Actions runner would.
 */
export function createConsoleLogger(options: {
  debug?: boolean;
  write: (line: string) => void;
  style?: Style;
  /** Rewords warnings and errors, e.g. the action's input names as the CLI's options. */
  rephrase?: (message: string) => string;
}): ConsoleLogger {
  const rephrase = options.rephrase ?? ((message: string) => message);
  const style = options.style ?? PLAIN;
  const secrets = new Set<string>();
  const say = (line: string) => options.write(redact(line, secrets));
  const located = (
    severity: string,
    message: string,
    position?: { file: string; line: number; col: number },
  ) =>
    say(
      position
        ? `${position.file}:${position.line}:${position.col}: ${severity}: ${message}`
        : `${severity}: ${message}`,
    );
  return {
    info: say,
    debug: (message) => options.debug && say(style.dim(`debug: ${message}`)),
    notice: (message) => say(`${style.bold('notice')}: ${rephrase(message)}`),
    warning: (message, position) => located(style.yellow('warning'), rephrase(message), position),
    error: (message, position) => located(style.red('error'), rephrase(message), position),
    async group(title, fn) {
      say(style.bold(`▸ ${title}`));
      return fn();
    },
    setSecret: (value) => void secrets.add(value),
    redact: (text) => redact(text, secrets),
  };
}

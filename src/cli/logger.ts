import type { Logger } from '../log.js';
import { redact } from '../secrets.js';

/**
 * Logger for a terminal or another CI system: plain lines on stderr (stdout is kept for results),
 * `file:line:col: error: …` like a compiler, and secrets replaced by `***` as the Actions runner would.
 */
export function createConsoleLogger(
  options: { debug?: boolean; write?: (line: string) => void } = {},
): Logger {
  const secrets = new Set<string>();
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const say = (line: string) => write(redact(line, secrets));
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
    debug: (message) => options.debug && say(`debug: ${message}`),
    warning: (message, position) => located('warning', message, position),
    error: (message, position) => located('error', message, position),
    async group(title, fn) {
      say(`▸ ${title}`);
      return fn();
    },
    setSecret: (value) => void secrets.add(value),
  };
}

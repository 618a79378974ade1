/**
 * The one line of an agent's output that says why it failed: the exception line of a Python or
 * Node.js traceback, else the last line that reads as an error, else the last non-empty line.
 */

/** `ValueError: …`, `json.decoder.JSONDecodeError: …`, `TypeError [ERR_X]: …`, `KeyError` alone. */
const EXCEPTION =
  /^\s*(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Exit|Interrupt|Warning)\b(?:\s*\[[\w-]+\])?(?::.*)?$/;
/** A line that says it is an error: `Error: …`, `error: …`, `FATAL …`, `panic: …`. */
const ERROR_LINE = /(^|\s|\])(error|fatal|panic)\b[:\s]/i;
/** Stack frames and the traceback header, which name where, not what. */
const FRAME = /^\s*(at\s|File\s"|Traceback \(most recent call last\)|\^+\s*$|~+\s*$)/;

/** The decisive line of `lines` (oldest first), trimmed; undefined when all are empty. */
export function decisiveLine(lines: string[]): string | undefined {
  const candidates = lines.map((line) => line.trim()).filter((line) => line !== '');
  const last = (test: (line: string) => boolean) => [...candidates].reverse().find(test);
  return (
    last((line) => EXCEPTION.test(line) && !FRAME.test(line)) ??
    last((line) => ERROR_LINE.test(line) && !FRAME.test(line)) ??
    candidates.at(-1)
  );
}

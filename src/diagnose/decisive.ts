/**
 * The one line of an agent's output that says why it failed. A crash prints many lines, and the first
 * (`Traceback (most recent call last):`) or the last frame says nothing; the exception line does. The
 * pick is what an annotation, a job summary or a PR comment shows; the whole tail goes to the log.
 */

/** Python's last traceback line: `ModuleNotFoundError: No module named 'x'`, `foo.BarError: …`. */
const PYTHON_EXCEPTION = /^(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Interrupt)(?::|$)/;
/** Node's thrown error: `Error: …`, `TypeError: …`, `Uncaught RangeError …`, `[ERR_X]: …`. */
const NODE_ERROR = /^(?:Uncaught )?(?:[A-Z]\w*)?Error(?: \[\w+\])?: /;
/** Lines that frame a stack rather than state the error. */
const STACK_FRAME =
  /^(?:at |File "|Traceback \(most recent call last\)|\^+$|~+$|During handling of|The above exception)/;
/** Prefixes our emulator and AgentRun put before an agent's output. */
const OUTPUT_PREFIX = /^.*?\bstderr:\s*/;

/**
 * The decisive line of `lines` (an agent's stderr, a status reason, log lines fetched from SLS): the
 * last exception line of a Python traceback, else the last Node `Error:` line, else the last non-empty
 * line that is not a stack frame, else the last non-empty line. Empty when every line is blank.
 */
export function decisiveLine(lines: readonly string[]): string {
  const candidates = lines
    .map((line) => line.replace(OUTPUT_PREFIX, '').trim())
    .filter((line) => line !== '');
  const last = (test: (line: string) => boolean) => candidates.findLast(test);
  return (
    last((line) => PYTHON_EXCEPTION.test(line)) ??
    last((line) => NODE_ERROR.test(line)) ??
    last((line) => !STACK_FRAME.test(line)) ??
    candidates.at(-1) ??
    ''
  );
}

/** The lines of a multi-line text (`\n`, `\r\n` or `\r`). */
export function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** A reason as people see it: its decisive line, or the text itself when it is one line already. */
export function decisiveReason(text: string): string {
  const lines = linesOf(text).filter((line) => line.trim() !== '');
  return lines.length <= 1 ? text.trim() : decisiveLine(lines);
}

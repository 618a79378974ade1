import { ConfigError } from './config/types.js';

/**
 * The one-line message a failed run ends with. Every error the product raises on purpose carries an
 * actionable message; anything else is a bug, reported with its message but never a stack trace.
 */
export function failureMessage(error: unknown): string {
  if (error instanceof ConfigError) {
    // Each problem was already reported on its own line (an annotation in Actions).
    const errors = error.problems.filter((problem) => problem.severity === 'error').length;
    return `The configuration has ${errors} problem${errors === 1 ? '' : 's'}; each is reported above.`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

import { WaitError } from '../agentrun/wait.js';
import type { Logger } from '../log.js';
import { linesOf } from './decisive.js';

/**
 * Folds the whole status reason of a runtime or endpoint that failed (an agent's last output, whose
 * decisive line the error message carries) into the log, so nothing is lost by showing one line.
 */
export async function logFailureOutput(logger: Logger, error: unknown): Promise<void> {
  if (!(error instanceof WaitError) || !error.statusReason) return;
  const lines = linesOf(error.statusReason.trimEnd());
  if (lines.length <= 1) return;
  await logger.group(`${error.subject}: its last output`, async () => {
    for (const line of lines) logger.info(line);
  });
}

import { AgentRunError, type AgentRunErrorKind } from '../agentrun/errors.js';

/** How many times a deploy reads and decides again after losing a race with another job. */
export const MAX_RACES = 3;

/**
 * Runs `attempt` until it succeeds. A race lost to another job — an error of one of `kinds`, such as a
 * runtime it created first or an operation it started — lets `recover` prepare the next attempt, up
 * to MAX_RACES attempts in all; any other error ends it at once.
 */
export async function retryingRaces<T>(
  kinds: readonly AgentRunErrorKind[],
  attempt: () => Promise<T>,
  recover?: (error: AgentRunError) => Promise<void>,
): Promise<T> {
  for (let race = 1; ; race++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof AgentRunError && kinds.includes(error.kind)) || race >= MAX_RACES) throw error;
      await recover?.(error);
    }
  }
}

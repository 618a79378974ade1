import type { Clock } from '../system/clock.js';
import { AgentRunError } from './errors.js';

export interface RetryPolicy {
  /** Total attempts, the first one included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 15_000 };

export interface RetryDeps {
  clock: Pick<Clock, 'sleep'>;
  random(): number;
}

/**
 * "Full jitter" exponential backoff: a random delay in [0, min(max, base·2^n)], so that many jobs
 * throttled together do not retry in lockstep.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}

/**
 * Runs `call` until it succeeds, fails with a non-retryable error, or the attempts run out.
 * `beforeRetry` runs before each repeat and may return a result instead, which is how a create whose
 * response was lost finds the resource it already made instead of making a second one.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps,
  hooks: {
    beforeRetry?: () => Promise<T | undefined>;
    onRetry?: (error: AgentRunError, delayMs: number) => void;
  } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof AgentRunError) || !error.retryable || attempt >= policy.attempts) throw error;
      const delay = backoffDelay(policy, attempt - 1, deps.random);
      hooks.onRetry?.(error, delay);
      await deps.clock.sleep(delay);
      const found = await hooks.beforeRetry?.();
      if (found !== undefined) return found;
    }
  }
}

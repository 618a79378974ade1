/**
 * Time as the product sees it. Waits, retry backoffs and rollout bakes all read and sleep through one
 * Clock, so tests drive them without waiting on the wall clock.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

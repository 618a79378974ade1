import { decisiveReason } from '../diagnose/decisive.js';
import { systemClock, type Clock } from '../system/clock.js';
import type { AgentRunApi, Endpoint, Runtime } from './api.js';
import { SERVICE } from './service.js';

export interface WaitOptions {
  timeoutMs: number;
  clock?: Clock;
  /** Jitter source; `Math.random` unless a test pins it. */
  random?: () => number;
  /** Called with each observed state, e.g. for an "Endpoint production: CREATING (1.2 s)" progress line. */
  onProgress?: (subject: string, status: string, elapsedMs: number) => void;
}

/**
 * A runtime or endpoint that reached a failed state, or (`timedOut`) did not become ready in time. The
 * message holds the decisive line of the status reason; `statusReason` holds all of it, for the log.
 */
export class WaitError extends Error {
  constructor(
    message: string,
    readonly status: string,
    readonly statusReason: string | undefined,
    readonly timedOut: boolean,
    /** What was waited for, e.g. `Agent runtime support-agent`. */
    readonly subject: string,
  ) {
    super(message);
    this.name = 'WaitError';
  }
}

/**
 * Polling: every 250 ms for the first 15 s, when most transitions end, so READY is seen within a
 * quarter second of happening; then half again longer each time up to 5 s for long ones. Each interval
 * varies by ±20% so that parallel deploys do not poll in lockstep, and none is shorter than 200 ms:
 * one wait makes at most 5 requests a second, `parallel` waits at most 5 × parallel.
 */
const POLL = { intervalMs: 250, fastForMs: 15_000, growth: 1.5, maxIntervalMs: 5_000, jitter: 0.2 };

/** The pause before the next poll, `elapsedMs` into a wait. */
export function pollInterval(elapsedMs: number, previousMs: number, random: () => number): number {
  const base =
    elapsedMs < POLL.fastForMs ? POLL.intervalMs : Math.min(POLL.maxIntervalMs, previousMs * POLL.growth);
  return base * (1 + POLL.jitter * (2 * random() - 1));
}

/**
 * Whether a runtime or endpoint status is a failed one. Runtimes report CREATE_FAILED/UPDATE_FAILED/
 * DELETE_FAILED; documentation examples also show bare FAILED.
 */
export const isFailed = (status: string | undefined): boolean =>
  status !== undefined && /(^|_)FAILED$/.test(status);

/** Polls a runtime until it is READY; throws WaitError with `statusReason` on a failed state or timeout. */
export async function waitForRuntime(
  client: Pick<AgentRunApi, 'getRuntime'>,
  runtimeId: string,
  options: WaitOptions,
): Promise<Runtime> {
  return poll(
    () => client.getRuntime(runtimeId),
    (runtime) => runtime.status === 'READY',
    (runtime) => `Agent runtime ${runtime.agentRuntimeName}`,
    options,
  );
}

/** An endpoint serves when it is in a serving state (see SERVICE.endpointServing) and has a URL. */
export function isEndpointServing(endpoint: Endpoint): boolean {
  const serving: readonly string[] = SERVICE.endpointServing;
  return serving.includes(endpoint.status ?? '') && Boolean(endpoint.endpointPublicUrl);
}

/** Polls an endpoint until it serves. */
export async function waitForEndpoint(
  client: Pick<AgentRunApi, 'getEndpoint'>,
  runtimeId: string,
  endpointId: string,
  options: WaitOptions,
): Promise<Endpoint> {
  return poll(
    () => client.getEndpoint(runtimeId, endpointId),
    isEndpointServing,
    (endpoint) => `Endpoint ${endpoint.agentRuntimeEndpointName}`,
    options,
  );
}

async function poll<T extends { status?: string; statusReason?: string }>(
  fetch: () => Promise<T>,
  isReady: (value: T) => boolean,
  describe: (value: T) => string,
  { timeoutMs, clock = systemClock, random = Math.random, onProgress }: WaitOptions,
): Promise<T> {
  const start = clock.now();
  for (let interval = POLL.intervalMs; ;) {
    const value = await fetch();
    const status = value.status ?? 'UNKNOWN';
    const elapsed = clock.now() - start;
    onProgress?.(describe(value), status, elapsed);
    if (isReady(value)) return value;
    if (isFailed(value.status)) {
      throw new WaitError(
        `${describe(value)} is ${status}: ${value.statusReason ? decisiveReason(value.statusReason) : 'no reason given'}`,
        status,
        value.statusReason,
        false,
        describe(value),
      );
    }
    if (elapsed >= timeoutMs) {
      throw new WaitError(
        `${describe(value)} is still ${status} after ${Math.round(elapsed / 1000)} s (timeout ${Math.round(timeoutMs / 1000)} s). ` +
          'Raise the `wait-timeout` input, or check the runtime in the AgentRun console.',
        status,
        value.statusReason,
        true,
        describe(value),
      );
    }
    interval = pollInterval(elapsed, interval, random);
    await clock.sleep(Math.min(interval, Math.max(0, timeoutMs - elapsed)));
  }
}

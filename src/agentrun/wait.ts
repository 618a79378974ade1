import { systemClock, type Clock } from '../system/clock.js';
import type { AgentRunApi, Endpoint, Runtime } from './api.js';
import { SERVICE } from './service.js';

export interface WaitOptions {
  timeoutMs: number;
  /** Polls start fast (most transitions take seconds) and slow down to this interval. */
  maxIntervalMs: number;
  clock?: Clock;
  /** Called with each observed state, e.g. for an "Endpoint production: CREATING (1.2 s)" progress line. */
  onProgress?: (subject: string, status: string, elapsedMs: number) => void;
}

/** A runtime or endpoint that reached a failed state, or (`timedOut`) did not become ready in time. */
export class WaitError extends Error {
  constructor(
    message: string,
    readonly status: string,
    readonly statusReason: string | undefined,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'WaitError';
  }
}

const FIRST_INTERVAL_MS = 250;

/**
 * Whether a runtime or endpoint status is a failed one. Runtimes report CREATE_FAILED/UPDATE_FAILED/
 * DELETE_FAILED; documentation examples also show bare FAILED.
 */
export const isFailed = (status: string | undefined): boolean =>
  status !== undefined && /(^|_)FAILED$/.test(status);

/** Polls a runtime until it is READY; throws WaitError with `statusReason` on a failed state or timeout. */
export async function waitForRuntime(
  client: AgentRunApi,
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
  client: AgentRunApi,
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
  { timeoutMs, maxIntervalMs, clock = systemClock, onProgress }: WaitOptions,
): Promise<T> {
  const start = clock.now();
  for (let interval = FIRST_INTERVAL_MS; ; interval = Math.min(maxIntervalMs, interval * 2)) {
    const value = await fetch();
    const status = value.status ?? 'UNKNOWN';
    const elapsed = clock.now() - start;
    onProgress?.(describe(value), status, elapsed);
    if (isReady(value)) return value;
    if (isFailed(value.status)) {
      throw new WaitError(
        `${describe(value)} is ${status}: ${value.statusReason || 'no reason given'}`,
        status,
        value.statusReason,
        false,
      );
    }
    if (elapsed >= timeoutMs) {
      throw new WaitError(
        `${describe(value)} is still ${status} after ${Math.round(elapsed / 1000)} s (timeout ${Math.round(timeoutMs / 1000)} s). ` +
          'Raise the `timeout` input, or check the runtime in the AgentRun console.',
        status,
        value.statusReason,
        true,
      );
    }
    await clock.sleep(Math.min(interval, Math.max(0, timeoutMs - elapsed)));
  }
}

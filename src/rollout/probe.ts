/**
 * Health probes: HTTP requests at a steady rate to one endpoint for a bake, paced by the Clock, and
 * what they measured. Latency is measured on the real request, which no clock can shorten.
 */
import type { Clock } from '../system/clock.js';
import type { ProbeOptions } from './options.js';

/** One probe's outcome. */
export interface ProbeSample {
  ok: boolean;
  latencyMs: number;
  status?: number;
  /** Why a failed probe failed: status and start of the body, or the network error. */
  failure?: string;
}

/** What one endpoint showed during one bake. */
export interface ProbeStats {
  /** `candidate` or `production`. */
  endpoint: string;
  url: string;
  count: number;
  successes: number;
  /** successes / count; 0 when nothing completed (no data is never a pass). */
  successRate: number;
  p50Ms: number;
  p95Ms: number;
  maxConsecutiveFailures: number;
  /** Up to three failing answers, oldest first. */
  sampleFailures: string[];
}

const SAMPLE_FAILURES = 3;
const BODY_EXCERPT = 200;

/**
 * Probes `url` at `options.rps` for `durationMs` of `clock` time and returns the statistics. Stops
 * early once `stop()` says so (e.g. a gate has already failed).
 */
export async function probeEndpoint(
  endpoint: string,
  url: string,
  options: ProbeOptions,
  durationMs: number,
  clock: Clock,
  stop: (samples: readonly ProbeSample[]) => boolean = () => false,
): Promise<ProbeStats> {
  const target = `${url.replace(/\/$/, '')}${options.path === '/' ? '' : options.path}`;
  const intervalMs = 1000 / options.rps;
  const started = clock.now();
  const samples: ProbeSample[] = [];
  const inFlight: Promise<void>[] = [];
  for (let i = 0; ; i++) {
    const due = started + i * intervalMs;
    if (due - started >= durationMs || stop(samples)) break;
    const wait = due - clock.now();
    if (wait > 0) await clock.sleep(wait);
    const index = i;
    inFlight.push(
      sendProbe(target, options).then((sample) => {
        samples[index] = sample;
      }),
    );
  }
  await Promise.all(inFlight);
  return summarize(endpoint, url, samples.filter(Boolean));
}

/** Sends one probe and judges the answer. */
export async function sendProbe(url: string, options: ProbeOptions): Promise<ProbeSample> {
  const begin = performance.now();
  const elapsed = () => Math.round((performance.now() - begin) * 10) / 10;
  try {
    const response = await fetch(url, {
      method: options.method,
      headers: { ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: options.method === 'GET' || options.method === 'HEAD' ? undefined : options.body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const body = await response.text();
    const latencyMs = elapsed();
    const problem = judge(response.status, body, options);
    return problem
      ? { ok: false, latencyMs, status: response.status, failure: problem }
      : { ok: true, latencyMs, status: response.status };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return {
      ok: false,
      latencyMs: elapsed(),
      failure: timedOut ? `no answer within ${options.timeoutMs} ms` : `request failed: ${describe(error)}`,
    };
  }
}

/** Why an answer is not healthy, or undefined when it is. */
export function judge(
  status: number,
  body: string,
  options: Pick<ProbeOptions, 'expectStatus' | 'expectBody'>,
): string | undefined {
  const { codes, classes } = options.expectStatus;
  const excerpt = body.length > BODY_EXCERPT ? `${body.slice(0, BODY_EXCERPT)}…` : body;
  if (!codes.includes(status) && !classes.includes(Math.floor(status / 100))) {
    return `HTTP ${status}: ${excerpt}`;
  }
  const expected = options.expectBody;
  if (expected === undefined) return undefined;
  if (expected.startsWith('$')) {
    const problem = checkJsonPath(body, expected);
    return problem && `HTTP ${status}, ${problem}: ${excerpt}`;
  }
  return body.includes(expected)
    ? undefined
    : `HTTP ${status}, body lacks ${JSON.stringify(expected)}: ${excerpt}`;
}

/** `$.a.b[0]` must exist (and not be null); `$.a.b=value` must equal value as text. */
function checkJsonPath(body: string, expression: string): string | undefined {
  const [path = '', expected] = expression.split(/=(.*)/s, 2);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return `body is not JSON for ${path}`;
  }
  for (const key of path.replace(/^\$\.?/, '').match(/[^.[\]]+/g) ?? []) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (value === undefined || value === null) return `${path} is missing`;
  if (expected === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === expected ? undefined : `${path} is ${text}, not ${expected}`;
}

/** Statistics of samples in the order they were sent. */
export function summarize(endpoint: string, url: string, samples: readonly ProbeSample[]): ProbeStats {
  const successes = samples.filter((s) => s.ok).length;
  const latencies = samples.map((s) => s.latencyMs).sort((a, b) => a - b);
  let run = 0;
  let maxRun = 0;
  for (const sample of samples) {
    run = sample.ok ? 0 : run + 1;
    maxRun = Math.max(maxRun, run);
  }
  return {
    endpoint,
    url,
    count: samples.length,
    successes,
    successRate: samples.length ? successes / samples.length : 0,
    p50Ms: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    maxConsecutiveFailures: maxRun,
    sampleFailures: samples.flatMap((s) => s.failure ?? []).slice(0, SAMPLE_FAILURES),
  };
}

/** Nearest-rank percentile of sorted values; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

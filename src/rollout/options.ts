/**
 * The rollout's inputs, parsed and checked before anything is deployed: a bad gate discovered after
 * traffic has shifted is the failure mode rollout controllers are known for.
 */
import { InputError, parseDuration, parseList, parsePositiveInteger } from '../inputs.js';

export const Strategy = { direct: 'direct', canary: 'canary' } as const;
export type Strategy = (typeof Strategy)[keyof typeof Strategy];

export const CanaryMode = { auto: 'auto', manual: 'manual' } as const;
export type CanaryMode = (typeof CanaryMode)[keyof typeof CanaryMode];

/** How a probe is sent and what counts as a good answer. */
export interface ProbeOptions {
  path: string;
  method: string;
  body?: string;
  headers: Record<string, string>;
  /** Accepted statuses: exact codes or whole classes (`2` for 2xx). */
  expectStatus: { codes: number[]; classes: number[] };
  /** A substring of the body, or a JSON path (`$.a.b`, optionally `=value`) that must hold. */
  expectBody?: string;
  /** Probes per second, per endpoint. */
  rps: number;
  /** A probe without an answer after this long is a failure. */
  timeoutMs: number;
}

/** What a stage must show to pass. */
export interface GateOptions {
  minSuccessRate: number;
  /** Upper bound of the p95 latency. */
  maxLatencyMs: number;
  /** A stage fails at this many failed probes in a row. */
  maxConsecutiveFailures: number;
  /** A command run after each bake; exit code 0 passes. */
  command?: string;
  /** The logstore query that finds the candidate's error lines during a bake. */
  logsQuery: string;
  /** A stage fails above this many error lines of the candidate. */
  maxErrorLogs: number;
}

/** Everything `strategy: canary` and the rollout commands run with. */
export interface RolloutOptions {
  strategy: Strategy;
  /** Percent of production traffic for the candidate at each stage, ascending, ending at 100. */
  steps: number[];
  /** How long each stage bakes. */
  intervalMs: number;
  mode: CanaryMode;
  canaryEndpoint: string;
  /** Empty: the s.yaml's first endpoint without weights. */
  productionEndpoint?: string;
  /** Where `promote` goes: the next stage, a percent, or `full`. */
  promoteTo: 'next' | 'full' | number;
  probe: ProbeOptions;
  gates: GateOptions;
  /** The raw value of every rollout input, defaults applied: what a rollout records of its gates. */
  inputs: Record<RolloutInputName, string>;
  /** The inputs this run was given explicitly: they override what the rollout recorded. */
  given: ReadonlySet<RolloutInputName>;
}

/** The raw rollout inputs, by their action.yml names. */
export const ROLLOUT_INPUT_DEFAULTS = {
  strategy: 'direct',
  'canary-steps': '10,30,50,100',
  'canary-interval': '60s',
  'canary-mode': 'auto',
  'canary-endpoint': 'canary',
  'production-endpoint': '',
  'promote-to': 'next',
  'probe-path': '/',
  'probe-method': 'POST',
  'probe-body': '{}',
  'probe-headers': '',
  'probe-expect-status': '2xx',
  'probe-expect-body': '',
  'probe-rps': '5',
  'probe-timeout': '10s',
  'min-success-rate': '0.99',
  'max-latency': '2s',
  'max-consecutive-failures': '3',
  'gate-command': '',
  'gate-logs-query': 'Traceback or Error or Exception or Uncaught',
  'max-error-logs': '0',
} as const;
export type RolloutInputName = keyof typeof ROLLOUT_INPUT_DEFAULTS;

const ENDPOINT_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}$/;

/**
 * Builds RolloutOptions from input values (`get` already applies the defaults); `given` says which
 * inputs the run was given explicitly.
 */
export function parseRolloutOptions(
  get: (name: RolloutInputName) => string,
  given: (name: RolloutInputName) => boolean = () => false,
): RolloutOptions {
  const names = Object.keys(ROLLOUT_INPUT_DEFAULTS) as RolloutInputName[];
  return {
    strategy: oneOf('strategy', get('strategy'), Object.values(Strategy)),
    steps: parseSteps(get('canary-steps')),
    intervalMs: parseDuration('canary-interval', get('canary-interval')),
    mode: oneOf('canary-mode', get('canary-mode'), Object.values(CanaryMode)),
    canaryEndpoint: endpointName('canary-endpoint', get('canary-endpoint')),
    productionEndpoint: get('production-endpoint')
      ? endpointName('production-endpoint', get('production-endpoint'))
      : undefined,
    promoteTo: parsePromoteTo(get('promote-to')),
    probe: {
      path: parseProbePath(get('probe-path')),
      method: oneOf('probe-method', get('probe-method').toUpperCase(), [
        'GET',
        'POST',
        'PUT',
        'PATCH',
        'DELETE',
        'HEAD',
      ]),
      body: get('probe-body') || undefined,
      headers: parseHeaders(get('probe-headers')),
      expectStatus: parseExpectStatus(get('probe-expect-status')),
      expectBody: get('probe-expect-body') || undefined,
      rps: parsePositiveNumber('probe-rps', get('probe-rps'), 100),
      timeoutMs: parseDuration('probe-timeout', get('probe-timeout')),
    },
    gates: {
      minSuccessRate: parseRate(get('min-success-rate')),
      maxLatencyMs: parseDuration('max-latency', get('max-latency')),
      maxConsecutiveFailures: parsePositiveInteger(
        'max-consecutive-failures',
        get('max-consecutive-failures'),
      ),
      command: get('gate-command') || undefined,
      logsQuery: get('gate-logs-query'),
      maxErrorLogs: parseCount('max-error-logs', get('max-error-logs')),
    },
    inputs: Object.fromEntries(names.map((name) => [name, get(name)])) as Record<RolloutInputName, string>,
    given: new Set(names.filter(given)),
  };
}

function parseCount(name: string, value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number)) {
    throw new InputError(`Input ${name} must be a whole number from 0, not "${value}".`);
  }
  return number;
}

/** `10,30,50,100`: whole percents, strictly ascending, ending at 100. */
export function parseSteps(value: string): number[] {
  const steps = parseList(value).map(Number);
  const valid =
    steps.length > 0 &&
    steps.every(
      (step, i) => Number.isInteger(step) && step >= 1 && step <= 100 && (i === 0 || step > steps[i - 1]!),
    ) &&
    steps.at(-1) === 100;
  if (!valid) {
    throw new InputError(
      `Input canary-steps must be ascending whole percents from 1 to 100 that end at 100, such as 10,30,50,100, not "${value}".`,
    );
  }
  return steps;
}

function parsePromoteTo(value: string): RolloutOptions['promoteTo'] {
  if (value === 'next' || value === 'full') return value;
  const percent = Number(value.replace(/%$/, ''));
  if (!Number.isInteger(percent) || percent < 1 || percent > 100) {
    throw new InputError(`Input promote-to must be next, full or a percent from 1 to 100, not "${value}".`);
  }
  return percent;
}

function parseProbePath(value: string): string {
  if (!value.startsWith('/')) throw new InputError(`Input probe-path must start with /, not "${value}".`);
  return value;
}

/** `Name: value` lines (or a JSON object). */
export function parseHeaders(value: string): Record<string, string> {
  if (!value.trim()) return {};
  if (value.trim().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    }
    throw new InputError('Input probe-headers must be a JSON object or `Name: value` lines.');
  }
  const headers: Record<string, string> = {};
  for (const line of value.split('\n').filter((l) => l.trim())) {
    const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!match) throw new InputError(`Input probe-headers: "${line.trim()}" is not a \`Name: value\` line.`);
    headers[match[1]!] = match[2]!;
  }
  return headers;
}

/** `200`, `200,201`, `2xx`, `2xx,404`. */
export function parseExpectStatus(value: string): ProbeOptions['expectStatus'] {
  const codes: number[] = [];
  const classes: number[] = [];
  for (const item of parseList(value)) {
    const cls = /^([1-5])xx$/i.exec(item);
    if (cls) classes.push(Number(cls[1]));
    else if (/^[1-5]\d\d$/.test(item)) codes.push(Number(item));
    else {
      throw new InputError(
        `Input probe-expect-status must be statuses or classes such as 200 or 2xx, not "${value}".`,
      );
    }
  }
  if (codes.length + classes.length === 0) throw new InputError('Input probe-expect-status is empty.');
  return { codes, classes };
}

/** `0.99` or `99%`. */
function parseRate(value: string): number {
  const rate = value.trim().endsWith('%') ? Number(value.trim().slice(0, -1)) / 100 : Number(value);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1) {
    throw new InputError(
      `Input min-success-rate must be a share from 0 to 1 (or a percent), such as 0.99, not "${value}".`,
    );
  }
  return rate;
}

function parsePositiveNumber(name: string, value: string, max: number): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || number > max) {
    throw new InputError(`Input ${name} must be a number above 0 and at most ${max}, not "${value}".`);
  }
  return number;
}

function endpointName(name: string, value: string): string {
  if (!ENDPOINT_NAME.test(value)) {
    throw new InputError(
      `Input ${name} must be an endpoint name (a letter, then up to 63 letters, digits, _ or -), not "${value}".`,
    );
  }
  return value;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(`Input ${name} must be one of ${allowed.join(', ')}, not "${value}".`);
  }
  return value as T;
}

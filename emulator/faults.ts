import { z } from 'zod';
import { parse } from './requests.js';

/** Failures injected into control-plane and STS requests, matched by action (`*` = any). */
export const ControlFaultKind = {
  /** HTTP 429 `Throttling`. */
  throttle: 'throttle',
  /** HTTP 500 `ERR_INTERNAL_SERVER_ERROR`. */
  serverError: 'server-error',
  /** HTTP 503 `ServiceUnavailable`. */
  unavailable: 'unavailable',
  /** The TCP connection is reset before the request is handled. */
  reset: 'reset',
  /** The request is handled, but the response is held back `delayMs` (default: past a 60 s read timeout). */
  slow: 'slow',
  /** The request succeeds, but the transition it starts ends in `*_FAILED` with `message` as the reason. */
  failTransition: 'fail-transition',
} as const;

const controlRule = z.object({
  action: z.string().min(1),
  kind: z.enum(ControlFaultKind),
  times: z.number().int().min(1).optional(),
  probability: z.number().min(0).max(1).optional(),
  delayMs: z.number().int().min(0).optional(),
  message: z.string().optional(),
});

/**
 * Data-plane behaviour of a runtime (name or id), optionally of one version only: a share of requests
 * answered 500, latency added to each, and a crash — the version's process killed — once it has been
 * sent `crashAfter` requests. A crashed version answers 502 until an endpoint update starts it again.
 */
const dataRule = z.object({
  kind: z.literal('data-plane'),
  runtime: z.string().min(1),
  version: z.string().min(1).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().min(0).optional(),
  crashAfter: z.number().int().min(0).optional(),
});

/** One fault rule, as accepted by `faults.inject`, `POST /__emulator/faults` and `--faults file.json`. */
export const faultRule = z.union([dataRule, controlRule]);
export type ControlFaultRule = z.infer<typeof controlRule>;
export type DataFaultRule = z.infer<typeof dataRule>;
export type FaultRule = ControlFaultRule | DataFaultRule;

/** A rule or a list of rules, validated. */
export function parseFaultRules(input: unknown): FaultRule[] {
  const parsed = parse(z.union([faultRule, z.array(faultRule)]), input);
  return Array.isArray(parsed) ? parsed : [parsed];
}

const DEFAULT_SLOW_MS = 65_000;

/** The data-plane behaviour for one request. */
export interface DataPlaneFault {
  errorRate: number;
  latencyMs: number;
  /** Kill the version's process instead of answering. */
  crash: boolean;
}

interface Armed {
  rule: ControlFaultRule;
  remaining: number;
}

/**
 * Holds the injected faults. A control rule fires for its next `times` matching requests (default 1),
 * or — with `probability` — on that share of them (`times` then caps the count, default unlimited).
 */
export class FaultInjector {
  private control: Armed[] = [];
  private data: DataFaultRule[] = [];
  /** Requests each crash rule has let through. */
  private readonly served = new Map<DataFaultRule, number>();

  constructor(private readonly random: () => number = Math.random) {}

  /** Adds a rule (validated; throws a 400-style error on a malformed one). */
  inject(rule: FaultRule | FaultRule[]): void {
    for (const parsed of parseFaultRules(rule)) {
      if (parsed.kind === 'data-plane') this.data.push(parsed);
      else {
        const remaining = parsed.times ?? (parsed.probability === undefined ? 1 : Infinity);
        this.control.push({ rule: parsed, remaining });
      }
    }
  }

  clear(): void {
    this.control = [];
    this.data = [];
    this.served.clear();
  }

  /** The rules still armed, for the admin API. */
  list(): FaultRule[] {
    const control = this.control.map(({ rule, remaining }) => ({
      ...rule,
      times: Number.isFinite(remaining) ? remaining : undefined,
    }));
    return [...control, ...this.data];
  }

  /** Consumes and returns the first armed rule of one of `kinds` that fires for `action`. */
  take(action: string, kinds: readonly ControlFaultRule['kind'][]): ControlFaultRule | undefined {
    for (const armed of this.control) {
      const { rule } = armed;
      if (
        armed.remaining <= 0 ||
        !kinds.includes(rule.kind) ||
        (rule.action !== '*' && rule.action !== action)
      ) {
        continue;
      }
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      armed.remaining--;
      this.control = this.control.filter((a) => a.remaining > 0);
      return rule;
    }
    return undefined;
  }

  /** How long a slow fault holds the response. */
  static slowDelay(rule: ControlFaultRule): number {
    return rule.delayMs ?? DEFAULT_SLOW_MS;
  }

  /**
   * What the data plane does to one request for a runtime version: the combined error rate and added
   * latency, and whether the request crashes the version (counting it against every crash rule).
   */
  dataPlane(runtimeIds: readonly string[], version: string): DataPlaneFault {
    const fault: DataPlaneFault = { errorRate: 0, latencyMs: 0, crash: false };
    for (const rule of this.data) {
      if (!runtimeIds.includes(rule.runtime) || (rule.version !== undefined && rule.version !== version))
        continue;
      fault.errorRate = Math.max(fault.errorRate, rule.errorRate ?? 0);
      fault.latencyMs += rule.latencyMs ?? 0;
      if (rule.crashAfter !== undefined) {
        const served = this.served.get(rule) ?? 0;
        this.served.set(rule, served + 1);
        fault.crash ||= served >= rule.crashAfter;
      }
    }
    return fault;
  }
}

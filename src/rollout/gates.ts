/** Gate verdicts: what each gate measured beside its threshold, so every verdict can be reproduced. */

export const Gate = {
  samples: 'probes-completed',
  successRate: 'min-success-rate',
  latency: 'max-latency',
  consecutiveFailures: 'max-consecutive-failures',
  errorLogs: 'max-error-logs',
  command: 'gate-command',
} as const;
export type Gate = (typeof Gate)[keyof typeof Gate];

/** One gate's verdict on one endpoint, with the measured value beside its threshold. */
export interface GateResult {
  gate: Gate;
  /** `candidate`, `production`, or the command for `gate-command`. */
  subject: string;
  passed: boolean;
  measured: string;
  threshold: string;
  /** What the gate saw, e.g. the first error lines found. */
  samples?: string[];
  /** Why the gate could not judge this stage (it then neither passes nor fails it). */
  skipped?: string;
}

/** `min-success-rate on candidate: 80.0% (40/50), needs ≥ 99.0%`. */
export function describeGate(result: GateResult): string {
  const verdict = result.skipped
    ? `skipped, ${result.skipped}`
    : `${result.measured}, needs ${result.threshold}`;
  return `${result.gate} on ${result.subject}: ${verdict}`;
}

/** Gate evaluation: pure, so every verdict can be reproduced from the numbers in the report. */
import type { GateOptions } from './options.js';
import type { ProbeStats } from './probe.js';

export const Gate = {
  samples: 'probes-completed',
  successRate: 'min-success-rate',
  latency: 'max-latency',
  consecutiveFailures: 'max-consecutive-failures',
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
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/**
 * The gates over one endpoint's probes. Without a single completed probe nothing can be judged, and
 * that is a failure of its own, never a pass.
 */
export function evaluateGates(stats: ProbeStats, gates: GateOptions): GateResult[] {
  const subject = stats.endpoint;
  if (stats.count === 0) {
    return [
      { gate: Gate.samples, subject, passed: false, measured: 'no probe completed', threshold: '≥ 1 probe' },
    ];
  }
  return [
    {
      gate: Gate.successRate,
      subject,
      passed: stats.successRate >= gates.minSuccessRate,
      measured: `${percent(stats.successRate)} (${stats.successes}/${stats.count})`,
      threshold: `≥ ${percent(gates.minSuccessRate)}`,
    },
    {
      gate: Gate.latency,
      subject,
      passed: stats.p95Ms <= gates.maxLatencyMs,
      measured: `p95 ${Math.round(stats.p95Ms)} ms`,
      threshold: `≤ ${gates.maxLatencyMs} ms`,
    },
    {
      gate: Gate.consecutiveFailures,
      subject,
      passed: stats.maxConsecutiveFailures < gates.maxConsecutiveFailures,
      measured: `${stats.maxConsecutiveFailures} in a row`,
      threshold: `< ${gates.maxConsecutiveFailures}`,
    },
  ];
}

/** The `gate-command`'s verdict from its exit. */
export function commandGate(command: string, exitCode: number | null, signal: string | null): GateResult {
  return {
    gate: Gate.command,
    subject: command,
    passed: exitCode === 0,
    measured: exitCode === null ? `killed by ${signal ?? 'a signal'}` : `exit code ${exitCode}`,
    threshold: 'exit code 0',
  };
}

/** `min-success-rate on candidate: 80.0% (40/50), needs ≥ 99.0%`. */
export function describeGate(result: GateResult): string {
  return `${result.gate} on ${result.subject}: ${result.measured}, needs ${result.threshold}`;
}

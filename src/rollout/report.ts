/**
 * The rollout report: per stage, what each endpoint's probes measured and the verdict; as log lines,
 * a job-summary table with Mermaid charts, and JSON for the `canary-report` output.
 */
import { describeGate, type GateResult } from './gates.js';
import type { ProbeStats } from './probe.js';

export const CanaryResult = { promoted: 'promoted', rolledBack: 'rolled-back', paused: 'paused' } as const;
export type CanaryResult = (typeof CanaryResult)[keyof typeof CanaryResult];

/** One stage as it ran. */
export interface StageReport {
  /** 1-based. */
  stage: number;
  /** The candidate's percent of production traffic. */
  weight: number;
  /** How long it was probed. */
  bakeMs: number;
  probes: ProbeStats[];
  gates: GateResult[];
  verdict: 'passed' | 'failed';
}

export interface RolloutReport {
  runtime: string;
  candidate: string;
  stable: string;
  result: CanaryResult;
  stages: StageReport[];
  /** The gates that failed, for a rolled-back rollout. */
  failedGates: GateResult[];
  /** Why it ended so, in one sentence. */
  reason: string;
  /** The production split when the run ended. */
  serving: string;
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const ms = (value: number) => `${Math.round(value)} ms`;

/** Rows of the stage table: one per stage and endpoint. */
function rows(report: RolloutReport): string[][] {
  return report.stages.flatMap((stage) =>
    stage.probes.map((probe) => [
      `${stage.stage}`,
      `${stage.weight}%`,
      probe.endpoint,
      `${probe.count}`,
      probe.count ? pct(probe.successRate) : '—',
      probe.count ? ms(probe.p50Ms) : '—',
      probe.count ? ms(probe.p95Ms) : '—',
      stage.verdict,
    ]),
  );
}

const HEADER = ['stage', 'weight', 'endpoint', 'probes', 'success', 'p50', 'p95', 'verdict'];

/** The stage table as fixed-width text, for the log. */
export function stageTable(report: RolloutReport): string {
  const table = [HEADER, ...rows(report)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The log's closing lines: the table, each failed gate with its numbers, sample failures. */
export function reportLines(report: RolloutReport): string[] {
  const failures = report.stages.flatMap((stage) =>
    stage.probes.flatMap((probe) => probe.sampleFailures.map((f) => `  ${probe.endpoint}: ${f}`)),
  );
  return [
    stageTable(report),
    ...report.failedGates.map((gate) => `Failed gate ${describeGate(gate)}`),
    ...(failures.length && report.result === CanaryResult.rolledBack
      ? ['Sample failing responses:', ...failures]
      : []),
  ];
}

/** The job summary: result, table, charts of success rate and p95 latency per stage. */
export function reportMarkdown(report: RolloutReport): string {
  const cells = (row: readonly string[]) => `| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const candidateProbes = report.stages.map(
    (stage) => stage.probes.find((p) => p.endpoint === 'candidate') ?? stage.probes[0],
  );
  const labels = report.stages.map((stage) => `"${stage.stage}: ${stage.weight}%"`).join(', ');
  const chart = (title: string, axis: string, values: number[], max?: number) =>
    [
      '```mermaid',
      'xychart-beta',
      `  title "${title}"`,
      `  x-axis [${labels}]`,
      `  y-axis "${axis}" 0 --> ${max ?? Math.max(1, Math.ceil(Math.max(...values) * 1.2))}`,
      `  bar [${values.join(', ')}]`,
      '```',
    ].join('\n');
  const lines = [
    `## Canary of ${report.runtime}: ${report.result}`,
    '',
    `Version ${report.candidate} (stable ${report.stable}). ${report.reason}`,
    '',
    `Production now: ${report.serving}.`,
    '',
  ];
  if (report.stages.length) {
    lines.push(cells(HEADER), cells(HEADER.map(() => '---')), ...rows(report).map(cells), '');
    lines.push(
      chart(
        'Candidate success rate per stage',
        'success %',
        candidateProbes.map((p) => Number(((p?.successRate ?? 0) * 100).toFixed(1))),
        100,
      ),
      '',
      chart(
        'Candidate p95 latency per stage',
        'ms',
        candidateProbes.map((p) => Math.round(p?.p95Ms ?? 0)),
      ),
      '',
    );
  }
  if (report.failedGates.length) {
    lines.push('| failed gate | endpoint | measured | threshold |', '| --- | --- | --- | --- |');
    lines.push(...report.failedGates.map((g) => cells([g.gate, g.subject, g.measured, g.threshold])), '');
  }
  return lines.join('\n');
}

/** The `canary-report` output. */
export function reportJson(report: RolloutReport): string {
  return JSON.stringify(report);
}

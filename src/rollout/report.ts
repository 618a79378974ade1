/**
 * Presentation of a rollout: per stage, what each endpoint's probes measured and the verdict, as log
 * lines, a job summary that leads with the outcome, and JSON for the `canary-report` output; the status
 * text; and the refusal that names the rollout in progress.
 */
import type { Logger } from '../log.js';
import { autolink, code, escapeMarkdown, headline, liveAt, Mark, table } from '../markdown.js';
import { describeGate, type GateResult } from './gates.js';
import type { Lease } from './lease.js';
import { inProgress, Phase, type RolloutMarker } from './marker.js';
import type { ProbeStats } from './probe.js';
import { describeSplit, routingAt, type Routing } from './stages.js';

export const CanaryResult = {
  promoted: 'promoted',
  rolledBack: 'rolled-back',
  paused: 'paused',
  aborted: 'aborted',
  /** Another rollout holds the agent: this one never started. */
  refused: 'refused',
} as const;
export type CanaryResult = (typeof CanaryResult)[keyof typeof CanaryResult];

/** The `canary-result` of a rollout in each phase: the one map from phase to result. */
export const RESULT_OF_PHASE = {
  [Phase.progressing]: CanaryResult.paused,
  [Phase.paused]: CanaryResult.paused,
  [Phase.aborted]: CanaryResult.aborted,
  [Phase.promoted]: CanaryResult.promoted,
  [Phase.rolledBack]: CanaryResult.rolledBack,
} as const satisfies Record<Phase, CanaryResult>;

/** The routing a marker stands for. */
export function routingOf(marker: RolloutMarker): Routing {
  if (marker.phase === Phase.rolledBack) return routingAt(marker.stable, marker.candidate, 0);
  if (marker.phase === Phase.promoted) return routingAt(marker.stable, marker.candidate, 100);
  return routingAt(marker.stable, marker.candidate, marker.steps[marker.stage]!);
}

/** The report of a rollout as `marker` leaves it. */
export function reportOf(
  runtime: string,
  marker: RolloutMarker,
  stages: StageReport[],
  reason: string,
  failed: GateResult[] = [],
): RolloutReport {
  return {
    runtime,
    candidate: marker.candidate,
    stable: marker.stable,
    result: RESULT_OF_PHASE[marker.phase],
    stages,
    failedGates: failed,
    reason,
    serving: describeSplit(routingOf(marker)),
  };
}

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

/** The log's closing lines: the table, each failed gate with its numbers and samples, sample failures. */
export function reportLines(report: RolloutReport): string[] {
  const failures = report.stages.flatMap((stage) =>
    stage.probes.flatMap((probe) => probe.sampleFailures.map((f) => `  ${probe.endpoint}: ${f}`)),
  );
  return [
    ...(report.stages.length ? [stageTable(report)] : []),
    ...report.failedGates.flatMap((gate) => [
      `Failed gate ${describeGate(gate)}`,
      ...(gate.samples ?? []).map((sample) => `  ${sample}`),
    ]),
    ...(failures.length && report.result === CanaryResult.rolledBack
      ? ['Sample failing responses:', ...failures]
      : []),
  ];
}

/** Logs the report; the last line says what production serves. */
export function logReport(logger: Logger, report: RolloutReport): void {
  for (const line of reportLines(report)) logger.info(line);
  logger.info(`Canary ${report.result}: ${report.reason} Production serves ${report.serving}.`);
}

const who = (owner: string | undefined) =>
  owner === undefined
    ? 'an earlier run'
    : owner === 'local'
      ? 'a run outside GitHub Actions'
      : `workflow run ${owner}`;
const at = (ms: number) => new Date(ms).toISOString();

/** Why a new rollout cannot start: the rollout in progress, the run that owns it, and what to do. */
export function describeInProgress(
  runtime: string,
  canaryEndpoint: string,
  { marker, lease }: { marker?: RolloutMarker; lease?: Lease },
): string {
  const todo =
    'See it with the status command; end it with promote, rollback or abort, or wait for it to end.';
  if (!marker || !inProgress(marker)) {
    return (
      `A rollout of ${runtime} is starting: ${who(lease?.owner)} took its lease` +
      `${lease ? ` at ${at(lease.start)}` : ''}${lease?.candidate ? ` for version ${lease.candidate}` : ''}. ` +
      `If that run is gone, deleting endpoint ${canaryEndpoint} releases it. ` +
      todo
    );
  }
  return (
    `A rollout of ${runtime} is in progress: version ${marker.candidate} at ` +
    `${marker.steps[marker.stage]}% (stage ${marker.stage + 1}/${marker.steps.length}, ${marker.phase} since ` +
    `${at(marker.since)}), stable version ${marker.stable}, owned by ${who(marker.owner ?? lease?.owner)}` +
    `${lease ? `, started at ${at(lease.start)}` : ''}. ${todo}`
  );
}

/** What the status command prints. */
export function statusText(
  about: { runtime: string; production: string; split: string; now: number; intervalMs: number },
  marker: RolloutMarker | undefined,
  lease: Lease | undefined,
): string {
  if (!marker)
    return `No rollout of ${about.runtime} recorded on ${about.production}. Production: ${about.split}.`;
  const elapsed = Math.max(0, about.now - marker.since);
  const remaining = Math.max(0, about.intervalMs - elapsed);
  const next = {
    [Phase.progressing]: 'advance, promote, abort or rollback',
    [Phase.paused]: 'promote, advance, abort or rollback',
    [Phase.aborted]: 'promote or rollback',
    [Phase.promoted]: 'rollback (reverts to the stable version)',
    [Phase.rolledBack]: 'a new deploy',
  }[marker.phase];
  const wanted = describeSplit(routingOf(marker));
  const baking = marker.phase === Phase.progressing || marker.phase === Phase.paused;
  return [
    `Rollout of ${about.runtime}: ${marker.phase}`,
    `  candidate ${marker.candidate}, stable ${marker.stable}`,
    `  stage ${marker.stage + 1}/${marker.steps.length} (${marker.steps.join(', ')}%): ${marker.steps[marker.stage]}% wanted`,
    `  production ${about.production}: ${about.split}`,
    ...(wanted === about.split
      ? []
      : [`  drift: the marker stands for ${wanted}; someone changed the endpoint by hand`]),
    ...(baking
      ? [
          `  stage started ${at(marker.since)}: ${Math.round(elapsed / 1000)} s baked, ${Math.ceil(remaining / 1000)} s to go`,
        ]
      : marker.phase === Phase.aborted
        ? [`  stopped ${at(marker.since)} by abort: nothing bakes until promote or rollback`]
        : []),
    ...(inProgress(marker) ? [`  owned by ${who(marker.owner ?? lease?.owner)}`] : []),
    ...(marker.reason ? [`  reason: ${marker.reason}`] : []),
    `  next: ${next}`,
  ].join('\n');
}

/** Where the rollout can be reached, for the summary's first lines. */
export interface RolloutPlaces {
  production: string;
  productionUrl?: string;
  candidateEndpoint: string;
  candidateUrl?: string;
}

/** `2: 90%, 3: 10%` as `version 2 (90%) and version 3 (10%)`; `3: 100%` as `version 3`. */
function servingWords(serving: string): string {
  const parts = serving.split(', ').map((part) => part.split(': ') as [string, string]);
  if (parts.length === 1) return `version ${parts[0]![0]}`;
  return parts.map(([version, share]) => `version ${version} (${share})`).join(' and ');
}

const HEADLINE: Record<CanaryResult, { mark: Mark; lead: string }> = {
  [CanaryResult.promoted]: { mark: 'done', lead: 'Canary promoted' },
  [CanaryResult.rolledBack]: { mark: 'failed', lead: 'Canary rolled back' },
  [CanaryResult.paused]: { mark: 'paused', lead: 'Canary paused' },
  [CanaryResult.aborted]: { mark: 'paused', lead: 'Canary aborted' },
  [CanaryResult.refused]: { mark: 'failed', lead: 'Canary refused' },
};

/**
 * The job summary: the outcome and what production serves where on the first line, the failed gates
 * with measured value and threshold and sample failures right after, then per stage the candidate
 * beside the stable version, and a chart only when a trend over several stages says more than the rows.
 */
export function reportMarkdown(report: RolloutReport, places: RolloutPlaces, deployed = ''): string {
  const { mark, lead } = HEADLINE[report.result];
  const failed = report.result === CanaryResult.rolledBack ? ` version ${report.candidate} failed` : '';
  const gate = report.failedGates[0];
  const why = gate ? `: ${gate.gate} on ${gate.subject} ${gate.measured}, needs ${gate.threshold}` : '';
  const first = headline(
    mark,
    `${lead}${failed}${escapeMarkdown(why)} — ${code(report.runtime)}: ${liveAt(places.production, servingWords(report.serving), places.productionUrl)}`,
  );
  const samples = report.stages.flatMap((stage) =>
    stage.probes.flatMap((probe) => probe.sampleFailures.map((f) => `${probe.endpoint}: ${f}`)),
  );
  const lines = [
    first,
    '',
    `Candidate version ${report.candidate} on ${code(places.candidateEndpoint)}${places.candidateUrl ? ` at ${autolink(places.candidateUrl)}` : ''}; stable version ${report.stable}. ${escapeMarkdown(report.reason)}`,
    '',
  ];
  if (report.failedGates.length) {
    lines.push(
      table(
        ['failed gate', 'on', 'measured', 'threshold'],
        report.failedGates.map((g) => [g.gate, escapeMarkdown(g.subject), g.measured, g.threshold]),
      ),
      '',
    );
  }
  if (samples.length && report.result === CanaryResult.rolledBack) {
    lines.push(
      '**Sample failing responses**',
      '',
      ...samples.slice(0, SAMPLES).map((f) => `- ${escapeMarkdown(cut(f))}`),
      '',
    );
  }
  if (report.stages.length) {
    lines.push(stageMarkdown(report), '');
    if (showsTrend(report)) lines.push(errorChart(report), '');
  }
  if (deployed) lines.push(deployed, '');
  return lines.join('\n');
}

const SAMPLES = 5;
const SAMPLE_LENGTH = 160;
/** With fewer stages the table's few rows say it all. */
const CHART_FROM_STAGES = 3;

/** A chart says more than the rows when the candidate erred over several stages: how near the line it ran. */
function showsTrend(report: RolloutReport): boolean {
  return (
    report.stages.length >= CHART_FROM_STAGES &&
    report.stages.some((stage) => stage.probes.some((p) => p.endpoint === 'candidate' && p.successRate < 1))
  );
}
const cut = (text: string) => (text.length > SAMPLE_LENGTH ? `${text.slice(0, SAMPLE_LENGTH)}…` : text);

/** One row per stage: the candidate beside the stable version, as production's probes measured it. */
function stageMarkdown(report: RolloutReport): string {
  const measured = (probe: ProbeStats | undefined) =>
    probe?.count
      ? `${pct(probe.successRate)} · p95 ${ms(probe.p95Ms)} · ${probe.count} probe${probe.count === 1 ? '' : 's'}`
      : '—';
  return table(
    [
      'stage',
      'candidate share',
      `candidate (v${report.candidate})`,
      `production (v${report.stable} with v${report.candidate}'s share)`,
      'verdict',
    ],
    report.stages.map((stage) => [
      `${stage.stage}`,
      `${stage.weight}%`,
      measured(stage.probes.find((p) => p.endpoint === 'candidate')),
      measured(stage.probes.find((p) => p.endpoint !== 'candidate')),
      stage.verdict === 'failed' ? `${Mark.failed} failed` : `${Mark.done} passed`,
    ]),
  );
}

/**
 * The candidate's error rate per stage as bars, so a stage that failed every probe is the tallest bar,
 * with the largest error rate `min-success-rate` allows drawn as a line; a few lines high.
 */
function errorChart(report: RolloutReport): string {
  const errors = report.stages.map((stage) => {
    const probe = stage.probes.find((p) => p.endpoint === 'candidate');
    return probe?.count ? Number(((1 - probe.successRate) * 100).toFixed(1)) : 100;
  });
  const threshold = report.stages
    .flatMap((stage) => stage.gates)
    .find((g) => g.gate === 'min-success-rate')?.threshold;
  const allowed = threshold ? 100 - Number(/([\d.]+)%/.exec(threshold)?.[1] ?? 100) : undefined;
  const top = Math.max(5, Math.ceil(Math.max(...errors, allowed ?? 0) * 1.2));
  return [
    '```mermaid',
    '---',
    'config:',
    '  xyChart:',
    '    width: 560',
    '    height: 200',
    '    titleFontSize: 14',
    '    xAxis:',
    '      labelFontSize: 12',
    '    yAxis:',
    '      labelFontSize: 10',
    '      titleFontSize: 12',
    '---',
    'xychart-beta',
    `  title "Candidate error rate per stage (%)${allowed !== undefined ? `, line: ${allowed.toFixed(1)}% allowed` : ''}"`,
    `  x-axis [${report.stages.map((stage) => `"${stage.stage}: ${stage.weight}%"`).join(', ')}]`,
    `  y-axis "errors %" 0 --> ${top}`,
    `  bar [${errors.join(', ')}]`,
    ...(allowed !== undefined ? [`  line [${errors.map(() => allowed.toFixed(1)).join(', ')}]`] : []),
    '```',
  ].join('\n');
}

/** The `canary-report` output. */
export function reportJson(report: RolloutReport): string {
  return JSON.stringify(report);
}

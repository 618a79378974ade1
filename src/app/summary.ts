/**
 * The job summary of every command: what changed per resource in the words the log and `plan` use,
 * and — when a run fails — what it did before the error and the error itself.
 */
import { ConfigError, formatProblem } from '../config/types.js';
import type { ResourceDiff } from '../deploy/diff.js';
import type { ResourceReport } from '../deploy/report.js';
import { failureMessage } from '../errors.js';
import type { ResourceInfo } from '../info/read.js';
import { logText, split, statusText } from '../info/render.js';
import type { Plan } from '../plan/types.js';
import type { Host } from './host.js';

/**
 * The deploy's summary: one row per resource and per endpoint, then the error if it failed. `shard`,
 * the `resource` input's names, goes in the heading, so that the summaries of a job matrix's deploys
 * say which is which.
 */
export function deploySummary(
  reports: readonly ResourceReport[],
  error?: unknown,
  shard: readonly string[] = [],
): string {
  const of = shard.length ? `: ${shard.join(', ')}` : '';
  const endpoints = reports.flatMap((report) =>
    report.endpoints.map((e) => [
      report.resource,
      e.name,
      e.heldBy ? `${e.action} (traffic split kept: ${e.heldBy})` : e.action,
      [e.version, ...e.weights.map((w) => `${w.version} (${Math.round((w.weight ?? 0) * 100)}%)`)].join(', '),
      e.url ? `<${e.url}>` : '—',
    ]),
  );
  return [
    error === undefined ? `## AgentRun deploy${of}` : `## AgentRun deploy failed${of}`,
    '',
    ...(reports.length
      ? [
          table(
            ['resource', 'runtime', 'region', 'result', 'what changed', 'version', 'code uploaded'],
            reports.map((r) => [
              r.resource,
              `\`${r.runtime}\``,
              r.region,
              r.action,
              r.changes.join(', ') || '—',
              versionChange(r),
              r.uploadedBytes ? `${plural(r.files, 'file')}, ${plural(r.uploadedBytes, 'byte')}` : 'none',
            ]),
          ),
          '',
        ]
      : ['No resource was deployed.', '']),
    ...(endpoints.length
      ? ['### Endpoints', '', table(['resource', 'endpoint', 'result', 'version', 'URL'], endpoints), '']
      : []),
    ...(reports.length ? [INFO_HINT, ''] : []),
    ...(error === undefined ? [] : errorSection(error)),
  ].join('\n');
}

/** Where the rest of what is deployed is shown. */
const INFO_HINT =
  'Status, every version with its publisher, log configuration and any rollout in progress: `command: info` (CLI: `agentrun-deploy info`).';

/** `3 → 4` when this run published over an older version, `1 (new)` for the first, `3` when kept. */
export function versionChange(report: ResourceReport): string {
  if (report.version === undefined) return '—';
  if (!report.published) return report.version;
  return report.previousVersion !== undefined
    ? `${report.previousVersion} → ${report.version}`
    : `${report.version} (new)`;
}

/** `plan`'s summary: what a deploy would do, or the desired state alone without credentials. */
export function planSummary(plan: Plan, diffs: readonly ResourceDiff[] | undefined): string {
  const heading = '## AgentRun plan';
  if (diffs === undefined) {
    return [
      heading,
      '',
      'No credentials given: the desired state only, not compared with what is deployed.',
      '',
      table(
        ['resource', 'runtime', 'region', 'endpoints'],
        plan.resources.map((r) => [
          r.resource,
          `\`${r.runtime.agentRuntimeName}\``,
          r.region,
          r.endpoints.map((e) => e.agentRuntimeEndpointName).join(', ') || '—',
        ]),
      ),
      '',
    ].join('\n');
  }
  const rows = diffs.flatMap((diff) => [
    [diff.resource, `runtime \`${diff.runtimeName}\``, diff.runtime, diff.changes.join(', ') || '—'],
    ...diff.endpoints.map((e) => [
      diff.resource,
      `endpoint ${e.name}`,
      e.change,
      e.changes.join(', ') || '—',
    ]),
  ]);
  const pending = diffs.some(hasChanges);
  return [
    heading,
    '',
    pending
      ? 'A deploy would make these changes:'
      : 'Everything is up to date: a deploy would change nothing.',
    '',
    table(['resource', 'what', 'a deploy would', 'what changed'], rows),
    '',
  ].join('\n');
}

/** `info`'s summary: one row per resource with what is deployed, compactly. */
export function infoSummary(infos: readonly ResourceInfo[]): string {
  const rows = infos.map((info) => {
    const newest = info.versions[0];
    const rollout = info.rollouts.find((r) => r.inProgress);
    return [
      info.resource,
      `\`${info.runtimeName}\``,
      info.runtime ? statusText(info.runtime) : 'not deployed',
      newest ? `${newest.version} (by ${newest.publishedBy ?? 'another client'})` : '—',
      info.endpoints.map((e) => `${e.name}: ${split(e)}${e.url ? ` <${e.url}>` : ''}`).join('<br>') || '—',
      logText(info),
      rollout ? `${rollout.candidate} at ${rollout.steps[rollout.stage]}%, ${rollout.phase}` : '—',
    ];
  });
  return [
    '## AgentRun info',
    '',
    table(['resource', 'runtime', 'status', 'newest version', 'endpoints', 'logs', 'rollout'], rows),
    '',
  ].join('\n');
}

/** Whether a deploy of this resource would change anything. */
export function hasChanges(diff: ResourceDiff): boolean {
  return diff.runtime !== 'unchanged' || diff.endpoints.some((e) => e.change !== 'unchanged');
}

/** The summary of a run that failed before its command reported anything: nothing was deployed. */
export function failureSummary(command: string, error: unknown): string {
  return [`## AgentRun ${command} failed`, '', ...errorSection(error)].join('\n');
}

function errorSection(error: unknown): string[] {
  if (error instanceof ConfigError) {
    const errors = error.problems.filter((p) => p.severity === 'error').length;
    return [
      `The s.yaml has ${plural(errors, 'problem')}; nothing was deployed.`,
      '',
      table(
        ['where', 'problem'],
        error.problems.map((p) => [
          p.position ? `${p.position.file}:${p.position.line}:${p.position.col}` : '—',
          `${p.severity}: ${formatProblem({ ...p, position: undefined })}`,
        ]),
      ),
      '',
    ];
  }
  return ['### Error', '', '```text', failureMessage(error), '```', ''];
}

/** The last line of every summary: the commit deployed and how long the run took. */
export function summaryFooter(commit: Host['commit'], durationMs: number): string {
  const sha = commit && (commit.url ? `[${commit.sha.slice(0, 7)}](${commit.url})` : commit.sha.slice(0, 7));
  return [sha && `Commit ${sha}`, `${(durationMs / 1000).toFixed(1)} s`].filter(Boolean).join(' · ');
}

function table(header: string[], rows: string[][]): string {
  return [cells(header), cells(header.map(() => '---')), ...rows.map(cells)].join('\n');
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

const cells = (values: string[]) =>
  `| ${values.map((v) => v.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;

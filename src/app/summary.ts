/**
 * The job summary of every command: what changed per resource in the words the log and `plan` use,
 * and — when a run fails — what it did before the error and the error itself.
 */
import { ConfigError, formatProblem } from '../config/types.js';
import type { ResourceDiff } from '../deploy/diff.js';
import type { ResourceReport } from '../deploy/report.js';
import { failureMessage } from '../errors.js';
import type { ResourceInfo } from '../info/read.js';
import { logText, statusText } from '../info/render.js';
import type { Plan } from '../plan/types.js';
import type { Host } from './host.js';
import type { VersionWeight } from '../agentrun/model.js';
import { isFailed } from '../agentrun/wait.js';
import {
  autolink,
  code,
  escapeMarkdown,
  headline,
  liveAt,
  quote,
  servedVersion,
  table,
} from '../markdown.js';

/** What a resource that failed to deploy left behind, read back from AgentRun after the failure. */
export interface FailedResource {
  resource: string;
  runtime: string;
  /** The runtime's status now (e.g. `UPDATE_FAILED`); undefined when it does not exist. */
  status?: string;
  /** The newest published version: what an endpoint on LATEST last served from a good deploy. */
  newestVersion?: string;
  /** The s.yaml's endpoints as they are now. */
  endpoints: { name: string; version: string; weights: VersionWeight[]; url: string }[];
}

/**
 * The deploy's summary: the outcome (with `shard`, the `resource` input's names, so that a job
 * matrix's summaries say which is which) and where each agent is live on the first line, a row per resource
 * and per endpoint, then — when it failed — what each failed resource left behind and the error.
 */
export function deploySummary(
  reports: readonly ResourceReport[],
  error?: unknown,
  failed: readonly FailedResource[] = [],
  shard: readonly string[] = [],
): string {
  const of = shard.length ? ` (${shard.join(', ')})` : '';
  return [
    error === undefined ? deployHeadline(reports, of) : failureHeadline(reports, failed, of),
    '',
    ...(error === undefined ? [] : failedSections(reports, failed, error)),
    deployDetails(reports),
    ...(reports.length ? [INFO_HINT, ''] : []),
  ].join('\n');
}

/** A deploy's table of resources and list of endpoints, without the first line. */
export function deployDetails(reports: readonly ResourceReport[]): string {
  // A list, not a table: a URL has no space to wrap at, and would make a table scroll sideways.
  const endpoints = reports.flatMap((report) =>
    report.endpoints.map((e) => {
      const action = e.heldBy ? `${e.action} (traffic split kept: ${e.heldBy})` : e.action;
      const served = servedVersion(e.version, e.weights, report.version);
      return `- ${report.resource}: ${code(e.name)} ${action}, serves ${served}${e.url ? `: ${autolink(e.url)}` : ''}`;
    }),
  );
  return [
    ...(reports.length
      ? [
          table(
            ['resource', 'runtime', 'region', 'result', 'what changed', 'version', 'code uploaded'],
            reports.map((r) => [
              r.resource,
              code(r.runtime),
              r.region,
              r.action,
              r.changes.join(', ') || '—',
              versionChange(r),
              r.uploadedBytes ? `${plural(r.files, 'file')}, ${plural(r.uploadedBytes, 'byte')}` : 'none',
            ]),
          ),
          '',
        ]
      : []),
    ...(endpoints.length ? ['#### Endpoints', '', ...endpoints, ''] : []),
  ].join('\n');
}

/** Where the rest of what is deployed is shown. */
const INFO_HINT =
  'Status, every version with its publisher, log configuration and any rollout in progress: `command: info` (CLI: `agentrun-deploy info`).';

/** `✅ e2e-agent updated: `live` serves LATEST (version 2) at <url>`, one clause per resource. */
function deployHeadline(reports: readonly ResourceReport[], of = ''): string {
  const changed = reports.some(
    (r) => r.action !== 'unchanged' || r.published || r.endpoints.some((e) => e.action !== 'unchanged'),
  );
  if (!reports.length) return headline('info', 'Deploy: no resource selected, nothing deployed');
  return headline(
    'done',
    `${changed ? 'Deployed' : 'No change'}${of} — ${reports.map(deployedClause).join('; ')}`,
  );
}

/** `` `e2e-agent` updated: `live` serves LATEST (version 2) at <url> ``. */
function deployedClause(r: ResourceReport): string {
  const live = r.endpoints[0];
  const where = live
    ? liveAt(live.name, servedVersion(live.version, live.weights, r.version), live.url || undefined)
    : `version ${r.version ?? 'LATEST'}, no endpoint`;
  return `${code(r.runtime)} ${r.action}: ${where}`;
}

/**
 * `❌ Deploy failed — `e2e-beta` is UPDATE_FAILED; `live` still serves version 1 at <url>`, then what
 * the resources that did deploy serve.
 */
function failureHeadline(
  reports: readonly ResourceReport[],
  failed: readonly FailedResource[],
  of = '',
): string {
  const clauses = failed.map((f) => {
    const state = f.status ? `${code(f.runtime)} is ${f.status}` : `${code(f.runtime)} was not created`;
    const live = f.endpoints[0];
    const served = live && servedVersion(live.version, live.weights, f.newestVersion);
    return live
      ? `${state}; ${liveAt(live.name, served!, live.url || undefined).replace(' serves ', ' still serves ')}`
      : `${state}, no endpoint serves it`;
  });
  const deployed = reports.length ? [`deployed: ${reports.map(deployedClause).join('; ')}`] : [];
  const all = [...clauses, ...deployed];
  return headline('failed', `Deploy failed${of}${all.length ? ` — ${all.join('; ')}` : ''}`);
}

/** What the failed resources changed before they failed, and the line the failure turns on. */
function failedSections(
  reports: readonly ResourceReport[],
  failed: readonly FailedResource[],
  error: unknown,
): string[] {
  const changedBefore = failed.map((f) => {
    if (f.status === undefined) return `- ${f.resource}: nothing; runtime ${code(f.runtime)} does not exist.`;
    const serving = f.endpoints.length
      ? f.endpoints
          .map(
            (e) => `endpoint ${code(e.name)} serves ${servedVersion(e.version, e.weights, f.newestVersion)}`,
          )
          .join(', ')
      : 'it has no endpoint';
    // A *_FAILED runtime took this run's change and failed with it; any other state may be untouched.
    return isFailed(f.status)
      ? `- ${f.resource}: runtime ${code(f.runtime)} took the change and is now ${f.status}; ${serving}. A deploy of a working configuration repairs it.`
      : `- ${f.resource}: runtime ${code(f.runtime)} is ${f.status}; ${serving}.`;
  });
  return [
    ...errorSection(error),
    ...(changedBefore.length ? ['**Where it stopped**', '', ...changedBefore, ''] : []),
    reports.length ? '**Deployed before the failure**' : 'No other resource was deployed.',
    '',
  ];
}

/** `3 → 4` (`3 (preview of #7) → 4`) when this run published over an older version, `1 (new)` for the first, `3` when kept. */
export function versionChange(report: ResourceReport): string {
  if (report.version === undefined) return '—';
  if (!report.published) return report.version;
  // The newest version may be a pull request's preview, which production never served.
  const preview = report.previousPreview !== undefined ? ` (preview of #${report.previousPreview})` : '';
  return report.previousVersion !== undefined
    ? `${report.previousVersion}${preview} → ${report.version}`
    : `${report.version} (new)`;
}

/** `plan`'s summary: what a deploy would do, or the desired state alone without credentials. */
export function planSummary(plan: Plan, diffs: readonly ResourceDiff[] | undefined): string {
  if (diffs === undefined) {
    return [
      planHeadline(undefined),
      '',
      table(
        ['resource', 'runtime', 'region', 'endpoints'],
        plan.resources.map((r) => [
          r.resource,
          code(r.runtime.agentRuntimeName),
          r.region,
          r.endpoints.map((e) => e.agentRuntimeEndpointName).join(', ') || '—',
        ]),
      ),
      '',
    ].join('\n');
  }
  const rows = diffs.flatMap((diff) => [
    [diff.resource, `runtime ${code(diff.runtimeName)}`, diff.runtime, diff.changes.join(', ') || '—'],
    ...diff.endpoints.map((e) => [
      diff.resource,
      `endpoint ${e.name}`,
      e.change,
      e.changes.join(', ') || '—',
    ]),
  ]);
  return [
    planHeadline(diffs),
    '',
    `Compared with ${escapeMarkdown(comparedWith(diffs))}.`,
    '',
    table(['resource', 'what', 'a deploy would', 'what changed'], rows),
    '',
  ].join('\n');
}

/**
 * `info`'s summary: what each agent's first endpoint serves and where, on the first line; then one row
 * per resource and a list of every endpoint (a URL in a table cell would scroll sideways).
 */
export function infoSummary(infos: readonly ResourceInfo[]): string {
  const rows = infos.map((info) => {
    const newest = info.versions[0];
    const rollout = info.rollouts.find((r) => r.inProgress);
    return [
      info.resource,
      code(info.runtimeName),
      info.runtime ? statusText(info.runtime) : 'not deployed',
      newest ? `${newest.version} (by ${newest.publishedBy ?? 'another client'})` : '—',
      logText(info),
      rollout ? `${rollout.candidate} at ${rollout.steps[rollout.stage]}%, ${rollout.phase}` : '—',
    ];
  });
  const endpoints = infos.flatMap((info) =>
    info.endpoints.map(
      (e) => `- ${info.resource}: ${liveAt(e.name, servedVersion(e.targetVersion, e.weights), e.url)}`,
    ),
  );
  return [
    headline('info', `Info — ${infos.map(infoClause).join('; ')}`),
    '',
    table(['resource', 'runtime', 'status', 'newest version', 'logs', 'rollout'], rows),
    '',
    ...(endpoints.length ? ['#### Endpoints', '', ...endpoints, ''] : []),
  ].join('\n');
}

/** `` `e2e-agent` READY: `live` serves version 2 at <url> ``. */
function infoClause(info: ResourceInfo): string {
  if (!info.runtime) return `${code(info.runtimeName)} is not deployed`;
  const live = info.endpoints[0];
  const where = live
    ? liveAt(live.name, servedVersion(live.targetVersion, live.weights), live.url)
    : 'no endpoint';
  return `${code(info.runtimeName)} ${escapeMarkdown(info.runtime.status)}: ${where}`;
}

/** What a deploy would do, in one sentence, for the plan's first line. */
export function planOutcome(diffs: readonly ResourceDiff[] | undefined): string {
  if (diffs === undefined)
    return 'the desired state only: no credentials, so not compared with what is deployed';
  const pending = diffs.filter(hasChanges);
  if (!pending.length) return 'up to date: a deploy would change nothing';
  const what = (d: ResourceDiff) =>
    [d.runtime === 'unchanged' ? 'endpoints' : d.runtime, ...d.changes].join(', ');
  return `a deploy would change ${pending.map((d) => `${d.runtimeName} (${what(d)})`).join('; ')}`;
}

/** What the plan compared with: the versions production serves, or the runtimes as they are now. */
export function comparedWith(diffs: readonly ResourceDiff[]): string {
  return diffs.map((d) => `${d.runtimeName}: ${d.comparedWith ?? 'the runtime as it is now'}`).join('; ');
}

function planHeadline(diffs: readonly ResourceDiff[] | undefined): string {
  const upToDate = diffs !== undefined && !diffs.some(hasChanges);
  return headline(upToDate ? 'done' : 'info', `Plan — ${escapeMarkdown(planOutcome(diffs))}`);
}

/** Whether a deploy of this resource would change anything. */
export function hasChanges(diff: ResourceDiff): boolean {
  return diff.runtime !== 'unchanged' || diff.endpoints.some((e) => e.change !== 'unchanged');
}

/** The summary of a run that failed before its command reported anything: nothing was deployed. */
export function failureSummary(command: string, error: unknown): string {
  const first = failureMessage(error).split('\n')[0]!;
  const short = first.length > 120 ? `${first.slice(0, 119)}…` : first;
  return [headline('failed', `${command} failed: ${escapeMarkdown(short)}`), '', ...errorSection(error)].join(
    '\n',
  );
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
  return [quote(failureMessage(error)), ''];
}

/** The last line of every summary: the commit deployed and how long the run took. */
export function summaryFooter(commit: Host['commit'], durationMs: number): string {
  const sha = commit && (commit.url ? `[${commit.sha.slice(0, 7)}](${commit.url})` : commit.sha.slice(0, 7));
  return [sha && `Commit ${sha}`, `${(durationMs / 1000).toFixed(1)} s`].filter(Boolean).join(' · ');
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

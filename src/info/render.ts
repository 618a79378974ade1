/** `info` in words, for the terminal and the log; the job summary (app/summary.ts) uses the same phrases. */
import { describeSplit } from '../rollout/stages.js';
import type { EndpointInfo, ResourceInfo, RolloutInfo, VersionInfo } from './read.js';

/** Versions listed in the text; the rest are counted (`--json` has them all). */
const SHOWN_VERSIONS = 5;

/** Every resource as `s info` would show it, one block each. */
export function renderInfo(infos: readonly ResourceInfo[]): string {
  return infos.map(resourceText).join('\n\n');
}

function resourceText(info: ResourceInfo): string {
  const head = `${info.resource}: runtime ${info.runtimeName} in ${info.region}`;
  const { runtime } = info;
  if (!runtime) return `${head}: not deployed (no runtime of that name)`;
  const older = info.versions.length - SHOWN_VERSIONS;
  return [
    `${head}: ${statusText(runtime)}`,
    `  id ${runtime.id}${runtime.artifactType ? `, ${runtime.artifactType}` : ''}${runtime.lastUpdatedAt ? `, updated ${runtime.lastUpdatedAt}` : ''}`,
    `  logs: ${logText(info)}`,
    info.versions.length ? '  versions:' : '  versions: none published',
    ...info.versions.slice(0, SHOWN_VERSIONS).map((v) => `    ${versionText(v)}`),
    ...(older > 0 ? [`    … ${older} older`] : []),
    info.endpoints.length ? '  endpoints:' : '  endpoints: none',
    ...info.endpoints.map((e) => `    ${endpointText(e)}`),
    ...info.rollouts.map((r) => `  ${rolloutText(r)}`),
  ].join('\n');
}

/** `READY`, or a status with its reason. */
export function statusText({ status, statusReason }: { status?: string; statusReason?: string }): string {
  return `${status ?? 'unknown'}${statusReason ? ` (${statusReason})` : ''}`;
}

/** Where the runtime's logs go, or `none`. */
export function logText(info: ResourceInfo): string {
  const log = info.runtime?.logConfiguration;
  return log ? `SLS project ${log.project ?? '?'}, logstore ${log.logstore ?? '?'}` : 'none';
}

function versionText(v: VersionInfo): string {
  const by = v.publishedBy ?? 'another client';
  const print = v.fingerprint
    ? ` [config ${v.fingerprint.config}${v.fingerprint.code ? `, code ${v.fingerprint.code}` : ''}]`
    : '';
  return [v.version, v.publishedAt, `by ${by}`, v.description && `“${v.description}”`]
    .filter(Boolean)
    .join('  ')
    .concat(print);
}

/** The endpoint's split in words: `2: 70%, 3: 30%`. */
export function split(e: EndpointInfo): string {
  return describeSplit({
    targetVersion: e.targetVersion,
    routingConfiguration: { versionWeights: e.weights },
  });
}

function endpointText(e: EndpointInfo): string {
  return `${e.name}  ${statusText(e)}  ${split(e)}  ${e.url ?? '(no URL yet)'}`;
}

function rolloutText(r: RolloutInfo): string {
  const stage = `stage ${r.stage + 1} of ${r.steps.length} (${r.steps[r.stage]}%)`;
  const since = new Date(r.since).toISOString();
  if (r.inProgress) {
    return `rollout in progress on ${r.endpoint}: version ${r.candidate} over ${r.stable}, ${stage}, ${r.phase} since ${since}`;
  }
  const why = r.reason ? `: ${r.reason}` : '';
  return `last rollout on ${r.endpoint}: version ${r.candidate} over ${r.stable}, ${r.phase} ${since}${why}`;
}

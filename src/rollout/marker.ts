/**
 * The rollout's state, kept on the platform: a one-line marker at the end of the production
 * endpoint's `description`, next to the routing it explains. Any later run — a re-run, a scheduled
 * `advance`, a manual `promote` — reads it back from there, so no runner has to stay alive.
 */

export const Phase = {
  /** Moving through the stages on its own. */
  progressing: 'progressing',
  /** `canary-mode: manual`: waits at its stage for `promote`. */
  paused: 'paused',
  /** Stopped where it was by `abort`: weights kept, only `promote` or `rollback` move it. */
  aborted: 'aborted',
  promoted: 'promoted',
  rolledBack: 'rolled-back',
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

/** What the marker records. */
export interface RolloutMarker {
  phase: Phase;
  candidate: string;
  /** The version production served before the rollout; what a rollback returns to. */
  stable: string;
  /** Index into `steps` of the current stage. */
  stage: number;
  steps: number[];
  /** When the current stage started (epoch ms): the bake clock survives restarts. */
  since: number;
  /** Why it ended, for rolled-back rollouts. */
  reason?: string;
  /** The run that wrote the current stage (see runOwner). */
  owner?: string;
}

const TAG = 'agentrun-rollout';
const PATTERN = new RegExp(`\\s*\\[${TAG} (\\{.*\\})\\]\\s*$`);
/** The longest reason kept: descriptions are short (256 characters in Serverless Devs). */
const MAX_REASON = 60;

/** Whether the phase still holds production traffic split or pinned by the rollout. */
export function inProgress(marker: RolloutMarker | undefined): boolean {
  return (
    marker !== undefined && [Phase.progressing, Phase.paused, Phase.aborted].includes(marker.phase as never)
  );
}

/** The marker in a description, if any (a malformed one counts as none). */
export function readMarker(description: string | undefined): RolloutMarker | undefined {
  const match = PATTERN.exec(description ?? '');
  if (!match) return undefined;
  try {
    const raw = JSON.parse(match[1]!) as Record<string, unknown>;
    const marker: RolloutMarker = {
      phase: raw.p as Phase,
      candidate: String(raw.c),
      stable: String(raw.b),
      stage: Number(raw.s),
      steps: String(raw.w).split(',').map(Number),
      since: Number(raw.t) * 1000,
      reason: typeof raw.r === 'string' ? raw.r : undefined,
      ...(typeof raw.o === 'string' ? { owner: raw.o } : {}),
    };
    const valid =
      Object.values(Phase).includes(marker.phase) &&
      Number.isInteger(marker.stage) &&
      marker.stage >= 0 &&
      marker.stage < marker.steps.length &&
      marker.steps.every(Number.isInteger) &&
      Number.isFinite(marker.since);
    return valid ? marker : undefined;
  } catch {
    return undefined;
  }
}

/** The description without any marker: what the user wrote. */
export function userDescription(description: string | undefined): string {
  return (description ?? '').replace(PATTERN, '');
}

/** `description` with `marker` in place of any earlier one. */
export function writeMarker(description: string | undefined, marker: RolloutMarker): string {
  const compact = {
    p: marker.phase,
    c: marker.candidate,
    b: marker.stable,
    s: marker.stage,
    w: marker.steps.join(','),
    t: Math.floor(marker.since / 1000),
    ...(marker.reason ? { r: marker.reason.slice(0, MAX_REASON) } : {}),
    ...(marker.owner ? { o: marker.owner } : {}),
  };
  const text = userDescription(description);
  return `${text}${text ? ' ' : ''}[${TAG} ${JSON.stringify(compact)}]`;
}

/**
 * One rollout per agent at a time. The lease is the candidate-only endpoint itself: creating an
 * endpoint under a name that exists fails, so of two jobs that start a rollout together exactly one
 * creates it, and the other is refused. Its description records who took it, when, the candidate once
 * published, and the gates the rollout began with.
 *
 * The lease is released by the rollout's end: once production's marker says this lease's candidate was
 * promoted or rolled back, the endpoint stays for debugging until the next rollout deletes it — by its
 * id, so a job that saw it released can never delete a newer lease under the same name.
 */
import { inProgress, type RolloutMarker } from './marker.js';
import type { RecordedGates } from './recorded.js';

/** What the candidate endpoint records about the rollout that holds it. */
export interface Lease {
  /** The workflow run that took it (GITHUB_RUN_ID), or `local` outside GitHub Actions. */
  owner: string;
  /** When it was taken (epoch ms, whole seconds). */
  start: number;
  /** Tells this taker's endpoint apart from another's of the same name. */
  token: string;
  /** The version rolled out, once published. */
  candidate?: string;
  gates: RecordedGates;
}

const TAG = 'agentrun-lease';
const PATTERN = new RegExp(`\\[${TAG} (\\{.*\\})\\]\\s*$`);
const PREFIX = 'Canary candidate';

/** The lease in a candidate endpoint's description, if any. */
export function readLease(description: string | undefined): Lease | undefined {
  const match = PATTERN.exec(description ?? '');
  if (!match) return undefined;
  try {
    const raw = JSON.parse(match[1]!) as Record<string, unknown>;
    const gates = raw.g && typeof raw.g === 'object' ? (raw.g as RecordedGates) : {};
    const lease: Lease = {
      owner: String(raw.o),
      start: Number(raw.t) * 1000,
      token: String(raw.k),
      candidate: typeof raw.c === 'string' ? raw.c : undefined,
      gates,
    };
    return Number.isFinite(lease.start) ? lease : undefined;
  } catch {
    return undefined;
  }
}

/** The candidate endpoint's description for a lease. */
export function leaseDescription(lease: Lease): string {
  const compact = {
    o: lease.owner,
    t: Math.floor(lease.start / 1000),
    k: lease.token,
    ...(lease.candidate ? { c: lease.candidate } : {}),
    g: lease.gates,
  };
  return `${PREFIX} [${TAG} ${JSON.stringify(compact)}]`;
}

/**
 * Whether the candidate endpoint's lease still holds, given production's marker. An endpoint without a
 * lease (from before leases, or made by hand) holds while production has a rollout in progress.
 */
export function leaseHeld(lease: Lease | undefined, marker: RolloutMarker | undefined): boolean {
  if (!lease) return inProgress(marker);
  if (!marker || inProgress(marker)) return true;
  // Ended after this lease was taken, for its candidate: this lease's rollout is over.
  return !(marker.candidate === lease.candidate && marker.since >= lease.start);
}

/** The run a lease or marker names, from the environment of this run. */
export function runOwner(env: NodeJS.ProcessEnv): string {
  return env.GITHUB_RUN_ID || 'local';
}

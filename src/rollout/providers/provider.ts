/**
 * Gates as providers, the way Flagger's metric providers and Argo Rollouts' analysis providers work:
 * each one judges a stage's window through one interface, and the registry (index.ts) builds the list
 * once from the options. A new signal is one file plus one registry line.
 */
import type { Logger } from '../../log.js';
import type { CommandRunner } from '../../system/runner.js';
import type { GateResult } from '../gates.js';
import type { RolloutMarker } from '../marker.js';
import type { RolloutOptions } from '../options.js';
import type { ProbeStats } from '../probe.js';

/** One stage's bake, as every provider sees it. */
export interface StageWindow {
  from: Date;
  to: Date;
  runtime: string;
  marker: RolloutMarker;
  /** The candidate's percent of production traffic. */
  weight: number;
  candidateUrl: string;
  productionUrl: string;
  /** What the probes of each endpoint measured in the window. */
  probes: { candidate: ProbeStats; production: ProbeStats };
  /** The verdicts of the providers before this one, this stage. */
  earlier: readonly GateResult[];
}

/** A gate: judges a window into one result per subject (value, threshold, passed, samples). */
export interface GateProvider {
  evaluate(window: StageWindow): Promise<GateResult[]>;
}

/** The outside world a provider may need. */
export interface ProviderDeps {
  logger: Logger;
  runner: CommandRunner;
  /** Where `gate-command` runs, and the environment it inherits. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  errorLogs?: ErrorLogSource;
}

/** Builds a provider from the options, or none when its gate is not configured. */
export type ProviderFactory = (options: RolloutOptions, deps: ProviderDeps) => GateProvider | undefined;

/** The probe stats of both endpoints that completed at least one probe (the others fail `probes-completed`). */
export function probed(window: StageWindow): ProbeStats[] {
  return [window.probes.candidate, window.probes.production].filter((s) => s.count > 0);
}

/** A query for the candidate version's log lines in the runtime's logstore. */
export interface ErrorLogQuery {
  runtime: string;
  version: string;
  from: Date;
  to: Date;
  /** The logstore query (`gate-logs-query`). */
  query: string;
}

/**
 * The candidate's error lines during a bake, from real traffic: how many lines match the query, and the
 * first few. Undefined when the runtime has no logstore to ask.
 */
export type ErrorLogSource = (
  query: ErrorLogQuery,
) => Promise<{ count: number; samples: string[] } | undefined>;

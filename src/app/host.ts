import type { AgentRunApi } from '../agentrun/api.js';
import type { AgentRunClientOptions } from '../agentrun/client.js';
import type { GitHubApi } from '../github/api.js';
import type { GitHubClientOptions } from '../github/client.js';
import type { Logger } from '../log.js';
import type { BuildCache } from '../build/cache.js';
import type { SlsApi } from '../logs/api.js';
import type { SlsClientOptions } from '../logs/client.js';
import type { Clock } from '../system/clock.js';
import type { CommandRunner } from '../system/runner.js';

/** What differs between running as an action and as a CLI. */
export interface Host {
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  setOutput(name: string, value: string): void;
  /** Prints a command's result (the CLI's stdout; the log in Actions). */
  print(text: string): void;
  writeSummary?(markdown: string): Promise<void>;
  getIDToken?(audience: string): Promise<string>;
  /** Where temporary files go; the action passes RUNNER_TEMP, which the runner cleans up. */
  tempDir?: string;
  /** Where code must come from: GITHUB_WORKSPACE on a runner; the CLI leaves it to the s.yaml's directory. */
  workspace?: string;
  /** Names this run in published version descriptions, e.g. commit and workflow run. */
  trigger: string;
  /**
   * Keys saved outside the environment (the CLI's `~/.s/access.yaml`), as Serverless Devs'
   * `<alias>_serverless_devs_key` variables; only the credential lookup sees them.
   */
  savedKeys?: Readonly<Record<string, string>>;
  /** The commit being deployed, named in the job summary. */
  commit?: { sha: string; url?: string };
}

/** The side effects below the entry points, each behind a small interface so tests can hand in their own. */
export interface Deps {
  agentRun(options: AgentRunClientOptions): AgentRunApi;
  runner: CommandRunner;
  clock: Clock;
  /** The GitHub REST API, for pull-request comments and deployment records. */
  github(options: GitHubClientOptions): GitHubApi;
  /** Where built dependencies are cached, given the runner's environment. */
  buildCache(env: Host['env']): BuildCache;
  /** Simple Log Service: `logConfig: auto`, `logs` and the diagnosis of a failed agent. */
  sls(options: SlsClientOptions): SlsApi;
}

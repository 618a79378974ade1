/** The plan: the AgentRun request bodies (src/agentrun/model.ts) each resource of the s.yaml asks for. */
import type { WorkspaceRef } from '../agentrun/api.js';
import type {
  CreateAgentRuntimeEndpointInput,
  CreateAgentRuntimeInput,
  LogConfiguration,
} from '../agentrun/model.js';
import type { Region } from '../config/schema.js';
import type { ActionEntry } from '../config/index.js';
import type { KeyPath, Problem } from '../config/types.js';

/** An endpoint body as the plan builds it: the API's input, always with a name. */
export type EndpointInput = CreateAgentRuntimeEndpointInput & { agentRuntimeEndpointName: string };

/** Where the code comes from: a path relative to the s.yaml directory, or an existing OSS object. */
export type CodeSource = { src: string } | { oss: { bucketName: string; objectName: string } };

/** Desired state of one `agentrun` resource. */
export type ResourcePlan = {
  resource: string;
  region: Region;
  runtime: CreateAgentRuntimeInput;
  endpoints: EndpointInput[];
  /** Absent for container images. */
  code?: CodeSource;
  /**
   * `logConfig: auto`: the SLS project/logstore to ensure before the runtime is created; the project is
   * absent until the account id is known (the deploy reads it from STS).
   */
  autoLog?: LogConfiguration;
  /** Workspace to resolve (by id or name) into the body's `workspaceId`. */
  workspace?: WorkspaceRef;
};

/** What `buildPlan` produces for a whole file. */
export type Plan = {
  resources: ResourcePlan[];
  /** Resources of other components: resolved, not deployed. */
  skipped: { resource: string; component: string }[];
  warnings: Problem[];
  /** Values to mask whenever the plan is shown. */
  secretValues: readonly string[];
};

/** Options known only at deploy time. */
export type PlanContext = {
  /** Expands bare role names and names the `logConfig: auto` project. */
  accountId?: string;
};

/** A mapping that cannot be done with what is known; `path` is relative to the resource's props. */
export class PlanError extends Error {
  constructor(
    readonly path: KeyPath,
    message: string,
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

/** One agentrun resource, ready to deploy: its request bodies and where its code is. */
export interface DeployTarget {
  resource: string;
  region: string;
  runtime: CreateAgentRuntimeInput;
  endpoints: EndpointInput[];
  /** The s.yaml's `workspace`; the account's default workspace when absent. */
  workspace?: WorkspaceRef;
  /** `code.src` (directory or .zip), relative to the s.yaml; absent for container images and OSS code. */
  codeSrc?: string;
  actions: Record<string, ActionEntry[]>;
  /** The s.yaml `flow:` stage: stages deploy one after the other, and a failed one stops the rest. */
  stage?: number;
  /** `logConfig: auto`: the account's SLS project in this region is ensured and sent before the deploy. */
  autoLog?: boolean;
}

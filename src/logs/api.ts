/** What this product asks of Simple Log Service, behind one interface so tests can hand in their own. */
import type {
  CreateLogStoreInput,
  CreateProjectInput,
  GetLogsInput,
  GetLogsOutput,
  Index,
  Logstore,
  Project,
} from './model.js';

/** A create's outcome: `exists` when another job (or an earlier run) made it first. */
export type Created = 'created' | 'exists';

export interface SlsApi {
  /** Undefined when the project does not exist. */
  getProject(project: string): Promise<Project | undefined>;
  createProject(input: CreateProjectInput): Promise<Created>;
  getLogStore(project: string, logstore: string): Promise<Logstore | undefined>;
  createLogStore(project: string, input: CreateLogStoreInput): Promise<Created>;
  getIndex(project: string, logstore: string): Promise<Index | undefined>;
  createIndex(project: string, logstore: string, index: Index): Promise<Created>;
  /** GetLogsV2: at most `line` (≤ 100) logs of [from, to) matching `query`. */
  getLogs(project: string, logstore: string, input: GetLogsInput): Promise<GetLogsOutput>;
}

/** A failed SLS call, with what the user can do about it. */
export class SlsError extends Error {
  constructor(
    readonly action: string,
    readonly detail: string,
    readonly status?: number,
    readonly code?: string,
    readonly requestId?: string,
  ) {
    const facts = [status && `HTTP ${status}`, code, requestId && `request id ${requestId}`].filter(Boolean);
    super(
      `SLS ${action} failed: ${detail}${facts.length ? ` (${facts.join(', ')})` : ''}.${remedy(status, code)}`,
    );
    this.name = 'SlsError';
  }

  /** Worth repeating as is: throttling, a server error or a dropped connection (not a name that does not resolve). */
  get retryable(): boolean {
    if (this.status === undefined) return this.code !== 'ENOTFOUND';
    return this.status === 429 || this.status >= 500;
  }
}

function remedy(status: number | undefined, code: string | undefined): string {
  if (status === 401 || status === 403 || code === 'Unauthorized' || code === 'SignatureNotMatch') {
    return ' Check the credentials and that the RAM identity may call SLS (docs/permissions.md lists the log:* actions).';
  }
  if (status === undefined) return ' Check the network and the `sls-endpoint` input.';
  if (code === 'ProjectNotExist' || code === 'LogStoreNotExist') {
    return ' Check the runtime’s logConfig, or use `logConfig: auto`, which creates them.';
  }
  return '';
}

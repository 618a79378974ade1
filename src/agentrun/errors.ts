/** What went wrong with an AgentRun API call, in the terms a user can act on. */
export type AgentRunErrorKind =
  | 'NotFound'
  | 'Conflict'
  | 'Busy'
  | 'Failed'
  | 'Throttled'
  | 'Auth'
  | 'BadRequest'
  | 'Server'
  | 'Timeout'
  | 'Network'
  | 'UnknownHost';

const REMEDIES: Record<AgentRunErrorKind, string> = {
  NotFound: 'The resource does not exist (any more); check the name and region.',
  Conflict: 'The resource already exists; another job may be deploying the same agent.',
  Busy: 'Another operation is still running on the resource (CREATING/UPDATING/DELETING); wait for it or re-run the job.',
  Failed:
    'Nothing is running on the resource: an earlier operation failed and left it in a *_FAILED state. A deploy of a working configuration updates it again and repairs it; the status reason says what failed.',
  Throttled: 'AgentRun throttled the requests; retries were exhausted. Re-run later or lower `parallel`.',
  Auth: 'Check the AccessKey/STS credentials (and that the runner clock is right) and that the RAM identity may call AgentRun (agentrun:*) in this region.',
  BadRequest: 'AgentRun rejected the request; the message names the field. Fix it in the s.yaml.',
  Server: 'AgentRun answered with a server error; retries were exhausted. Re-run later.',
  Timeout:
    'AgentRun did not answer in time; retries were exhausted. Check the network, or raise `request-timeout` for large code packages.',
  Network: 'Could not reach the AgentRun endpoint; retries were exhausted. Check the network and re-run.',
  UnknownHost: 'The endpoint host name does not resolve: check `api-endpoint` and the region.',
};

/** A failed AgentRun call: the operation, HTTP status, service code and request id, plus a remedy. */
export class AgentRunError extends Error {
  constructor(
    readonly kind: AgentRunErrorKind,
    readonly action: string,
    readonly detail: string,
    readonly status?: number,
    readonly code?: string,
    readonly requestId?: string,
  ) {
    const facts = [status && `HTTP ${status}`, code, requestId && `request id ${requestId}`].filter(Boolean);
    super(`${action} failed: ${detail}${facts.length ? ` (${facts.join(', ')})` : ''}. ${REMEDIES[kind]}`);
    this.name = 'AgentRunError';
  }

  /** Worth repeating as is: the same request may well succeed in a moment. */
  get retryable(): boolean {
    return ['Throttled', 'Server', 'Timeout', 'Network'].includes(this.kind);
  }
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);
// The gateway's signature and credential codes: wrong keys or token, and a clock out of step too.
const AUTH_CODES =
  /^(InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|SignatureNonceUsed|InvalidTimeStamp|InvalidSecurityToken|MissingSecurityToken|Forbidden|NoPermission|InvalidCredentials)/;

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  statusCode?: number;
  data?: { statusCode?: number; message?: string; Message?: string; requestId?: string; RequestId?: string };
}

/** Classifies whatever `@alicloud/openapi-client` threw for `action` into an AgentRunError. */
export function toAgentRunError(action: string, error: unknown): AgentRunError {
  if (error instanceof AgentRunError) return error;
  const sdk = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SdkError;
  const status = sdk.statusCode ?? sdk.data?.statusCode;
  const requestId = sdk.data?.requestId ?? sdk.data?.RequestId;
  const detail = sdk.data?.message ?? sdk.data?.Message ?? sdk.message ?? 'unknown error';
  const code = sdk.code && sdk.code !== 'undefined' ? sdk.code : undefined;
  return new AgentRunError(classify(sdk, status, code, detail), action, detail, status, code, requestId);
}

function classify(sdk: SdkError, status: number | undefined, code: string | undefined, detail: string) {
  if (status === undefined) {
    if (sdk.name?.includes('RequestTimeout')) return 'Timeout';
    if (code === 'ENOTFOUND') return 'UnknownHost';
    if (code && NETWORK_CODES.has(code)) return 'Network';
    if (/socket hang up|ECONNRESET/.test(detail)) return 'Network';
    return code && AUTH_CODES.test(code) ? 'Auth' : 'Network';
  }
  if (status === 429 || /Throttling/i.test(code ?? '')) return 'Throttled';
  if (status === 401 || status === 403 || AUTH_CODES.test(code ?? '')) return 'Auth';
  if (status === 404) return 'NotFound';
  // AgentRun reports duplicates as 409 but sometimes as 400/500 with "already exists" in the message;
  // any other 409 refuses a change to a resource in a transition (SERVICE.busyStatuses).
  if (/already exists/i.test(detail)) return 'Conflict';
  // A 409 that names a failed state is not a transition: waiting or re-running the same call cannot help.
  if (status === 409) return /[A-Z]+_FAILED\b/.test(detail) ? 'Failed' : 'Busy';
  if (status >= 500) return 'Server';
  return 'BadRequest';
}

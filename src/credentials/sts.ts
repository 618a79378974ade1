import type { ApiCredentials } from '../agentrun/client.js';
import { callRpc } from '../rpc.js';
import { StsError } from './errors.js';

const STS_VERSION = '2015-04-01';
const TIMEOUT_MS = { connect: 10_000, read: 30_000 };

/** The parameters of STS AssumeRoleWithOIDC (API 2015-04-01) we send. */
export interface OidcAssumeRoleRequest {
  roleArn: string;
  oidcProviderArn: string;
  /** The GitHub ID token (a JWT). */
  oidcToken: string;
  roleSessionName: string;
  durationSeconds: number;
  /** `sts.aliyuncs.com`, `sts.<region>.aliyuncs.com`, or a full URL such as `http://127.0.0.1:9000`. */
  endpoint: string;
}

/** Temporary credentials of the assumed role. */
export interface StsCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** UTC ISO time, e.g. `2025-01-01T01:00:00Z`. */
  expiration: string;
}

/**
 * Exchanges a GitHub OIDC token for STS credentials. The call is anonymous (the token is the proof) and
 * RPC-style, sent as a POST with the token in the form body so it never appears in a URL. Not retried:
 * a refused token stays refused, and the caller's error says how to fix the trust policy.
 */
export async function assumeRoleWithOidc(request: OidcAssumeRoleRequest): Promise<StsCredentials> {
  let body: unknown;
  try {
    body = await callRpc({
      endpoint: request.endpoint,
      action: 'AssumeRoleWithOIDC',
      version: STS_VERSION,
      signatureAlgorithm: 'v2',
      query: {
        RoleArn: request.roleArn,
        OIDCProviderArn: request.oidcProviderArn,
        RoleSessionName: request.roleSessionName,
        DurationSeconds: String(request.durationSeconds),
      },
      body: { OIDCToken: request.oidcToken },
      timeoutMs: TIMEOUT_MS,
    });
  } catch (error) {
    throw toStsError(error, request);
  }
  return readCredentials(body);
}

function readCredentials(body: unknown): StsCredentials {
  const credentials = (body as { Credentials?: Record<string, unknown> } | undefined)?.Credentials;
  const field = (name: string): string => {
    const value = credentials?.[name];
    if (typeof value === 'string' && value !== '') return value;
    const requestId = (body as { RequestId?: string } | undefined)?.RequestId;
    throw new StsError(
      `STS AssumeRoleWithOIDC returned no Credentials.${name}.`,
      undefined,
      requestId,
      undefined,
    );
  };
  return {
    accessKeyId: field('AccessKeyId'),
    accessKeySecret: field('AccessKeySecret'),
    securityToken: field('SecurityToken'),
    expiration: field('Expiration'),
  };
}

/** Turns the client's error (an STS error body, or a network failure) into a message with the remedy. */
function toStsError(error: unknown, request: OidcAssumeRoleRequest): StsError {
  const { code, data } = error as { code?: string; data?: Record<string, unknown> };
  const stsMessage = data?.Message ?? data?.message ?? (error as Error).message;
  const requestId = (data?.RequestId ?? data?.requestId) as string | undefined;
  const statusCode = typeof data?.statusCode === 'number' ? data.statusCode : undefined;
  if (statusCode === undefined) {
    return new StsError(
      `Could not reach STS at ${request.endpoint} (the \`sts-endpoint\` input): ${String(stsMessage)}`,
      code,
      undefined,
      undefined,
    );
  }
  return new StsError(
    [
      `STS AssumeRoleWithOIDC for ${request.roleArn} failed: HTTP ${statusCode}, ` +
        `code ${code ?? 'unknown'}, ` +
        `request id ${requestId ?? 'unknown'}: ${String(stsMessage)}`,
      'Check that:',
      `- the OIDC provider ${request.oidcProviderArn} has the token's audience (the \`audience\` input) ` +
        'among its client IDs, and trusts https://token.actions.githubusercontent.com;',
      `- the trust policy of ${request.roleArn} allows this provider with conditions that match the token: ` +
        'oidc:aud = the audience, oidc:sub = e.g. repo:<owner>/<repo>:ref:refs/heads/<branch> ' +
        '(or repo:<owner>/<repo>:environment:<name> for jobs with an environment);',
      '- the session duration is not above the maximum session duration of the role.',
    ].join('\n'),
    code,
    requestId,
    statusCode,
  );
}

/**
 * The account id of whoever holds `credentials` (STS GetCallerIdentity), for what the component names
 * after it when the credentials do not tell it: the `logConfig: auto` project. Signed RPC call.
 */
export async function getCallerIdentity(credentials: ApiCredentials, endpoint: string): Promise<string> {
  let body: unknown;
  try {
    body = await callRpc({
      endpoint,
      action: 'GetCallerIdentity',
      version: STS_VERSION,
      credentials,
      signatureAlgorithm: 'v2',
      timeoutMs: TIMEOUT_MS,
    });
  } catch (error) {
    const { code, data } = error as { code?: string; data?: Record<string, unknown> };
    const message = String(data?.Message ?? (error as Error).message);
    throw new StsError(
      `STS GetCallerIdentity at ${endpoint} (the \`sts-endpoint\` input) failed: ${message}. ` +
        'It names the account whose SLS project `logConfig: auto` uses; or set the AccountID variable.',
      code,
      data?.RequestId as string | undefined,
      typeof data?.statusCode === 'number' ? data.statusCode : undefined,
    );
  }
  const accountId = (body as { AccountId?: unknown } | undefined)?.AccountId;
  if (typeof accountId !== 'string' || !/^\d+$/.test(accountId)) {
    throw new StsError('STS GetCallerIdentity returned no AccountId.', undefined, undefined, undefined);
  }
  return accountId;
}

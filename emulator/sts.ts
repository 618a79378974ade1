/**
 * The STS 2015-04-01 operations a deploy pipeline needs, RPC style on the emulator's main port:
 * AssumeRoleWithOIDC (anonymous, as for a GitHub OIDC token), AssumeRole and GetCallerIdentity
 * (signed). The first two issue temporary `STS.` keys that the control plane then accepts with their
 * security token.
 */
import { ApiError } from './errors.js';
import { isoSeconds, newRequestId } from './ids.js';
import type { KeyRing } from './keys.js';
import { verifyAcs3, verifyRpcV1, type NonceCache, type SignedRequest } from './signature.js';

/** STS and RPC gateways answer errors in PascalCase; the openapi-client reads either casing. */
export function stsErrorBody(error: ApiError, requestId: string): Record<string, string> {
  return {
    RequestId: requestId,
    HostId: 'sts.aliyuncs.com',
    Code: error.code,
    Message: error.message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${error.code}&product=Sts`,
  };
}

/** What the STS handler needs from the emulator. */
export interface StsContext {
  keys: KeyRing;
  nonces: NonceCache;
  accountId: string;
  /** Caps issued lifetimes (tests use it to watch a token expire); undefined = DurationSeconds. */
  maxTokenTtlMs?: number;
}

const ROLE_ARN = /^acs:ram::(\d+):role\/([\w.@-]{1,64})$/i;
const OIDC_PROVIDER_ARN = /^acs:ram::\d+:oidc-provider\/[\w.-]{1,128}$/i;
const SESSION_NAME = /^[\w.@-]{2,64}$/;

/** The RPC action of a request: the `Action` parameter or the ACS3 `x-acs-action` header. */
export function stsAction(params: Record<string, string>, headerAction: string | undefined): string {
  return params.Action ?? headerAction ?? '';
}

/** Handles one STS request; `params` are query and form body merged. */
export function handleSts(
  ctx: StsContext,
  action: string,
  params: Record<string, string>,
  req: SignedRequest,
): Record<string, unknown> {
  const version = params.Version ?? header(req, 'x-acs-version');
  if (version !== '2015-04-01') {
    throw new ApiError(
      400,
      'InvalidVersion',
      `Specified parameter Version is not valid: ${version ?? '(none)'}.`,
    );
  }
  switch (action) {
    case 'AssumeRoleWithOIDC':
      return assumeRoleWithOidc(ctx, params);
    case 'AssumeRole': {
      const caller =
        header(req, 'authorization') !== undefined
          ? verifyAcs3(req, ctx.keys, ctx.nonces)
          : verifyRpcV1(req.method, params, ctx.keys, ctx.nonces);
      // Role chaining (an STS key assuming a role) is limited to one hour on the real service.
      return assumeRole(ctx, params, caller.securityToken === undefined ? 43200 : 3600);
    }
    case 'GetCallerIdentity': {
      const caller =
        header(req, 'authorization') !== undefined
          ? verifyAcs3(req, ctx.keys, ctx.nonces)
          : verifyRpcV1(req.method, params, ctx.keys, ctx.nonces);
      return callerIdentity(ctx, caller.securityToken !== undefined);
    }
    default:
      throw new ApiError(
        404,
        'InvalidAction.NotFound',
        `Specified api is not found, please check your url and method: ${action}.`,
      );
  }
}

/**
 * Who signed the request (STS GetCallerIdentity): the emulator's one account; a long-lived key is the
 * account's own, a temporary key an assumed role's.
 */
function callerIdentity(ctx: StsContext, temporary: boolean): Record<string, unknown> {
  return {
    RequestId: newRequestId(),
    AccountId: ctx.accountId,
    UserId: ctx.accountId,
    PrincipalId: ctx.accountId,
    IdentityType: temporary ? 'AssumedRoleUser' : 'Account',
    Arn: temporary
      ? `acs:ram::${ctx.accountId}:assumed-role/emulator/session`
      : `acs:ram::${ctx.accountId}:root`,
  };
}

function assumeRoleWithOidc(ctx: StsContext, params: Record<string, string>): Record<string, unknown> {
  const [providerArn, roleArn, token, sessionName] = required(
    params,
    'OIDCProviderArn',
    'RoleArn',
    'OIDCToken',
    'RoleSessionName',
  );
  if (!OIDC_PROVIDER_ARN.test(providerArn)) {
    throw new ApiError(
      400,
      'InvalidParameter.OIDCProviderArn',
      `The OIDCProviderArn is invalid: ${providerArn}.`,
    );
  }
  const claims = decodeJwt(token);
  const issued = issue(ctx, params, roleArn, sessionName, 43200);
  const audience = Array.isArray(claims.aud) ? claims.aud.join(',') : String(claims.aud ?? '');
  return {
    ...issued,
    OIDCTokenInfo: {
      Subject: String(claims.sub ?? ''),
      Issuer: String(claims.iss ?? ''),
      ClientIds: audience,
      ExpirationTime: isoSeconds(Number(claims.exp) * 1000),
      IssuanceTime: isoSeconds(Number(claims.iat ?? claims.exp) * 1000),
      VerificationInfo: 'Success: the emulator checks the token shape and expiry, not its signature.',
    },
  };
}

function assumeRole(
  ctx: StsContext,
  params: Record<string, string>,
  maxSeconds: number,
): Record<string, unknown> {
  const [roleArn, sessionName] = required(params, 'RoleArn', 'RoleSessionName');
  return issue(ctx, params, roleArn, sessionName, maxSeconds);
}

function issue(
  ctx: StsContext,
  params: Record<string, string>,
  roleArn: string,
  sessionName: string,
  maxSeconds: number,
): Record<string, unknown> {
  const role = ROLE_ARN.exec(roleArn);
  if (!role)
    throw new ApiError(
      400,
      'InvalidParameter.RoleArn',
      `The parameter RoleArn is wrongly formed: ${roleArn}.`,
    );
  if (!SESSION_NAME.test(sessionName)) {
    throw new ApiError(
      400,
      'InvalidParameter.RoleSessionName',
      `The parameter RoleSessionName is wrongly formed: ${sessionName}.`,
    );
  }
  const seconds = Number(params.DurationSeconds ?? 3600);
  if (!Number.isInteger(seconds) || seconds < 900 || seconds > maxSeconds) {
    throw new ApiError(
      400,
      'InvalidParameter.DurationSeconds',
      `The DurationSeconds must be an integer from 900 to ${maxSeconds}: ${params.DurationSeconds}.`,
    );
  }
  const key = ctx.keys.issue(Math.min(seconds * 1000, ctx.maxTokenTtlMs ?? Infinity));
  const roleId = `3${role[1]!.slice(0, 15).padEnd(16, '0')}`;
  return {
    RequestId: newRequestId(),
    AssumedRoleUser: {
      AssumedRoleId: `${roleId}:${sessionName}`,
      Arn: `acs:ram::${ctx.accountId}:role/${role[2]!.toLowerCase()}/${sessionName}`,
    },
    Credentials: {
      AccessKeyId: key.accessKeyId,
      AccessKeySecret: key.accessKeySecret,
      SecurityToken: key.securityToken,
      Expiration: isoSeconds(key.expiresAt),
    },
  };
}

/** Checks a JWT's shape (three base64url parts, JSON header and claims) and its `exp`. */
function decodeJwt(token: string): Record<string, unknown> {
  const malformed = (why: string): ApiError =>
    new ApiError(400, 'AuthenticationFail.OIDCToken.Invalid', `The OIDC token is invalid: ${why}.`);
  if (token.length < 4 || token.length > 20000) throw malformed('it must be 4 to 20000 characters long');
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[\w-]*$/.test(part)) || parts[2] === '') {
    throw malformed('it is not a signed JWT (header.payload.signature)');
  }
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    throw malformed('its header or payload is not base64url JSON');
  }
  if (!isObject(header) || typeof header.alg !== 'string') throw malformed('its header has no alg');
  if (!isObject(claims) || typeof claims.exp !== 'number' || typeof claims.iss !== 'string') {
    throw malformed('its payload needs numeric exp and an iss');
  }
  if (claims.exp * 1000 <= Date.now()) {
    throw new ApiError(400, 'AuthenticationFail.OIDCToken.Expired', 'The OIDC token has expired.');
  }
  return claims;
}

function required(params: Record<string, string>, ...names: string[]): string[] {
  return names.map((name) => {
    const value = params[name];
    if (!value) throw new ApiError(400, `Missing${name}`, `${name} is mandatory for this action.`);
    return value;
  });
}

function header(req: SignedRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

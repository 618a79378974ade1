import { parseEndpointInput } from '../inputs.js';
import { CredentialsError } from './errors.js';
import { CredentialInputs } from './names.js';
import { given } from './sources.js';
import { assumeRoleWithOidc } from './sts.js';
import type { Credentials, CredentialsDeps, CredentialsInput } from './types.js';

const DEFAULT_SESSION_NAME = 'agentrun-deploy';
const DEFAULT_SESSION_SECONDS = 3600;
const DEFAULT_AUDIENCE = 'sts.aliyuncs.com';
const DEFAULT_STS_ENDPOINT = 'sts.aliyuncs.com';
// STS accepts 900 s up to the role's maximum session duration, which RAM caps at 12 hours.
const MIN_SESSION_SECONDS = 900;
const MAX_SESSION_SECONDS = 43_200;

export const ROLE_ARN = /^acs:ram::(\d+):role\/\S+$/;
const PROVIDER_ARN = /^acs:ram::\d+:oidc-provider\/\S+$/;
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;

/** GitHub OIDC token → STS AssumeRoleWithOIDC, after checking what STS would reject less clearly. */
export async function assumeRole(
  input: CredentialsInput,
  deps: CredentialsDeps,
  mask: (value: string | undefined) => void,
): Promise<Credentials> {
  const roleArn = given(input.roleToAssume);
  const oidcProviderArn = given(input.oidcProviderArn);
  if (!roleArn || !oidcProviderArn) {
    const [missing, present] = roleArn
      ? [CredentialInputs.oidcProviderArn, CredentialInputs.roleToAssume]
      : [CredentialInputs.roleToAssume, CredentialInputs.oidcProviderArn];
    throw new CredentialsError(`OIDC needs both ${missing} and ${present}; only ${present} is set.`);
  }
  const accountId = ROLE_ARN.exec(roleArn)?.[1];
  if (!accountId) {
    throw new CredentialsError(
      `${CredentialInputs.roleToAssume} "${roleArn}" is not a RAM role ARN ` +
        '(acs:ram::<account id>:role/<name>).',
    );
  }
  if (!PROVIDER_ARN.test(oidcProviderArn)) {
    throw new CredentialsError(
      `${CredentialInputs.oidcProviderArn} "${oidcProviderArn}" is not an OIDC provider ARN ` +
        '(acs:ram::<account id>:oidc-provider/<name>).',
    );
  }
  const roleSessionName = given(input.roleSessionName) ?? DEFAULT_SESSION_NAME;
  if (!SESSION_NAME.test(roleSessionName)) {
    throw new CredentialsError(
      `${CredentialInputs.roleSessionName} "${roleSessionName}" must be 2-64 characters ` +
        'of A-Z a-z 0-9 . @ _ -.',
    );
  }
  const durationSeconds = input.sessionDuration ?? DEFAULT_SESSION_SECONDS;
  if (
    !Number.isInteger(durationSeconds) ||
    durationSeconds < MIN_SESSION_SECONDS ||
    durationSeconds > MAX_SESSION_SECONDS
  ) {
    throw new CredentialsError(
      `Session duration ${durationSeconds} must be a whole number of seconds from ` +
        `${MIN_SESSION_SECONDS} to ${MAX_SESSION_SECONDS} (and at most the role's maximum session duration).`,
    );
  }
  const stsEndpoint = parseEndpointInput(
    CredentialInputs.stsEndpoint,
    given(input.stsEndpoint) ?? DEFAULT_STS_ENDPOINT,
  );
  const audience = given(input.audience) ?? DEFAULT_AUDIENCE;
  if (!deps.getIDToken) {
    throw new CredentialsError(
      `${CredentialInputs.roleToAssume} needs a GitHub OIDC token, which only a GitHub Actions job has; ` +
        'elsewhere use an access key pair.',
    );
  }
  let oidcToken: string;
  try {
    oidcToken = await deps.getIDToken(audience);
  } catch (error) {
    throw new CredentialsError(
      `Could not get a GitHub OIDC token for audience "${audience}": ${(error as Error).message}\n` +
        'The job needs `permissions: id-token: write` (pull requests from forks never get a token).',
    );
  }
  mask(oidcToken);
  const sts = await assumeRoleWithOidc({
    roleArn,
    oidcProviderArn,
    oidcToken,
    roleSessionName,
    durationSeconds,
    endpoint: stsEndpoint,
  });
  mask(sts.accessKeyId);
  mask(sts.accessKeySecret);
  mask(sts.securityToken);
  return {
    accessKeyId: sts.accessKeyId,
    accessKeySecret: sts.accessKeySecret,
    securityToken: sts.securityToken,
    accountId,
    source: `OIDC role ${roleArn}`,
  };
}

import { MissingCredentialsError } from './errors.js';
import { ACCOUNT_ID_ENV, CredentialInputs, ENV_KEY_PAIRS, aliasKeyEnv } from './names.js';
import { assumeRole, ROLE_ARN } from './oidc.js';
import { aliasOf, fromAliasKey, fromEnvironment, given, readKeyPair } from './sources.js';
import type { Credentials, CredentialsDeps, CredentialsInput, Environment } from './types.js';

export { CredentialsError, MissingCredentialsError, StsError } from './errors.js';
export { CredentialInputs } from './names.js';
export type { Credentials, CredentialsDeps, CredentialsInput, Environment } from './types.js';

/**
 * Finds credentials, first match wins: explicit inputs → GitHub OIDC (`roleToAssume` + `oidcProviderArn`,
 * exchanged with STS AssumeRoleWithOIDC) → `ALIBABA_CLOUD_*` → `ALICLOUD_*` → `ALIBABACLOUD_*` →
 * Serverless Devs `AccountID`/`AccessKeyID`/`AccessKeySecret` → `<alias>_serverless_devs_key`.
 * Every credential value goes to `deps.setSecret` as soon as it is read. A source given only in part is
 * an error rather than skipped, so a typo in a secret name does not silently fall through to another.
 */
export async function resolveCredentials(
  input: CredentialsInput,
  env: Environment,
  deps: CredentialsDeps,
): Promise<Credentials> {
  const mask = (value: string | undefined): void => {
    if (value !== undefined) deps.setSecret(value);
  };
  const explicit = readKeyPair(
    { id: input.accessKeyId, secret: input.accessKeySecret, token: input.securityToken },
    { ...inputPair, label: 'inputs' },
    mask,
  );
  const found =
    explicit ??
    (given(input.roleToAssume) || given(input.oidcProviderArn)
      ? await assumeRole(input, deps, mask)
      : (fromEnvironment(env, mask) ?? fromAliasKey(deps.alias, env, mask)));
  if (!found) throw new MissingCredentialsError(missingMessage(aliasOf(deps.alias, env)));
  const accountId = found.accountId ?? given(env[ACCOUNT_ID_ENV]);
  return accountId ? { ...found, accountId } : found;
}

/**
 * The account id as far as it is known without any network call: from the role to assume, or from
 * Serverless Devs' `AccountID` variable. Lets the s.yaml be checked completely before STS is asked.
 */
export function knownAccountId(input: CredentialsInput, env: Environment): string | undefined {
  return ROLE_ARN.exec(given(input.roleToAssume) ?? '')?.[1] ?? given(env[ACCOUNT_ID_ENV]);
}

const inputPair = {
  id: CredentialInputs.accessKeyId,
  secret: CredentialInputs.accessKeySecret,
  token: CredentialInputs.securityToken,
};

/** Every way to provide credentials, so one failed run tells the user all their options. */
function missingMessage(alias: string): string {
  const envLines = ENV_KEY_PAIRS.map(
    (pair) => `  - ${[pair.accountId, pair.id, pair.secret, pair.token].filter(Boolean).join(', ')}`,
  );
  return [
    'No Alibaba Cloud credentials found. Provide them in one of these ways (the first one found is used):',
    `- inputs ${CredentialInputs.accessKeyId} and ${CredentialInputs.accessKeySecret} ` +
      `(plus ${CredentialInputs.securityToken} for STS credentials), e.g. from repository secrets;`,
    `- GitHub OIDC: inputs ${CredentialInputs.roleToAssume} and ${CredentialInputs.oidcProviderArn}, with ` +
      '`permissions: id-token: write` on the job (no long-lived keys needed);',
    '- environment variables (the first complete set wins; a security token is optional where listed), as ' +
      'aliyun/configure-aliyun-credentials-action exports them or Serverless Devs reads them:',
    ...envLines,
    `  - ${aliasKeyEnv(alias)}: JSON with AccountID, AccessKeyID, AccessKeySecret (+ SecurityToken)`,
  ].join('\n');
}

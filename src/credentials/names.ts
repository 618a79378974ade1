/**
 * The action inputs behind `CredentialsInput`, as error messages name them. They must match action.yml;
 * the CLI maps its flags onto the same names.
 */
export const CredentialInputs = {
  accessKeyId: 'access-key-id',
  accessKeySecret: 'access-key-secret',
  securityToken: 'security-token',
  roleToAssume: 'role-to-assume',
  oidcProviderArn: 'oidc-provider-arn',
  roleSessionName: 'role-session-name',
  audience: 'audience',
  stsEndpoint: 'sts-endpoint',
} as const;

/** One way to pass a key pair through environment variables, in the order they are tried. */
export interface EnvKeyPair {
  id: string;
  secret: string;
  token?: string;
  /** Required with the pair (Serverless Devs only reads the pair when all three are set). */
  accountId?: string;
  /** How `Credentials.source` names it. */
  label: string;
}

export const ENV_KEY_PAIRS: readonly EnvKeyPair[] = [
  {
    id: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
    secret: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    token: 'ALIBABA_CLOUD_SECURITY_TOKEN',
    label: 'ALIBABA_CLOUD_* environment',
  },
  // The other names aliyun/configure-aliyun-credentials-action exports (s-yaml.md §9.1).
  {
    id: 'ALICLOUD_ACCESS_KEY',
    secret: 'ALICLOUD_SECRET_KEY',
    token: 'ALICLOUD_SECURITY_TOKEN',
    label: 'ALICLOUD_* environment',
  },
  {
    id: 'ALIBABACLOUD_ACCESS_KEY_ID',
    secret: 'ALIBABACLOUD_ACCESS_KEY_SECRET',
    token: 'ALIBABACLOUD_SECURITY_TOKEN',
    label: 'ALIBABACLOUD_* environment',
  },
  // Serverless Devs (s-yaml.md §6.1): no security token on this path.
  {
    id: 'AccessKeyID',
    secret: 'AccessKeySecret',
    accountId: 'AccountID',
    label: 'Serverless Devs AccountID/AccessKeyID/AccessKeySecret environment',
  },
];

/** Serverless Devs' account id variable, also used with the other sources when it is set. */
export const ACCOUNT_ID_ENV = 'AccountID';

/** `<alias>_serverless_devs_key`: JSON with AccountID, AccessKeyID, AccessKeySecret, SecurityToken. */
export const aliasKeyEnv = (alias: string): string => `${alias}_serverless_devs_key`;

/** In CI, Serverless Devs replaces the s.yaml alias with this variable's value when it is set. */
export const CICD_ALIAS_ENV = 'serverless_devs_access_cicd_alias_name';

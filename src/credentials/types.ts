/** What every Alibaba Cloud call is signed with. */
export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** The Alibaba Cloud account (uid), when a source tells it. */
  accountId?: string;
  /** Where they came from, for the log: "inputs", "ALIBABA_CLOUD_* environment", "OIDC role acs:ram::…". */
  source: string;
}

/** The credential inputs of the action (or CLI flags). Empty strings count as not given. */
export interface CredentialsInput {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  /** RAM role ARN `acs:ram::<uid>:role/<name>`; with `oidcProviderArn`, selects GitHub OIDC. */
  roleToAssume?: string;
  /** `acs:ram::<uid>:oidc-provider/<name>`. */
  oidcProviderArn?: string;
  /** Default `agentrun-deploy`. */
  roleSessionName?: string;
  /** Seconds, default 3600. */
  sessionDuration?: number;
  /** OIDC token audience, default `sts.aliyuncs.com`. */
  audience?: string;
  /** Default `sts.aliyuncs.com`; a full URL (`http://127.0.0.1:9000`) reaches an emulator. */
  stsEndpoint?: string;
}

export interface CredentialsDeps {
  /** GitHub's OIDC ID token for `audience` (the action passes `core.getIDToken`; the CLI has none). */
  getIDToken?(audience: string): Promise<string>;
  /** Masks a value in all later log output (the action passes `core.setSecret`). */
  setSecret(value: string): void;
  /** The s.yaml `access` alias, for `<alias>_serverless_devs_key`; default `default`. */
  alias?: string;
}

export type Environment = Readonly<Record<string, string | undefined>>;

import { DEFAULT_MAX_INLINE_BYTES } from './package/index.js';
import {
  parseBoolean,
  parseDuration,
  parseEndpointInput,
  parseList,
  parsePositiveInteger,
  parseSize,
} from './inputs.js';

/**
 * Every input of action.yml with its default. The CLI takes the same names as `--flags`; a test keeps
 * this table equal to action.yml.
 */
export const INPUT_DEFAULTS = {
  command: 'deploy',
  config: '',
  resource: '',
  'env-file': '',
  dotenv: '',
  'secret-env': '',
  'access-key-id': '',
  'access-key-secret': '',
  'security-token': '',
  'role-to-assume': '',
  'oidc-provider-arn': '',
  'role-session-name': 'agentrun-deploy',
  'session-duration': '1h',
  audience: 'sts.aliyuncs.com',
  'sts-endpoint': 'sts.aliyuncs.com',
  'api-endpoint': '',
  publish: 'true',
  parallel: '2',
  timeout: '15m',
  'request-timeout': '60s',
  'max-inline-size': `${DEFAULT_MAX_INLINE_BYTES / 1024 / 1024}MiB`,
  'skip-actions': 'false',
} as const;
export type InputName = keyof typeof INPUT_DEFAULTS;

/** The typed form of the inputs that everything below the composition roots works with. */
export interface Settings {
  /** Checked against the command table when the command runs. */
  command: string;
  /** Base for relative paths: the workspace in Actions, the current directory in the CLI. */
  cwd: string;
  config?: string;
  resources: string[];
  envFile?: string;
  dotenv?: string;
  /** Variables whose values are masked whatever their names. */
  secretEnv: string[];
  credentials: {
    accessKeyId?: string;
    accessKeySecret?: string;
    securityToken?: string;
    roleToAssume?: string;
    oidcProviderArn?: string;
    roleSessionName: string;
    /** Seconds, as STS takes it. */
    sessionDuration: number;
    audience: string;
    stsEndpoint: string;
  };
  apiEndpoint?: string;
  publish: boolean;
  parallel: number;
  timeoutMs: number;
  requestTimeoutMs: number;
  maxInlineBytes: number;
  skipActions: boolean;
}

/** Builds Settings from raw input strings (`read` returns '' for an unset input). */
export function readSettings(read: (name: InputName) => string, cwd: string): Settings {
  const get = (name: InputName) => read(name).trim() || INPUT_DEFAULTS[name];
  const optional = (name: InputName) => get(name) || undefined;
  return {
    command: get('command'),
    cwd,
    config: optional('config'),
    resources: parseList(get('resource')),
    envFile: optional('env-file'),
    // The body is kept verbatim: whitespace can be meaningful inside quoted values.
    dotenv: read('dotenv') || undefined,
    secretEnv: parseList(get('secret-env')),
    credentials: {
      accessKeyId: optional('access-key-id'),
      accessKeySecret: optional('access-key-secret'),
      securityToken: optional('security-token'),
      roleToAssume: optional('role-to-assume'),
      oidcProviderArn: optional('oidc-provider-arn'),
      roleSessionName: get('role-session-name'),
      sessionDuration: parseDuration('session-duration', get('session-duration')) / 1000,
      audience: get('audience'),
      stsEndpoint: get('sts-endpoint'),
    },
    apiEndpoint: parseEndpointInput('api-endpoint', optional('api-endpoint')),
    publish: parseBoolean('publish', get('publish')),
    parallel: parsePositiveInteger('parallel', get('parallel')),
    timeoutMs: parseDuration('timeout', get('timeout')),
    requestTimeoutMs: parseDuration('request-timeout', get('request-timeout')),
    maxInlineBytes: parseSize('max-inline-size', get('max-inline-size')),
    skipActions: parseBoolean('skip-actions', get('skip-actions')),
  };
}

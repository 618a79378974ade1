import type { BuildSettings } from './build/index.js';
import { BUILD_MODES } from './build/mode.js';
import type { LogsOptions } from './logs/options.js';
import {
  InputError,
  parseBoolean,
  parseDuration,
  parseEndpointInput,
  parseList,
  parsePositiveInteger,
} from './inputs.js';
import { parseRolloutOptions, ROLLOUT_INPUT_DEFAULTS, type RolloutOptions } from './rollout/options.js';

/** `auto`: an endpoint on the agent's runtime, unless that would change what production serves. */
export const PREVIEW_MODES = ['auto', 'endpoint', 'runtime'] as const;
export type PreviewMode = (typeof PREVIEW_MODES)[number];

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
  'sls-endpoint': '',
  publish: 'true',
  /**
   * UNCONFIRMED: AgentRun publishes no request rate limit (agentrun-api.md §1 and §8 name none). Twenty
   * waiting deploys poll at most 100 times a second in all, and a throttled request is retried with
   * backoff (src/agentrun/retry.ts); lower it if an account's limit proves smaller.
   */
  parallel: '20',
  'wait-timeout': '15m',
  /** Deprecated name of `wait-timeout`. */
  timeout: '',
  'request-timeout': '60s',
  'skip-actions': 'false',
  'allow-code-outside-workspace': 'false',
  'github-token': '${{ github.token }}',
  comment: 'true',
  'pr-number': '',
  'allow-fork-previews': 'false',
  'preview-endpoint': 'pr-{number}',
  'preview-mode': 'auto',
  environment: 'production',
  'older-than': '',
  out: '',
  build: 'auto',
  'build-image': '',
  cache: 'true',
  'build-timeout': '15m',
  ...ROLLOUT_INPUT_DEFAULTS,
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
  /** Simple Log Service; default `<region>.log.aliyuncs.com`. */
  slsEndpoint?: string;
  publish: boolean;
  parallel: number;
  /** How long to wait for a runtime or endpoint to become ready (`wait-timeout`). */
  timeoutMs: number;
  requestTimeoutMs: number;
  skipActions: boolean;
  /** Accept `code.src` outside the workspace (the repository checkout, or the s.yaml's directory). */
  allowCodeOutsideWorkspace: boolean;
  /** The Serverless Devs key alias (the CLI's `-a`), in place of the s.yaml's `access`. */
  access?: string;
  build: BuildSettings;
  /** `package`: the directory the zips are written to (`out`). */
  packageDir?: string;
  github: GitHubSettings;
  /** `strategy` and the canary's stages, probes and gates. */
  rollout: RolloutOptions;
  /** What `logs` reads: the CLI's flags; the action reads with the defaults. */
  logs?: LogsOptions;
}

/** How pull-request previews and GitHub Deployments are recorded. */
export interface GitHubSettings {
  /** Empty outside Actions unless given; the CLI falls back to GITHUB_TOKEN. */
  token?: string;
  comment: boolean;
  /** The PR to preview when the event carries none (workflow_dispatch). */
  prNumber?: number;
  /** Preview a fork's PR on events that run with secrets (`pull_request_target`, `issue_comment`…). */
  allowForkPreviews: boolean;
  /** The preview endpoint's name, `{number}` standing for the PR number. */
  previewEndpoint: string;
  previewMode: PreviewMode;
  /** The GitHub environment a `deploy` records. */
  environment: string;
  /** `preview-cleanup`: remove previews of PRs closed at least this long ago. */
  olderThanMs?: number;
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
    slsEndpoint: parseEndpointInput('sls-endpoint', optional('sls-endpoint')),
    publish: parseBoolean('publish', get('publish')),
    parallel: parsePositiveInteger('parallel', get('parallel')),
    // The deprecated name, when given, still decides (the runner warns about it).
    timeoutMs: get('timeout')
      ? parseDuration('timeout', get('timeout'))
      : parseDuration('wait-timeout', get('wait-timeout')),
    requestTimeoutMs: parseDuration('request-timeout', get('request-timeout')),
    skipActions: parseBoolean('skip-actions', get('skip-actions')),
    allowCodeOutsideWorkspace: parseBoolean(
      'allow-code-outside-workspace',
      get('allow-code-outside-workspace'),
    ),
    build: {
      mode: parseChoice('build', get('build'), BUILD_MODES),
      image: optional('build-image'),
      cache: parseBoolean('cache', get('cache')),
      timeoutMs: parseDuration('build-timeout', get('build-timeout')),
    },
    packageDir: optional('out'),
    github: {
      // The runner substitutes the default expression; elsewhere (the CLI) it stays unset.
      token: read('github-token').trim() || undefined,
      comment: parseBoolean('comment', get('comment')),
      prNumber: optional('pr-number') ? parsePositiveInteger('pr-number', get('pr-number')) : undefined,
      allowForkPreviews: parseBoolean('allow-fork-previews', get('allow-fork-previews')),
      previewEndpoint: parsePreviewEndpoint(get('preview-endpoint')),
      previewMode: parseChoice('preview-mode', get('preview-mode'), PREVIEW_MODES),
      environment: get('environment'),
      olderThanMs: optional('older-than') ? parseDuration('older-than', get('older-than')) : undefined,
    },
    rollout: parseRolloutOptions(get, (name) => read(name).trim() !== ''),
  };
}

function parseChoice<T extends string>(name: string, value: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new InputError(`Input ${name} must be one of ${choices.join(', ')}, not "${value}".`);
}

/** An endpoint name pattern that tells PRs apart, so a preview can never land on another endpoint. */
function parsePreviewEndpoint(value: string): string {
  if (!value.includes('{number}') || !/^[a-zA-Z][\w{}-]*$/.test(value)) {
    throw new InputError(
      `Input preview-endpoint must be an endpoint name containing {number}, such as pr-{number}, not "${value}".`,
    );
  }
  return value;
}

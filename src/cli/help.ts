/**
 * What the CLI offers and how it explains itself: every command with its options, each with a line of
 * help. The action's commands come from the command table; each needs its entry here.
 */
import type { CommandName } from '../app/commands/index.js';
import { INPUT_DEFAULTS, type InputName } from '../settings.js';
import type { Style } from './style.js';

export const PROGRAM = 'agentrun-deploy';

export interface OptionHelp {
  short?: string;
  /** What the value looks like, e.g. `<duration>`; none for a flag. */
  value?: string;
  help: string;
  /** Accepted but not listed: a deprecated name. */
  hidden?: boolean;
}

export interface CommandHelp {
  summary: string;
  description: string;
  /** Extra options of this command beyond the common ones. */
  options: Record<string, OptionHelp>;
  /** Whether the command deploys or compares, and so takes the action's inputs. */
  inputs: boolean;
}

/** The inputs as CLI options: everything but `command`, and `config`, which is the positional s.yaml. */
type InputOption = Exclude<InputName, 'command' | 'config'>;

const INPUT_HELP: Record<InputOption, OptionHelp> = {
  resource: { value: '<names>', help: 'only these agentrun resources (comma-separated)' },
  'env-file': { value: '<file>', help: 'a .env file for ${env()} (default: .env beside the s.yaml)' },
  dotenv: { value: '<text>', help: 'a whole .env body; its values rank above --env-file' },
  'secret-env': { value: '<names>', help: 'more variables whose values are masked (comma-separated)' },
  'access-key-id': { value: '<id>', help: 'AccessKey ID (else OIDC, the environment, ~/.s/access.yaml)' },
  'access-key-secret': { value: '<secret>', help: 'AccessKey secret, with --access-key-id' },
  'security-token': { value: '<token>', help: 'STS security token, for temporary keys' },
  'role-to-assume': { value: '<arn>', help: 'RAM role to assume with a GitHub OIDC token' },
  'oidc-provider-arn': {
    value: '<arn>',
    help: 'RAM OIDC provider that trusts GitHub, with --role-to-assume',
  },
  'role-session-name': { value: '<name>', help: 'session name of the assumed role' },
  'session-duration': { value: '<duration>', help: 'lifetime of the assumed role’s keys (900s to 12h)' },
  audience: { value: '<audience>', help: 'audience of the OIDC token' },
  'sts-endpoint': { value: '<host|url>', help: 'STS endpoint for --role-to-assume' },
  'api-endpoint': {
    value: '<host|url>',
    help: 'AgentRun control plane, e.g. the emulator (default: agentrun.<region>.aliyuncs.com)',
  },
  publish: { value: 'true|false', help: 'publish a version when something changed' },
  parallel: { value: '<n>', help: 'resources deployed at the same time' },
  'wait-timeout': { value: '<duration>', help: 'how long to wait for a runtime or endpoint to be ready' },
  timeout: { value: '<duration>', help: 'old name of --wait-timeout', hidden: true },
  'request-timeout': { value: '<duration>', help: 'how long one API request may take before a retry' },
  'max-inline-size': { value: '<size>', help: 'largest code package sent inline' },
  'skip-actions': { value: 'true|false', help: 'do not run the s.yaml’s actions hooks' },
  'allow-code-outside-workspace': {
    value: 'true|false',
    help: 'deploy a code.src outside the s.yaml’s directory',
  },
  build: {
    value: 'auto|container|docker|local|skip',
    help: 'where dependencies (requirements.txt, package.json) are installed',
  },
  'build-image': { value: '<image>', help: 'image for --build docker (default: the language’s)' },
  cache: { value: 'true|false', help: 'reuse dependencies built for the same lockfile' },
  'build-timeout': { value: '<duration>', help: 'how long a dependency install may run' },
  'github-token': {
    value: '<token>',
    help: 'for the PR comment and GitHub Deployments (default: $GITHUB_TOKEN)',
  },
  comment: { value: 'true|false', help: 'keep one comment on the pull request up to date' },
  'pr-number': { value: '<n>', help: 'the pull request to preview or clean up' },
  'allow-fork-previews': {
    value: 'true|false',
    help: 'preview a fork’s pull request on events that run with secrets (pull_request_target…)',
  },
  'preview-endpoint': { value: '<name>', help: 'the preview endpoint’s name; {number} is the PR number' },
  'preview-mode': {
    value: 'auto|endpoint|runtime',
    help: 'an endpoint of the agent’s runtime, or a runtime of its own',
  },
  environment: { value: '<name>', help: 'the GitHub environment a deploy records' },
  'older-than': {
    value: '<duration>',
    help: 'preview-cleanup: previews of PRs closed this long ago, e.g. 7d',
  },
  strategy: { value: 'direct|canary', help: 'deploy as written, or as a staged canary under health gates' },
  'canary-steps': { value: '<percents>', help: 'the candidate’s share of production at each stage' },
  'canary-interval': { value: '<duration>', help: 'how long each stage bakes under the gates' },
  'canary-mode': { value: 'auto|manual', help: 'run every stage, or stop after the first for promote' },
  'canary-endpoint': { value: '<name>', help: 'the endpoint that serves the candidate alone' },
  'production-endpoint': {
    value: '<name>',
    help: 'the endpoint a rollout moves (default: the s.yaml’s main endpoint)',
  },
  'promote-to': { value: 'next|<percent>|full', help: 'promote: where the rollout goes' },
  'probe-path': { value: '<path>', help: 'path of the health probes' },
  'probe-method': { value: '<method>', help: 'HTTP method of the health probes' },
  'probe-body': { value: '<json>', help: 'body of the health probes' },
  'probe-headers': { value: '<headers>', help: 'extra probe headers, `Name: value` lines or JSON' },
  'probe-expect-status': { value: '<statuses>', help: 'healthy statuses, e.g. 200 or 2xx,404' },
  'probe-expect-body': { value: '<text|$.path>', help: 'a substring, or a JSON path every answer needs' },
  'probe-rps': { value: '<n>', help: 'probes per second per endpoint during a bake' },
  'probe-timeout': { value: '<duration>', help: 'a probe without an answer after this long fails' },
  'min-success-rate': { value: '<share>', help: 'gate: healthy share of probes per stage' },
  'max-latency': { value: '<duration>', help: 'gate: highest p95 probe latency per stage' },
  'max-consecutive-failures': { value: '<n>', help: 'gate: failed probes in a row that fail a stage' },
  'gate-command': { value: '<command>', help: 'gate: a shell command that must exit 0 ($CANARY_URL set)' },
  'gate-logs-query': { value: '<query>', help: 'gate: logstore query for the candidate’s error lines' },
  'max-error-logs': { value: '<n>', help: 'gate: most error lines of the candidate per stage' },
};

/** The help of every action command; the type makes a new command in the table need one. */
const ACTION_COMMANDS: Record<CommandName, Omit<CommandHelp, 'inputs'>> = {
  deploy: {
    summary: 'create or update the agent runtimes of the s.yaml',
    description:
      'Creates or updates each agent runtime of the s.yaml, waits until it is ready, publishes a version\n' +
      'when something changed and reconciles its endpoints. Does nothing when nothing changed.\n' +
      'Prints what it did on stdout; the log goes to stderr.',
    options: {},
  },
  plan: {
    summary: 'show the request bodies and what a deploy would change',
    description:
      'Resolves and validates the s.yaml and prints each runtime’s and endpoint’s request body (secrets\n' +
      'masked). With credentials it also says what a deploy would change. Changes nothing.',
    options: {
      'detailed-exitcode': {
        help: 'exit 0 when a deploy would change nothing, 2 when it would (needs credentials)',
      },
    },
  },
  preview: {
    summary: 'deploy a pull request’s preview next to production',
    description:
      'Deploys a pull request’s code to an endpoint of its own (or a runtime of its own) and keeps the\n' +
      'pull request’s comment and GitHub Deployment up to date. Production endpoints are never edited.\n' +
      'Runs in a GitHub workflow, or anywhere with --pr-number and a GITHUB_TOKEN.',
    options: {},
  },
  'preview-cleanup': {
    summary: 'remove a closed pull request’s preview, or sweep them with --older-than',
    description:
      'Removes a closed pull request’s preview endpoint or runtime, marks its GitHub Deployments\n' +
      'inactive and says so in its comment. Without a pull request, removes the previews of every pull\n' +
      'request closed at least --older-than ago.',
    options: {},
  },
  promote: {
    summary: 'move the rollout in progress to --promote-to (next, a percent, full)',
    description:
      'Moves the production endpoint of the rollout in progress to the stage --promote-to names and\n' +
      'checks the gates on a fresh probe window there; a failure rolls back. 100% ends the rollout.',
    options: {},
  },
  rollback: {
    summary: 'put production back on the stable version alone',
    description:
      'Routes all production traffic to the version the rollout started from, mid-rollout or after it\n' +
      'was promoted. The candidate endpoint stays on the candidate.',
    options: {},
  },
  abort: {
    summary: 'stop the rollout in progress where it is, weights unchanged',
    description: 'Stops the rollout in progress at its stage; only promote or rollback move it from there.',
    options: {},
  },
  status: {
    summary: 'print the rollout’s phase, stage and production split',
    description:
      'Prints the rollout recorded on the production endpoint: phase, candidate and stable versions,\n' +
      'stage, the split production serves, the bake so far and the commands that apply. Changes nothing.',
    options: {},
  },
  advance: {
    summary: 'move a rollout one stage once its bake has elapsed (for schedules)',
    description:
      'For rollouts whose bakes outlast a job: once --canary-interval has passed since the stage began,\n' +
      'checks the gates on a fresh probe window and moves one stage, or rolls back. Before that, and\n' +
      'with no rollout in progress, it changes nothing.',
    options: {},
  },
};

export const COMMAND_HELP: Record<string, CommandHelp> = {
  ...Object.fromEntries(
    Object.entries(ACTION_COMMANDS).map(([name, help]) => [name, { ...help, inputs: true }]),
  ),
  resolve: {
    summary: 'print every resource’s resolved props as JSON, as s hands them over',
    description:
      'Resolves ${env()}, ${vars.x}, ${resources…} and every other expression as Serverless Devs does and\n' +
      'prints each resource’s props as JSON, before validation. Secret values show as ***.',
    options: { 'show-secrets': { help: 'print secret values instead of ***' } },
    inputs: false,
  },
};

/** Options every command takes. */
export const COMMON_OPTIONS: Record<string, OptionHelp> = {
  template: { short: 't', value: '<file>', help: 'the s.yaml, instead of the argument (as with s -t)' },
  access: {
    short: 'a',
    value: '<alias>',
    help: 'keys saved by `s config add` in ~/.s/access.yaml (default: the s.yaml’s access)',
  },
  json: { help: 'print the result as one JSON document on stdout' },
  debug: { help: 'more log output' },
  help: { short: 'h', help: 'show this help' },
};

/** The options of `command`: its own, the action's inputs where it takes them, the common ones. */
export function commandOptions(command: string): Record<string, OptionHelp> {
  const help = COMMAND_HELP[command]!;
  const inputs: Record<string, OptionHelp> = help.inputs
    ? INPUT_HELP
    : {
        'env-file': INPUT_HELP['env-file'],
        dotenv: INPUT_HELP.dotenv,
        'secret-env': INPUT_HELP['secret-env'],
      };
  return { ...inputs, ...help.options, ...COMMON_OPTIONS };
}

export function programHelp(version: string, style: Style): string {
  const names = Object.keys(COMMAND_HELP);
  const width = Math.max(...names.map((name) => name.length)) + 4;
  return [
    `${PROGRAM} ${version}: deploy AI agents to Alibaba Cloud AgentRun from a Serverless Devs s.yaml`,
    '',
    `${style.bold('Usage:')} ${PROGRAM} <command> [s.yaml] [options]`,
    '',
    style.bold('Commands:'),
    ...names.map((name) => `  ${name.padEnd(width)}${COMMAND_HELP[name]!.summary}`),
    `  ${'help'.padEnd(width)}show the help of a command`,
    '',
    style.bold('Options:'),
    `  ${'-h, --help'.padEnd(width)}show this help`,
    `  ${'--version'.padEnd(width)}print the version`,
    '',
    `Run \`${PROGRAM} help <command>\` for a command's options.`,
    'Exit codes: 0 done, 1 failed, 2 wrong usage (and plan --detailed-exitcode: changes pending).',
    '',
  ].join('\n');
}

export function commandHelpText(command: string, style: Style): string {
  const help = COMMAND_HELP[command]!;
  const rows = Object.entries(commandOptions(command))
    .filter(([, option]) => !option.hidden)
    .map(([name, option]) => {
      const flag = `${option.short ? `-${option.short}, ` : '    '}--${name}${option.value ? ` ${option.value}` : ''}`;
      // `${{ github.token }}` is the action's default; the CLI has none to show.
      const fallback = INPUT_DEFAULTS[name as InputName]?.startsWith('${{')
        ? ''
        : INPUT_DEFAULTS[name as InputName];
      return { flag, help: fallback ? `${option.help} (default: ${fallback})` : option.help };
    });
  const width = Math.max(...rows.map((row) => row.flag.length)) + 2;
  return [
    `${style.bold('Usage:')} ${PROGRAM} ${command} [s.yaml] [options]`,
    '',
    help.description,
    '',
    style.bold('Arguments:'),
    `  ${'s.yaml'.padEnd(width)}the Serverless Devs file (default: s.yaml, then s.yml, here)`,
    '',
    style.bold('Options:'),
    ...rows.map((row) => `  ${row.flag.padEnd(width)}${row.help}`),
    '',
  ].join('\n');
}

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import packageJson from '../../package.json' with { type: 'json' };
import { DEFAULT_LOGS_OPTIONS, type LogsOptions } from '../logs/options.js';
import type { PlanResult } from '../app/commands/plan.js';
import type { Deps, Host } from '../app/host.js';
import { run } from '../app/run.js';
import { maskSecrets, reportingConfigErrors, reportProblems, resolveOptions } from '../app/spec.js';
import { hasChanges, versionChange } from '../app/summary.js';
import { resolveSpec } from '../config/index.js';
import { ConfigError } from '../config/types.js';
import { MissingCredentialsError } from '../credentials/index.js';
import type { ResourceReport } from '../deploy/report.js';
import { failureMessage } from '../errors.js';
import { InputError, parseDuration } from '../inputs.js';
import { maskableSecrets, redactDeep } from '../secrets.js';
import { INPUT_DEFAULTS, readSettings, type InputName } from '../settings.js';
import { readSavedAccess, savedKeyVariables } from './access.js';
import { COMMAND_HELP, PROGRAM, commandHelpText, commandOptions, programHelp } from './help.js';
import { createConsoleLogger, type ConsoleLogger } from './logger.js';
import { styleFor } from './style.js';

export const VERSION: string = packageJson.version;

/** 0 done, 1 failed, 2 wrong usage; `plan --detailed-exitcode` also exits 2 when changes are pending. */
export const ExitCode = { Ok: 0, Failed: 1, Usage: 2, ChangesPending: 2 } as const;

/** What the CLI runs with: the process's streams and environment, or a test's. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The home directory, where Serverless Devs keeps `.s/access.yaml`. */
  home: string;
  deps?: Deps;
}

/** A command line that cannot run as written: exit code 2, with a pointer to the help. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

type Values = Record<string, string | boolean | undefined>;

type Invocation =
  | { kind: 'help'; command?: string }
  | { kind: 'version' }
  | { kind: 'run'; command: string; values: Values; template?: string };

/** The CLI's composition root: flags instead of INPUT_* variables, the same core as the action. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const logger = createConsoleLogger({
    debug: argv.includes('--debug'),
    style: styleFor(io.stderr, io.env),
    write: (line) => io.stderr.write(`${line}\n`),
    rephrase: asOptions,
  });
  const print = (text: string) => io.stdout.write(`${logger.redact(text)}\n`);
  let invocation: Invocation | undefined;
  try {
    invocation = parseCommandLine(argv);
    if (invocation.kind === 'version') {
      print(VERSION);
      return ExitCode.Ok;
    }
    const style = styleFor(io.stdout, io.env);
    if (invocation.kind === 'help') {
      const { command } = invocation;
      io.stdout.write(command ? commandHelpText(command, style) : programHelp(VERSION, style));
      return ExitCode.Ok;
    }
    return await runCommand(invocation, io, logger, print);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError) {
      logger.error(error.message);
      const command =
        error instanceof UsageError
          ? error.command
          : invocation && 'command' in invocation
            ? invocation.command
            : undefined;
      io.stderr.write(`Run \`${PROGRAM} ${command ? `help ${command}` : '--help'}\` for the usage.\n`);
      return ExitCode.Usage;
    }
    // A single s.yaml problem has been reported on its own line already: nothing to add.
    if (!(error instanceof ConfigError && error.problems.length === 1))
      logger.error(cliFailure(error, io.home));
    if (invocation?.kind === 'run' && invocation.values.json) {
      print(
        JSON.stringify({ command: invocation.command, ok: false, error: failureMessage(error) }, null, 2),
      );
    }
    return ExitCode.Failed;
  }
}

function parseCommandLine(argv: readonly string[]): Invocation {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`Name a command: ${commandList()}.`);
  if (first === '--version' || first === '-v') return { kind: 'version' };
  if (first === '--help' || first === '-h') return { kind: 'help' };
  if (first === 'help') {
    const [command, ...extra] = rest;
    if (extra.length) throw new UsageError(`Unexpected arguments: ${extra.join(' ')}.`);
    if (command !== undefined) knownCommand(command);
    return { kind: 'help', command };
  }
  if (first.startsWith('-')) throw new UsageError(`Name a command before the options: ${commandList()}.`);
  const command = knownCommand(first);
  const options = commandOptions(command);
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(options).map(([name, option]) => [
          name,
          {
            type: option.value ? 'string' : 'boolean',
            ...(option.short && { short: option.short }),
          } as const,
        ]),
      ),
    });
  } catch (error) {
    // node:util's messages go on to explain `--`; the first sentence is the one that helps here.
    const message = error instanceof Error ? error.message.split('. ')[0]! : String(error);
    throw new UsageError(`${message.replace(/\.$/, '')}.`, command);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help', command };
  if (positionals.length > 1) {
    throw new UsageError(`Unexpected arguments: ${positionals.slice(1).join(' ')}.`, command);
  }
  const named = [positionals[0], values.template, values.config].filter(
    (value): value is string => typeof value === 'string',
  );
  if (named.length > 1) {
    throw new UsageError(
      'Name the s.yaml once: as the argument, with -t/--template or with --config.',
      command,
    );
  }
  return { kind: 'run', command, values, template: named[0] };
}

function knownCommand(name: string): string {
  if (!Object.hasOwn(COMMAND_HELP, name)) {
    throw new UsageError(`Unknown command "${name}": use ${commandList()}.`);
  }
  return name;
}

const commandList = () => Object.keys(COMMAND_HELP).join(', ');

async function runCommand(
  { command, values, template }: Extract<Invocation, { kind: 'run' }>,
  io: CliIo,
  logger: ConsoleLogger,
  print: (text: string) => void,
): Promise<number> {
  const json = values.json === true;
  if (values.timeout !== undefined) logger.warning('--timeout is now --wait-timeout; the old name will go.');
  const read = (name: InputName): string => {
    if (name === 'command') return command;
    if (name === 'config') return locateTemplate(io.cwd, template, command);
    const value = values[name];
    return typeof value === 'string' ? value : '';
  };
  const settings = {
    ...readSettings(read, io.cwd),
    access: aliasOption(values, io, command),
    ...(command === 'logs' && { logs: logsOptions(values) }),
  };
  if (command === 'resolve') {
    const showSecrets = values['show-secrets'] === true;
    const props = await resolveProps(settings, io.env, showSecrets, logger);
    const text = JSON.stringify(json ? { command, ok: true, result: props } : props, null, 2);
    // What --show-secrets asks for is exactly what the mask would hide.
    if (showSecrets) io.stdout.write(`${text}\n`);
    else print(text);
    return ExitCode.Ok;
  }
  const saved = readSavedAccess(io.home);
  const outputs: Record<string, string> = {};
  const host: Host = {
    logger,
    env: io.env,
    savedKeys: saved && savedKeyVariables(saved),
    setOutput: (name, value) => void (outputs[name] = value),
    // With --json, stdout carries the one JSON document only.
    print: json ? () => undefined : print,
    trigger: 'Deployed by the agentrun-deploy CLI',
  };
  const result = await run(settings, host, io.deps);
  if (json) {
    print(JSON.stringify({ command, ok: true, result }, null, 2));
  } else if (command === 'deploy' && Array.isArray(result)) {
    // A staged canary (`--strategy canary`) has reported its rollout in the log already.
    print(renderDeploy(result as ResourceReport[]));
  }
  if (command === 'plan' && values['detailed-exitcode']) {
    const { changes } = result as PlanResult;
    if (!changes) {
      throw new Error(
        '--detailed-exitcode needs credentials: without them plan cannot compare with AgentRun.',
      );
    }
    return changes.some(hasChanges) ? ExitCode.ChangesPending : ExitCode.Ok;
  }
  return ExitCode.Ok;
}

/** The flags of `logs`. */
function logsOptions(values: Values): LogsOptions {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const since = text('since');
  return {
    sinceMs: since === undefined ? DEFAULT_LOGS_OPTIONS.sinceMs : parseDuration('since', since),
    version: text('version'),
    endpoint: text('endpoint'),
    query: text('query'),
    follow: values.follow === true,
  };
}

/**
 * The s.yaml's absolute path: the one named, else s.yaml or s.yml here. A file that is not there is
 * a usage error that says where the CLI looked.
 */
function locateTemplate(cwd: string, template: string | undefined, command: string): string {
  if (template !== undefined) {
    const path = resolve(cwd, template);
    if (!existsSync(path)) throw new UsageError(`No such file: ${path}`, command);
    return path;
  }
  const found = ['s.yaml', 's.yml'].map((name) => resolve(cwd, name)).find(existsSync);
  if (!found) {
    throw new UsageError(
      `No s.yaml or s.yml in ${cwd}: name the file, e.g. \`${PROGRAM} ${command} path/to/s.yaml\`.`,
      command,
    );
  }
  return found;
}

/** `-a`: must name an alias that ~/.s/access.yaml (or the environment) has. */
function aliasOption(values: Values, io: CliIo, command: string): string | undefined {
  const alias = typeof values.access === 'string' ? values.access : undefined;
  if (alias === undefined || io.env[`${alias}_serverless_devs_key`]) return alias;
  const saved = readSavedAccess(io.home);
  if (saved?.aliases[alias]) return alias;
  const known = saved ? Object.keys(saved.aliases) : [];
  throw new UsageError(
    `No keys saved under the alias "${alias}" in ${saved?.file ?? `${io.home}/.s/access.yaml`}` +
      (known.length ? ` (it has: ${known.join(', ')}).` : '.'),
    command,
  );
}

async function resolveProps(
  settings: ReturnType<typeof readSettings>,
  env: CliIo['env'],
  showSecrets: boolean,
  logger: ConsoleLogger,
): Promise<unknown> {
  const spec = await reportingConfigErrors(logger, () => resolveSpec(resolveOptions(settings, env)));
  maskSecrets(spec.secretValues, logger);
  reportProblems(spec.warnings, logger);
  const props = Object.fromEntries(spec.resources.map((resource) => [resource.name, resource.props]));
  return showSecrets ? props : redactDeep(props, maskableSecrets(spec.secretValues));
}

/** What a deploy did, one line per runtime and endpoint, for stdout. */
function renderDeploy(reports: readonly ResourceReport[]): string {
  return reports
    .flatMap((r) => [
      `${r.resource}: runtime ${r.runtime} ${r.action}` +
        `${r.changes.length ? ` (${r.changes.join(', ')})` : ''}, version ${versionChange(r)}`,
      ...r.endpoints.map((e) => `  endpoint ${e.name} ${e.action}: ${e.url || '(no URL yet)'}`),
    ])
    .join('\n');
}

const INPUT_NAMES = Object.keys(INPUT_DEFAULTS).join('|');

/** Messages of the core speak of the action's inputs; here they are options. */
function asOptions(message: string): string {
  return message
    .replace(new RegExp(`\\b[Ii]nputs? (${INPUT_NAMES})\\b`, 'g'), '--$1')
    .replace(new RegExp(`\`(${INPUT_NAMES})\` input\\b`, 'g'), '`--$1` option')
    .replace(new RegExp(`\\b(and|plus) ([a-z]+-[a-z-]+)\\b`, 'g'), (text, word: string, name: string) =>
      Object.hasOwn(INPUT_DEFAULTS, name) ? `${word} --${name}` : text,
    );
}

/** The failure's last line; a missing-credentials error also names the keys `s` saves. */
function cliFailure(error: unknown, home: string): string {
  const message = failureMessage(error);
  if (!(error instanceof MissingCredentialsError)) return message;
  return `${message}\n- keys saved by \`s config add\` in ${home}/.s/access.yaml (the s.yaml's \`access\`, or -a <alias>)`;
}

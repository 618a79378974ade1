import { parseArgs } from 'node:util';
import { COMMANDS, isCommandName } from '../app/commands/index.js';
import { run } from '../app/run.js';
import { maskSecrets, reportingConfigErrors, reportProblems, resolveOptions } from '../app/spec.js';
import { resolveSpec } from '../config/index.js';
import { failureMessage } from '../errors.js';
import { InputError } from '../inputs.js';
import { maskableSecrets, redactDeep } from '../secrets.js';
import { INPUT_DEFAULTS, readSettings, type InputName } from '../settings.js';
import { createConsoleLogger } from './logger.js';

const USAGE = `Usage: agentrun-deploy <command> [options]

Commands:
  deploy                 create or update the agent runtimes of the s.yaml (default)
  plan                   print the resolved, validated request bodies; change nothing
  preview                deploy a pull request's preview (in a GitHub workflow, or with --pr-number)
  preview-cleanup        remove a closed pull request's preview, or sweep them with --older-than
  resolve [s.yaml]       print every resource's resolved props as JSON, before validation

Options (the action's inputs, same names and defaults):
${Object.entries(INPUT_DEFAULTS)
  .filter(([name]) => name !== 'command')
  .map(([name, value]) => `  --${name.padEnd(20)} ${value ? `default: ${value}` : ''}`)
  .join('\n')}
  --show-secrets         resolve: print secret values instead of ***
  --debug                more output
  --help

Credentials come from the options or the environment (ALIBABA_CLOUD_ACCESS_KEY_ID, …).`;

/** The CLI's composition root: flags instead of INPUT_* variables, the same core as the action. */
export async function main(argv: string[]): Promise<number> {
  const logger = createConsoleLogger({ debug: argv.includes('--debug') });
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(Object.keys(INPUT_DEFAULTS).map((name) => [name, { type: 'string' as const }])),
        'show-secrets': { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const [command = 'deploy', file, ...extra] = positionals;
    if (command !== 'resolve' && !isCommandName(command)) {
      throw new InputError(
        `Unknown command "${command}": use ${[...Object.keys(COMMANDS), 'resolve'].join(', ')} (see --help).`,
      );
    }
    if (extra.length) throw new InputError(`Unexpected arguments: ${extra.join(' ')} (see --help).`);
    const flags: Record<string, string | boolean | undefined> = values;
    if (file !== undefined && flags.config !== undefined) {
      throw new InputError('Name the s.yaml either as an argument or with --config, not both.');
    }
    const read = (name: InputName) => {
      const value = name === 'config' && file !== undefined ? file : flags[name];
      return typeof value === 'string' ? value : '';
    };
    if (command === 'resolve') return await resolveCommand(read, Boolean(values['show-secrets']), logger);
    const settings = readSettings((name) => (name === 'command' ? command : read(name)), process.cwd());
    await run(settings, {
      logger,
      env: process.env,
      setOutput: () => undefined,
      print: (text) => process.stdout.write(`${text}\n`),
      trigger: 'Deployed by the agentrun-deploy CLI',
    });
    return 0;
  } catch (error) {
    logger.error(failureMessage(error));
    return 1;
  }
}

async function resolveCommand(
  read: (name: InputName) => string,
  showSecrets: boolean,
  logger: ReturnType<typeof createConsoleLogger>,
): Promise<number> {
  const settings = readSettings(read, process.cwd());
  const spec = await reportingConfigErrors(logger, () => resolveSpec(resolveOptions(settings, process.env)));
  maskSecrets(spec.secretValues, logger);
  reportProblems(spec.warnings, logger);
  const props = Object.fromEntries(spec.resources.map((resource) => [resource.name, resource.props]));
  const shown = showSecrets ? props : redactDeep(props, maskableSecrets(spec.secretValues));
  process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
  return 0;
}

import { readGitHubContext } from '../../github/context.js';
import { chooseForEvent, type AutoChoice } from '../../github/events.js';
import { InputError } from '../../inputs.js';
import type { Settings } from '../../settings.js';
import type { CommandContext } from '../context.js';
import { abort } from './abort.js';
import { advance } from './advance.js';
import { deploy } from './deploy.js';
import { info } from './info.js';
import { logs } from './logs.js';
import { list } from './list.js';
import { packageZips } from './package.js';
import { plan } from './plan.js';
import { preview } from './preview.js';
import { previewCleanup } from './preview-cleanup.js';
import { promote } from './promote.js';
import { rollback } from './rollback.js';
import { status } from './status.js';

/** Runs a command; what it resolves to is its result as the CLI's `--json` prints it. */
export type Command = (context: CommandContext) => Promise<unknown>;

/** The commands the action and the CLI share, by the name the `command` input takes. */
export const COMMANDS = {
  deploy,
  plan,
  package: packageZips,
  list,
  preview,
  'preview-cleanup': previewCleanup,
  promote,
  rollback,
  abort,
  status,
  advance,
  info,
  logs,
} satisfies Record<string, Command>;

export type CommandName = keyof typeof COMMANDS;

/** `command: auto` picks one of the commands from the workflow's event. */
export const AUTO = 'auto';

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** The command named `name`; an unknown name is an input error that lists the known ones. */
export function commandNamed(name: string): Command {
  if (!isCommandName(name)) {
    const known = [...Object.keys(COMMANDS), AUTO].join(', ');
    throw new InputError(`Input command must be one of ${known}, not "${name}".`);
  }
  return COMMANDS[name];
}

/** `auto`: the row of the event table (github/events.ts) that this run's event falls in. */
export async function chooseCommand(
  settings: Settings,
  env: Readonly<Record<string, string | undefined>>,
): Promise<AutoChoice> {
  const context = await readGitHubContext(env);
  return chooseForEvent({
    context: context ?? { eventName: '' },
    prNumber: settings.github.prNumber,
    allowForks: settings.github.allowForkPreviews,
  });
}

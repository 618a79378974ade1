import { InputError } from '../../inputs.js';
import type { CommandContext } from '../context.js';
import { deploy } from './deploy.js';
import { plan } from './plan.js';

export type Command = (context: CommandContext) => Promise<void>;

/** The commands the action and the CLI share, by the name the `command` input takes. */
export const COMMANDS = {
  deploy,
  plan,
} satisfies Record<string, Command>;

export type CommandName = keyof typeof COMMANDS;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** The command named `name`; an unknown name is an input error that lists the known ones. */
export function commandNamed(name: string): Command {
  if (!isCommandName(name)) {
    throw new InputError(`Input command must be one of ${Object.keys(COMMANDS).join(', ')}, not "${name}".`);
  }
  return COMMANDS[name];
}

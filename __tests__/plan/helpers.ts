import type { AgentrunProps } from '../../src/config/schema.js';
import { formatProblem } from '../../src/config/types.js';
import { validateResource } from '../../src/config/validate.js';

/** Props as the validator returns them (defaults applied); fails loudly when the input is invalid. */
export function propsOf(agent: Record<string, unknown>, region = 'cn-hangzhou'): AgentrunProps {
  const { props, problems } = validateResource({ name: 'r', props: { region, agent } }, () => undefined);
  if (props === undefined) throw new Error(problems.map(formatProblem).join('\n'));
  return props;
}

export const CODE = { src: './code', language: 'python3.12', command: ['python3', 'main.py'] };

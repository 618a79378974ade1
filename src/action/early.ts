/**
 * What the action prints before its code loads: the masks of the secret inputs, then one line saying
 * what runs. Written as workflow commands by hand because `@actions/core` alone loads an HTTP client
 * (for OIDC) that takes longer than Node's own start; the rest of the action loads after this line.
 */
import packageJson from '../../package.json' with { type: 'json' };

/** Inputs whose values are secrets from the start: masked before any line that could show them. */
export const SECRET_INPUTS = ['access-key-secret', 'security-token', 'dotenv'] as const;

/** An input as the runner passes it and `core.getInput` reads it: `INPUT_<NAME>`, trimmed. */
function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** `::add-mask::` lines for the secret inputs, escaped as `@actions/core` escapes command data. */
export function earlyMasks(env: NodeJS.ProcessEnv): string[] {
  return SECRET_INPUTS.map((name) => input(env, name))
    .filter((value) => value !== '')
    .map((value) => `::add-mask::${value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}`);
}

/** The first log line: version, command and s.yaml, e.g. `agentrun-deploy 1.0.0: deploy s.yaml`. */
export function banner(env: NodeJS.ProcessEnv): string {
  const command = input(env, 'command') || 'deploy';
  return `agentrun-deploy ${packageJson.version}: ${command} ${input(env, 'config') || 's.yaml'}`;
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { Deps } from '../../src/app/host.js';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A home directory with nothing in it, so no test reads the developer's own ~/.s/access.yaml. */
const emptyHome = mkdtempSync(join(tmpdir(), 'agentrun-cli-home-'));
after(() => rmSync(emptyHome, { recursive: true, force: true }));

/**
 * Runs the CLI in this process, as `agentrun-deploy …` would run in `cwd`: the environment holds
 * nothing but PATH and `env` (so no Alibaba Cloud credentials unless given), stdout and stderr are
 * captured, and they are not terminals unless `tty`.
 */
export async function runCli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  options: { home?: string; tty?: boolean; deps?: Deps } = {},
): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const stream = (chunks: string[]) => ({
    isTTY: options.tty ?? false,
    write: (text: string) => chunks.push(text),
  });
  const code = await main(args, {
    stdout: stream(stdout),
    stderr: stream(stderr),
    env: { PATH: process.env.PATH, ...env },
    cwd,
    home: options.home ?? emptyHome,
    deps: options.deps,
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

/** An s.yaml with one agentrun resource `agent` named `name`; `agentLines` are added under `agent:`. */
export function agentYaml(name: string, agentLines = ''): string {
  return `edition: 3.0.0
name: app
resources:
  agent:
    component: agentrun
    props:
      region: cn-hangzhou
      agent:
        name: ${name}
        code: { src: ./code, language: python3.12, command: [python3, main.py] }
${agentLines}`;
}

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs the CLI from source, as `agentrun-deploy …` would run, with no Alibaba Cloud credentials in its
 * environment unless `env` adds them.
 */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/ACCESS_KEY|SECRET|SECURITY_TOKEN|^AccessKey|^AccountID$/i.test(name),
    ),
  );
  const result = spawnSync(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(process.cwd(), 'src/cli/index.ts'), ...args],
    { cwd, env: { ...inherited, ...env }, encoding: 'utf8' },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
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

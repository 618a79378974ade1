// Start-up: how long `node dist/index.js` takes to print its first log line, beside bare Node printing
// one, each as a process of its own.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleAction } from './bundle.js';
import { measure, type Result, type Subject } from './harness.js';

const REPEATS = 9;
/** What bare Node took on the machine the goal was set on (80 ms), and the goal itself (150 ms). */
const GOAL = 150 / 80;

/** Wall time from spawning `argv` until its first byte on stdout; the process is then stopped. */
function firstLine(label: string, argv: string[], env: NodeJS.ProcessEnv): Subject {
  return {
    label,
    run: () =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'ignore'] });
        child.once('error', reject);
        child.stdout.once('data', () => {
          resolve({ wall: performance.now() - started });
          child.kill();
        });
        child.once('exit', (code) => reject(new Error(`${argv.join(' ')} printed nothing (exit ${code})`)));
      }),
  };
}

export async function run(work: string): Promise<Result[]> {
  const { action } = await bundleAction(path.join(work, 'dist'));
  const workspace = await mkdtemp(path.join(work, 'workspace-'));
  try {
    const env = {
      PATH: process.env.PATH,
      GITHUB_WORKSPACE: workspace,
      INPUT_COMMAND: 'plan',
      INPUT_CONFIG: path.join(import.meta.dirname, '../examples/s.yaml'),
    };
    return [
      await measure({
        figure: 'first log line of node dist/index.js vs bare node printing one',
        subject: firstLine('action', [process.execPath, action], env),
        reference: firstLine('bare node', [process.execPath, '-e', 'console.log(1)'], env),
        metrics: ['wall'],
        goals: { wall: GOAL },
        note: 'the goal: 150 ms where bare Node takes 80 ms',
        repeats: REPEATS,
      }),
    ];
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

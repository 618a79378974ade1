// `node --import tsx bench/rollout.bench.ts`: what a staged canary costs beyond its bakes. A changed
// example agent is rolled out through 10,30,50,100% with 1 s bakes against the local emulator
// (endpoint transitions of 200 ms, as in the deploy bench); the overhead is the run's wall time minus
// the same change deployed directly, minus stages × bake. Goal: ≤ 5 s.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../emulator/index.js';
import { createConsoleLogger } from '../src/cli/logger.js';
import { run } from '../src/app/run.js';
import { readSettings, type InputName } from '../src/settings.js';

const STAGES = [10, 30, 50, 100];
const BAKE_MS = 1000;
const GOAL_MS = 5000;

const work = await mkdtemp(join(tmpdir(), 'agentrun-rollout-bench-'));
const record = (name: string, value: string) => console.log(`${name.padEnd(44)} ${value}`);
const emulator = await startEmulator({ delayMs: 200 });
try {
  const deployOnce = async (
    project: string,
    environment: string,
    extra: Partial<Record<InputName, string>>,
  ) => {
    const file = join(project, 's.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(/ENVIRONMENT: \w+/, `ENVIRONMENT: ${environment}`),
    );
    const inputs: Partial<Record<InputName, string>> = {
      dotenv: 'API_KEY=bench-api-key\nMODEL_ENDPOINT=https://model.example.com\n',
      'api-endpoint': emulator.endpoint,
      'access-key-id': emulator.credentials.accessKeyId,
      'access-key-secret': emulator.credentials.accessKeySecret,
      ...extra,
    };
    const logger = createConsoleLogger({
      write: process.env.BENCH_LOG ? (line) => process.stderr.write(`${line}\n`) : () => undefined,
    });
    const start = performance.now();
    await run(
      readSettings((name) => inputs[name] ?? '', project),
      {
        logger,
        env: {},
        setOutput: () => undefined,
        print: () => undefined,
        trigger: 'bench',
      },
    );
    return performance.now() - start;
  };
  const project = async (name: string) => {
    const dir = join(work, name);
    await cp('examples', dir, { recursive: true });
    const file = join(dir, 's.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replaceAll('name: production-agent', `name: ${name}`),
    );
    return dir;
  };
  // Two agents, each deployed once; then the same change to each: one direct, one as a canary.
  const direct = await project('bench-direct');
  const canary = await project('bench-canary');
  await deployOnce(direct, 'v1', {});
  await deployOnce(canary, 'v1', {});
  const directMs = await deployOnce(direct, 'v2', {});
  const canaryMs = await deployOnce(canary, 'v2', {
    strategy: 'canary',
    'canary-steps': STAGES.join(','),
    'canary-interval': `${BAKE_MS}ms`,
    'probe-rps': '20',
  });
  const overhead = canaryMs - directMs - STAGES.length * BAKE_MS;
  record('deploy of a change, direct', `${(directMs / 1000).toFixed(2)} s`);
  record(`canary ${STAGES.join('/')}%, ${BAKE_MS / 1000} s bakes`, `${(canaryMs / 1000).toFixed(2)} s`);
  record(
    'rollout overhead beyond stages × bake',
    `${(overhead / 1000).toFixed(2)} s (goal ≤ ${GOAL_MS / 1000} s${overhead <= GOAL_MS ? '' : ', MISSED'})`,
  );
} finally {
  await emulator.stop();
  await rm(work, { recursive: true, force: true });
}

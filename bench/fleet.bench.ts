// Many agents in one s.yaml, through the same core the action runs, against the local emulator with its
// default 200 ms transitions and no agent processes, so that the figures are the deploying side's own:
// 20 and 200 agents beside one at the default `parallel`, the API calls each agent costs, the no-op
// redeploy of 20 beside one, and 200 agents sharded over 8 concurrent CLI processes, as a job matrix
// runs them, beside one process.
import { spawn } from 'node:child_process';
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { INPUT_DEFAULTS } from '../src/settings.js';
import { bundleAction } from './bundle.js';
import { deployWith } from './deployer.js';
import { inProcess, measure, type Result, type Sample, type Subject } from './harness.js';

const FLEET = 20;
const LARGE_FLEET = 200;
const REPEATS = 3;
const SHARDS = 8;

/** An s.yaml of `count` agents, all running the example agent's code. */
export function fleetYaml(count: number, name: string): string {
  const agent = (i: number) => `
  agent${i}:
    component: agentrun
    props:
      region: cn-hangzhou
      agent:
        name: ${name}-${i}
        code: { src: ./code, language: python3.12, command: [python3, main.py] }
        cpu: 0.5
        memory: 512
        endpoints:
          - name: production`;
  return `edition: 3.0.0\nname: ${name}\nresources:${Array.from({ length: count }, (_, i) => agent(i)).join('')}\n`;
}

async function project(work: string, name: string, count: number): Promise<string> {
  const dir = path.join(work, name);
  await cp('examples/code', path.join(dir, 'code'), { recursive: true });
  await writeFile(path.join(dir, 's.yaml'), fleetYaml(count, name));
  return dir;
}

/** Per agent: the samples' API calls divided by the number of agents deployed. */
const perAgent = (samples: Sample[], count: number): Sample[] =>
  samples.map((sample) => ({ calls: sample.calls! / count }));

export async function run(work: string): Promise<Result[]> {
  const results: Result[] = [];
  const emulator = await startEmulator({ startProcesses: false });
  try {
    let round = 0;
    // A first deploy on every run: a fresh project each time, written before the clock starts.
    const firstDeploys = async (label: string, count: number): Promise<Subject> => {
      const dirs = await Promise.all(
        Array.from({ length: REPEATS }, () => project(work, `fleet${++round}`, count)),
      );
      return inProcess(label, () => deployOnce(emulator, dirs.shift()!));
    };
    const one = () => firstDeploys('one agent', 1);
    const parallel = INPUT_DEFAULTS.parallel;
    for (const count of [FLEET, LARGE_FLEET]) {
      const fleet = await measure({
        figure: `first deploy of ${count} agents vs one agent, parallel ${parallel} (default), agent processes off`,
        subject: await firstDeploys(`${count} agents`, count),
        reference: await one(),
        metrics: ['wall', 'calls'],
        goals: count === FLEET ? { wall: 1.3 } : undefined,
        repeats: REPEATS,
      });
      results.push(fleet, {
        figure: {
          figure: `API calls per agent, ${count} agents vs one`,
          metrics: ['calls'],
          goals: { calls: 1.1 },
        },
        subject: { label: `each of ${count}`, samples: perAgent(fleet.subject.samples, count) },
        reference: { label: 'one agent', samples: fleet.reference!.samples },
      });
    }
    const { cli } = await bundleAction(path.join(work, 'dist'));
    const sharded = async (label: string, shards: number): Promise<Subject> => {
      const dirs = await Promise.all(
        Array.from({ length: REPEATS }, () => project(work, `fleet${++round}`, LARGE_FLEET)),
      );
      return { label, run: () => deployInShards(emulator, cli, dirs.shift()!, shards) };
    };
    results.push(
      await measure({
        figure: `first deploy of ${LARGE_FLEET} agents in ${SHARDS} concurrent processes (shards) vs one process`,
        subject: await sharded(`${SHARDS} shards`, SHARDS),
        reference: await sharded('one process', 1),
        metrics: ['wall', 'calls'],
        note:
          `each run checks that every agent was created exactly once: ${LARGE_FLEET} runtimes, none twice, ` +
          'none missing',
        repeats: REPEATS,
      }),
    );
    const many = await project(work, `fleet${++round}`, FLEET);
    const unchanged = await project(work, `fleet${++round}`, 1);
    await deployOnce(emulator, many);
    await deployOnce(emulator, unchanged);
    results.push(
      await measure({
        figure: `no-op redeploy of ${FLEET} agents vs one agent`,
        subject: inProcess(`${FLEET} agents`, () => deployOnce(emulator, many)),
        reference: inProcess('one agent', () => deployOnce(emulator, unchanged)),
        metrics: ['wall', 'calls'],
        repeats: REPEATS,
        note: `the goal is an absolute one: ${FLEET} agents unchanged in at most 1.5 s`,
      }),
    );
  } finally {
    await emulator.stop();
  }
  return results;
}

const deployOnce = (emulator: Emulator, dir: string) => deployWith(emulator, dir, {});

/**
 * Deploys the s.yaml in `dir` as `shards` concurrent CLI processes, agent i in shard i mod `shards`
 * (`--resource`), and checks that every agent was created exactly once: the emulator refuses a
 * second runtime of the same name, so as many successful creates as agents means each agent once.
 */
async function deployInShards(emulator: Emulator, cli: string, dir: string, shards: number): Promise<Sample> {
  const before = emulator.requestLog().length;
  const names = Array.from({ length: LARGE_FLEET }, (_, i) => `agent${i}`);
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    ALIBABA_CLOUD_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: emulator.credentials.accessKeySecret,
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: shards }, async (_, shard) => {
      const resources = names.filter((_name, i) => i % shards === shard).join(',');
      const args = [cli, 'deploy', path.join(dir, 's.yaml'), '--resource', resources];
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(process.execPath, [...args, '--api-endpoint', emulator.endpoint], {
          env,
          stdio: 'ignore',
        });
        child.once('error', reject);
        child.once('exit', resolve);
      });
      if (code !== 0) throw new Error(`shard ${shard + 1} of ${shards} exited with ${code}`);
    }),
  );
  const wall = performance.now() - started;
  const log = emulator.requestLog().slice(before);
  const created = log.filter((entry) => entry.action === 'CreateAgentRuntime' && entry.status === 200);
  if (created.length !== LARGE_FLEET) {
    throw new Error(`${shards} shards created ${created.length} runtimes for ${LARGE_FLEET} agents`);
  }
  return { wall, calls: log.length };
}

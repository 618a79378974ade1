// Many agents in one s.yaml, through the same core the action runs, against the local emulator with its
// default 200 ms transitions and no agent processes, so that the figures are the deploying side's own:
// 20 and 200 agents beside one at the default `parallel`, the API calls each agent costs, and the no-op
// redeploy of 20 beside one.
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { INPUT_DEFAULTS } from '../src/settings.js';
import { deployWith } from './deployer.js';
import { inProcess, measure, type Result, type Sample, type Subject } from './harness.js';

const FLEET = 20;
const LARGE_FLEET = 200;
const REPEATS = 3;

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

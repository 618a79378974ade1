// Many agents in one s.yaml, through the same core the action runs, against the local emulator (its
// default 200 ms transitions): 20 resources beside one, at several `parallel` settings, and the no-op
// redeploy of all 20 beside one.
import { cp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { INPUT_DEFAULTS } from '../src/settings.js';
import { deployWith } from './deployer.js';
import { inProcess, measure, type Result } from './harness.js';

const FLEET = 20;

/** An s.yaml of `count` agents, all running the example agent's code. */
function fleet(count: number, name: string): string {
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
  await writeFile(path.join(dir, 's.yaml'), fleet(count, name));
  return dir;
}

function deployer(emulator: Emulator, dir: string, parallel: string) {
  return () => deployWith(emulator, dir, { parallel });
}

export async function run(work: string): Promise<Result[]> {
  const results: Result[] = [];
  const emulator = await startEmulator();
  try {
    let round = 0;
    const fresh = async (count: number, parallel: string) =>
      deployer(emulator, await project(work, `fleet${++round}`, count), parallel);
    // A first deploy each time: a fresh one-agent project per call.
    const one = async () => (await fresh(1, '1'))();
    for (const parallel of ['1', '2', '4', '8', String(FLEET)]) {
      const many = await fresh(FLEET, parallel);
      const isDefault = parallel === INPUT_DEFAULTS.parallel;
      results.push(
        await measure({
          figure: `first deploy of ${FLEET} agents, parallel ${parallel}${isDefault ? ' (default)' : ''}, vs one agent`,
          subject: inProcess(`${FLEET} agents`, many),
          reference: inProcess('one agent', one),
          metrics: ['wall', 'calls'],
          goals: isDefault ? { wall: 1.3 } : undefined,
          note: isDefault
            ? 'the emulator starts every agent process on this machine, so its 2 cores bound how many start at once; in the cloud each starts on its own instance'
            : undefined,
          repeats: 1,
        }),
      );
      if (isDefault) {
        const unchanged = await fresh(1, '1');
        await unchanged();
        results.push(
          await measure({
            figure: `no-op redeploy of ${FLEET} agents vs one agent`,
            subject: inProcess(`${FLEET} agents`, many),
            reference: inProcess('one agent', unchanged),
            metrics: ['wall', 'calls'],
            repeats: 3,
            note: `the goal is an absolute one: ${FLEET} agents unchanged in at most 1.5 s`,
          }),
        );
      }
    }
  } finally {
    await emulator.stop();
  }
  return results;
}

// Rollout rows: what a staged canary costs beyond its bakes. A changed example agent is rolled out
// through 10/30/50/100% with 1 s bakes against the local emulator (200 ms transitions, as in the deploy
// rows), beside the same change deployed directly to a twin agent; the overhead is the difference
// minus stages × bake, held to a 5 s budget. `node --import tsx bench/rollout.bench.ts` runs it alone.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/index.js';
import { deployWith, type Inputs } from './deployer.js';
import { formatTable, type Result, type Sample } from './harness.js';

const STAGES = [10, 30, 50, 100];
const BAKE_MS = 1000;
const BUDGET_MS = 5000;
const REPEATS = 3;

export async function run(work: string): Promise<Result[]> {
  const emulator = await startEmulator({ delayMs: 200 });
  try {
    const agent = async (name: string) => {
      const dir = path.join(work, name);
      await cp('examples', dir, { recursive: true });
      const file = path.join(dir, 's.yaml');
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replaceAll('name: production-agent', `name: ${name}`),
      );
      return dir;
    };
    // Deploys `dir` with its ENVIRONMENT set to `environment` (a new version each time); the wall time.
    const deployChange = async (dir: string, environment: string, extra: Inputs) => {
      const file = path.join(dir, 's.yaml');
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replace(/ENVIRONMENT: \w+/, `ENVIRONMENT: ${environment}`),
      );
      const started = performance.now();
      await deployWith(emulator, dir, {
        dotenv: 'API_KEY=bench-api-key\nMODEL_ENDPOINT=https://model.example.com\n',
        ...extra,
      });
      return performance.now() - started;
    };
    const canaryInputs = {
      strategy: 'canary',
      'canary-steps': STAGES.join(','),
      'canary-interval': `${BAKE_MS}ms`,
      'probe-rps': '20',
    };
    const direct = await agent('bench-direct');
    const canary = await agent('bench-canary');
    await deployChange(direct, 'v1', {});
    await deployChange(canary, 'v1', {});
    const directs: Sample[] = [];
    const canaries: Sample[] = [];
    for (let i = 0; i < REPEATS; i++) {
      // In turn, swapping which goes first, so a machine growing busier weighs on both alike.
      const pair = [
        async () => directs.push({ wall: await deployChange(direct, `v${i + 2}`, {}) }),
        async () => canaries.push({ wall: await deployChange(canary, `v${i + 2}`, canaryInputs) }),
      ];
      for (const step of i % 2 ? pair.reverse() : pair) await step();
    }
    const bakes = STAGES.length * BAKE_MS;
    const figure = `canary ${STAGES.join('/')}%, ${BAKE_MS / 1000} s bakes`;
    return [
      {
        figure: { figure: `${figure} vs a direct deploy of the same change`, metrics: ['wall'] },
        subject: { label: 'canary', samples: canaries },
        reference: { label: 'direct', samples: directs },
      },
      {
        figure: {
          figure: `${figure}: overhead beyond the direct deploy and stages × bake vs a 5 s budget`,
          metrics: ['wall'],
          goals: { wall: 1 },
          note: 'pinning, the candidate endpoint, one endpoint write per stage and the probes in flight at each bake’s end.',
        },
        subject: {
          label: 'overhead',
          samples: canaries.map((c, i) => ({ wall: c.wall! - directs[i]!.wall! - bakes })),
        },
        reference: { label: 'budget', samples: canaries.map(() => ({ wall: BUDGET_MS })) },
      },
    ];
  } finally {
    await emulator.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const work = await mkdtemp(path.join(os.tmpdir(), 'agentrun-rollout-bench-'));
  try {
    console.log(formatTable(await run(work)));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

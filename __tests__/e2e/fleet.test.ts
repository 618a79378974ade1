// examples/workflows/fleet.yml as a runner would run it: its `list` job, then its matrix, four
// processes of the bundled action at a time against one emulator; every agent is deployed exactly once.
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { startEmulator } from '../../emulator/index.js';
import { ROOT, emulatorInputs, runAction, type ActionRun, type Inputs } from './helpers.js';

const AGENTS = 8;

interface Step {
  uses?: string;
  with?: Record<string, string>;
}
interface Job {
  strategy?: { 'max-parallel'?: number; matrix: Record<string, string> };
  steps: Step[];
}

/** The action's inputs in a job of the example, `${{ matrix.resource }}` filled in; OIDC and secrets left out. */
function inputsOf(job: Job, resource?: string): Inputs {
  const step = job.steps.find((s) => s.uses?.startsWith('org/agentrun-deploy@'))!;
  return Object.fromEntries(
    Object.entries(step.with ?? {})
      .filter(
        ([name, value]) => !/role-to-assume|oidc-provider-arn/.test(name) && !value.includes('secrets.'),
      )
      .map(([name, value]) => [name, value.replace('${{ matrix.resource }}', resource ?? '')]),
  );
}

function fleetYaml(): string {
  const agent = (i: number) => `
  agent${i}:
    component: agentrun
    props:
      region: cn-hangzhou
      agent:
        name: fleet-agent-${i}
        code: { src: ./code, language: python3.12, command: [python3, main.py] }
        endpoints:
          - name: production`;
  return `edition: 3.0.0\nname: fleet\nresources:${Array.from({ length: AGENTS }, (_, i) => agent(i)).join('')}\n`;
}

void test('the fleet example: list, then four concurrent deploys at a time, each agent deployed once', async () => {
  const workflow = parse(await readFile(join(ROOT, 'examples/workflows/fleet.yml'), 'utf8')) as {
    jobs: { list: Job; deploy: Job };
  };
  const { list, deploy } = workflow.jobs;
  assert.equal(deploy.strategy?.matrix.resource, '${{ fromJSON(needs.list.outputs.resources) }}');
  const maxParallel = deploy.strategy['max-parallel']!;
  assert.equal(maxParallel, 4);

  const workspace = await mkdtemp(join(tmpdir(), 'agentrun-e2e-fleet-'));
  const emulator = await startEmulator({ delayMs: 50, startProcesses: false });
  try {
    const config = inputsOf(list).config!;
    await mkdir(join(workspace, config, '..'), { recursive: true });
    await writeFile(join(workspace, config), fleetYaml());
    await cp(join(ROOT, 'examples/code'), join(workspace, config, '../code'), { recursive: true });

    const listed = await runAction(workspace, inputsOf(list));
    assert.equal(listed.code, 0, listed.stderr + listed.lines.join('\n'));
    const matrix = JSON.parse(listed.outputs.resources!) as string[];
    assert.deepEqual(
      matrix,
      Array.from({ length: AGENTS }, (_, i) => `agent${i}`),
    );
    assert.deepEqual(JSON.parse(listed.outputs.stages!), [matrix]);
    assert.equal(emulator.requestLog().length, 0, 'list sends nothing');

    // The runner's max-parallel: four jobs at a time, each starting as soon as one ends.
    const queue = [...matrix];
    const runs = new Map<string, ActionRun>();
    let running = 0;
    let most = 0;
    const job = async (): Promise<void> => {
      for (let resource = queue.shift(); resource; resource = queue.shift()) {
        most = Math.max(most, ++running);
        runs.set(
          resource,
          await runAction(workspace, { ...inputsOf(deploy, resource), ...emulatorInputs(emulator) }),
        );
        running--;
      }
    };
    await Promise.all(Array.from({ length: maxParallel }, job));
    assert.equal(most, maxParallel);

    for (const [resource, run] of runs) {
      assert.equal(run.code, 0, `${resource}: ${run.stderr}${run.lines.join('\n')}`);
      assert.match(run.summary, new RegExp(`^### ✅ Deployed \\(${resource}\\) — `, 'm'));
      assert.match(run.summary, new RegExp(`\\| ${resource} \\| \`fleet-agent-${resource.slice(5)}\` \\|`));
    }
    const creates = emulator
      .requestLog()
      .filter((entry) => entry.action === 'CreateAgentRuntime' && entry.status === 200);
    assert.equal(creates.length, AGENTS, 'one runtime created per agent, none twice');
    const endpoints = emulator
      .requestLog()
      .filter((entry) => entry.action === 'CreateAgentRuntimeEndpoint' && entry.status === 200);
    assert.equal(endpoints.length, AGENTS);
  } finally {
    await emulator.stop();
    await rm(workspace, { recursive: true, force: true });
  }
});

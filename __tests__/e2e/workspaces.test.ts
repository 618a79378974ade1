// Workspaces as the component resolves them: the default one when the s.yaml names none, a named one
// created when missing, and a runtime looked up only within its workspace.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Runtime } from '../../src/agentrun/api.js';
import type { ListWorkspacesOutput, Page } from '../../src/agentrun/model.js';
import { agentRun } from '../emulator/helpers.js';
import { ask, emulatorInputs, requestsSince, runInProcess, withSetup, writes } from './helpers.js';

test('the same runtime name in two workspaces is never confused; none named means the default workspace', () =>
  withSetup('single', {}, async (emulator, project) => {
    const call = agentRun(emulator);
    const runtimes = async () =>
      (
        await call<Page<Runtime>>('ListAgentRuntimes', 'GET', '/2025-09-10/agents/runtimes', {
          query: { agentRuntimeName: 'e2e-agent', searchMode: 'exact' },
        })
      ).data.items ?? [];
    const deploy = async (environment: string, workspace?: string) => {
      const yaml = (await project.read('s.yaml'))
        .replace(/ENVIRONMENT: \S+/, `ENVIRONMENT: ${environment}`)
        .replace(/\n {8}workspace:\n {10}name: \S+/, '')
        .replace(
          '        cpu: 1',
          workspace ? `        workspace:\n          name: ${workspace}\n        cpu: 1` : '        cpu: 1',
        );
      await project.edit('s.yaml', await project.read('s.yaml'), yaml);
      const since = emulator.requestLog().length;
      const run = await runInProcess(emulatorInputs(emulator), project.dir);
      assert.equal(run.failure, undefined, run.captured.lines.join('\n'));
      const answer = JSON.parse((await ask(run.captured.outputs.url!, 'hi')).body) as { environment: string };
      return { answer, writes: writes(requestsSince(emulator, since)).map((entry) => entry.action) };
    };

    // A workspace named by name that does not exist yet is created, and the runtime goes into it.
    const dev = await deploy('dev', 'dev');
    assert.deepEqual(dev.answer.environment, 'dev');
    assert.ok(dev.writes.includes('CreateWorkspace'), dev.writes.join());
    const { data } = await call<ListWorkspacesOutput>('ListWorkspaces', 'GET', '/2025-09-10/workspaces');
    const byName = new Map(data.workspaces?.map((w) => [w.name, w]));
    const devId = byName.get('dev')?.workspaceId;
    const defaultId = data.workspaces?.find((w) => w.isDefault)?.workspaceId;
    assert.ok(devId && defaultId && devId !== defaultId);

    // Without a workspace, the runtime of that name in `dev` is not the one: a new one is created in the
    // default workspace, and dev's keeps serving dev.
    const production = await deploy('production');
    assert.deepEqual(production.writes.slice(0, 1), ['CreateAgentRuntime']);
    assert.equal(production.answer.environment, 'production');
    const both = await runtimes();
    assert.deepEqual(both.map((r) => r.workspaceId).sort(), [defaultId, devId].sort());
    const [inDefault, inDev] = [defaultId, devId].map((id) => both.find((r) => r.workspaceId === id)!);

    // Deploying to `dev` again updates dev's runtime only.
    const devAgain = await deploy('dev-2', 'dev');
    assert.ok(
      !devAgain.writes.includes('CreateWorkspace') && !devAgain.writes.includes('CreateAgentRuntime'),
    );
    assert.equal(devAgain.answer.environment, 'dev-2');
    const after = await runtimes();
    const updated = after.find((r) => r.workspaceId === devId)!;
    const untouched = after.find((r) => r.workspaceId === defaultId)!;
    assert.equal(updated.agentRuntimeId, inDev!.agentRuntimeId);
    assert.equal(updated.environmentVariables?.ENVIRONMENT, 'dev-2');
    assert.deepEqual(untouched, inDefault);
  }));

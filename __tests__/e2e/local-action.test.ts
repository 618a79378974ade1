// `npx @github/local-action run . src/main.ts .env`, as the README shows it: the action's TypeScript
// sources run on a workstation, with @github/local-action standing in for the runner.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ask, emulatorInputs, inputEnv, ROOT, runProcess, withSetup } from './helpers.js';

test('@github/local-action deploys the example to the emulator from src/main.ts', () =>
  withSetup('examples', {}, async (emulator, project) => {
    const files = await mkdtemp(join(tmpdir(), 'agentrun-local-action-'));
    try {
      const dotenv = join(files, '.env');
      const inputs = {
        ...emulatorInputs(emulator),
        config: join(project.dir, 's.yaml'),
        'env-file': join(project.dir, '.env.example'),
      };
      const lines = Object.entries(inputEnv(inputs)).map(([name, value]) => `${name}=${value}`);
      await writeFile(dotenv, `${lines.join('\n')}\n`);
      const { code, stdout, stderr } = await runProcess(
        join(ROOT, 'node_modules/.bin/local-action'),
        ['run', '.', 'src/main.ts', dotenv],
        { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
      );
      const output = `${stdout}${stderr}`;
      assert.equal(code, 0, output);
      assert.match(output, /Agent runtime production-agent \(.+\) created/);
      const url = /::set-output name=url::(\S+)/.exec(output)?.[1];
      assert.ok(url, output);
      const answer = await ask(url, 'from local-action');
      assert.equal(answer.status, 200, answer.body);
      assert.match(answer.body, /You said: from local-action/);
    } finally {
      await rm(files, { recursive: true, force: true });
    }
  }));

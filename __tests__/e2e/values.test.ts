// Values are data: text that comes from the environment, `.env` or a file is deployed as written, never
// evaluated as an expression again — a workflow's variables routinely carry untrusted text (PR titles,
// branch names, commit messages).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultDeps, run } from '../../src/app/run.js';
import { readSettings } from '../../src/settings.js';
import { emulatorInputs, recordingHost, remoteState, withSetup, type Inputs } from './helpers.js';

const PRIVATE = 'contents of a file nobody meant to deploy';

void test('TITLE=${file("x")} read through ${env(TITLE)} deploys the literal text, with a warning', () =>
  withSetup('single', {}, async (emulator, project) => {
    await writeFile(join(project.dir, 'x'), PRIVATE);
    // From the environment, through a var; from .env (where `\$` is a literal dollar, as dotenv-expand
    // reads it); and as JSON whose strings hold expressions.
    await writeFile(join(project.dir, '.env'), 'NOTE=\\${file("x")}\n');
    await project.edit('s.yaml', 'resources:\n', `vars:\n  title: \${env(TITLE)}\nresources:\n`);
    await project.edit('s.yaml', '        cpu: 1\n', '        description: ${env(TITLE)}\n        cpu: 1\n');
    await project.edit(
      's.yaml',
      '          ENVIRONMENT: e2e\n',
      [
        '          ENVIRONMENT: e2e',
        '          TITLE_VIA_VAR: PR ${vars.title}',
        '          NOTE: ${env(NOTE)}',
        "          FROM_JSON: ${json(env('SETTINGS')).prompt}",
        '',
      ].join('\n'),
    );
    const { host, captured } = recordingHost({
      TITLE: '${file("x")}',
      SETTINGS: JSON.stringify({ prompt: "${file('x')}" }),
    });
    const inputs: Inputs = emulatorInputs(emulator);
    await run(
      readSettings((name) => inputs[name] ?? '', project.dir),
      host,
      defaultDeps,
    );

    const [runtime] = await remoteState(emulator);
    assert.equal(runtime!.description, '${file("x")}');
    assert.deepEqual(runtime!.environmentVariables, {
      ENVIRONMENT: 'e2e',
      TITLE_VIA_VAR: 'PR ${file("x")}',
      NOTE: '${file("x")}',
      FROM_JSON: "${file('x')}",
    });
    const warnings = captured.lines.filter((line) => line.startsWith('warning: '));
    for (const source of ["env('TITLE')", "env('NOTE')", "env('SETTINGS')"]) {
      assert.ok(
        warnings.some((w) => w.includes(`\${${source}} holds text that looks like an expression`)),
        `a warning names ${source}:\n${warnings.join('\n')}`,
      );
    }
    assert.ok(!captured.everything().includes(PRIVATE), 'the file is read nowhere');
  }));

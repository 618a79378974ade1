import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSettings, type InputName } from '../../src/settings.js';

const settings = (inputs: Partial<Record<InputName, string>>) =>
  readSettings((name) => inputs[name] ?? '', '/work');

test('preview inputs: defaults, durations in days, and the CLI without a token', () => {
  const github = settings({}).github;
  assert.deepEqual(github, {
    token: undefined,
    comment: true,
    prNumber: undefined,
    allowForkPreviews: false,
    previewEndpoint: 'pr-{number}',
    previewMode: 'auto',
    environment: 'production',
    olderThanMs: undefined,
  });
  const given = settings({
    'older-than': '7d',
    'pr-number': '42',
    'preview-mode': 'runtime',
    'github-token': ' ghs_x ',
    'allow-fork-previews': 'true',
  }).github;
  assert.equal(given.allowForkPreviews, true);
  assert.equal(given.olderThanMs, 7 * 24 * 3600 * 1000);
  assert.equal(given.prNumber, 42);
  assert.equal(given.previewMode, 'runtime');
  assert.equal(given.token, 'ghs_x');
});

test('preview inputs that cannot work are refused, naming the input', () => {
  assert.throws(
    () => settings({ 'preview-endpoint': 'preview' }),
    /preview-endpoint must be an endpoint name containing \{number\}/,
  );
  assert.throws(
    () => settings({ 'preview-mode': 'branch' }),
    /preview-mode must be one of auto, endpoint, runtime, not "branch"/,
  );
  assert.throws(() => settings({ 'pr-number': '#7' }), /pr-number must be a whole number/);
  assert.throws(
    () => settings({ 'allow-fork-previews': 'yes' }),
    /allow-fork-previews must be true or false/,
  );
  assert.throws(() => settings({ comment: 'yes please' }), /comment must be true or false/);
});

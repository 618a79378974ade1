import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { readSettings, type InputName } from '../../src/settings.js';

const settings = (inputs: Partial<Record<InputName, string>>) =>
  readSettings((name) => inputs[name] ?? '', '/work');

test('wait-timeout sets how long to wait for readiness; the old name timeout still does', () => {
  assert.equal(settings({}).timeoutMs, 15 * 60_000);
  assert.equal(settings({ 'wait-timeout': '90s' }).timeoutMs, 90_000);
  assert.equal(settings({ timeout: '2m' }).timeoutMs, 120_000);
  assert.throws(() => settings({ 'wait-timeout': 'soon' }), /Input wait-timeout must be a duration/);
});

test('action.yml marks timeout deprecated, so the runner warns whoever still sets it', () => {
  const { inputs } = parse(readFileSync('action.yml', 'utf8')) as {
    inputs: Record<string, { deprecationMessage?: string; default?: string }>;
  };
  assert.match(inputs.timeout?.deprecationMessage ?? '', /`timeout` is now `wait-timeout`/);
  assert.equal(inputs.timeout?.default, '');
  assert.equal(inputs['wait-timeout']?.default, '15m');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBoolean, parseDuration, parseList } from '../../src/inputs.js';
import { commandNamed } from '../../src/app/commands/index.js';
import { INPUT_DEFAULTS, readSettings } from '../../src/settings.js';

test('durations: bare seconds and units', () => {
  const cases: [string, number][] = [
    ['900', 900_000],
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['250ms', 250],
    ['1.5m', 90_000],
  ];
  for (const [text, ms] of cases) assert.equal(parseDuration('timeout', text), ms, text);
  assert.throws(
    () => parseDuration('timeout', '15 minutes'),
    /Input timeout must be a duration .* "15 minutes"/,
  );
});

test('a zero duration is refused, naming the input', () => {
  assert.throws(() => parseDuration('timeout', '0'), /Input timeout must be a duration .* "0"/);
});

test('booleans as the Actions toolkit accepts them, anything else named', () => {
  assert.equal(parseBoolean('publish', 'True'), true);
  assert.equal(parseBoolean('publish', 'false'), false);
  assert.throws(() => parseBoolean('publish', 'yes'), /Input publish must be true or false, not "yes"/);
});

test('lists split on commas and new lines', () => {
  assert.deepEqual(parseList('a, b\nc,,\n'), ['a', 'b', 'c']);
});

test('settings take the action.yml defaults for unset inputs', () => {
  const settings = readSettings(() => '', '/work');
  assert.equal(settings.command, 'deploy');
  assert.equal(settings.publish, true);
  assert.equal(settings.parallel, 20);
  assert.equal(settings.timeoutMs, 15 * 60_000);
  assert.equal(settings.config, undefined);
  assert.deepEqual(settings.resources, []);
  assert.equal(settings.credentials.audience, INPUT_DEFAULTS.audience);
});

test('an unknown command is refused with the valid ones', () => {
  assert.throws(
    () => commandNamed('destroy'),
    /command must be one of deploy, plan, package, list, preview, preview-cleanup, promote, rollback, abort, status, advance, info, logs, auto, not "destroy"/,
  );
});

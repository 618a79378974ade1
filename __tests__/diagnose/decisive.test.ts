import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { decisiveLine, decisiveReason, linesOf } from '../../src/diagnose/decisive.js';

/** What a real interpreter prints to stderr when `code` crashes. */
function stderrOf(command: string, args: string[]): string[] {
  const { stderr, status } = spawnSync(command, args, { encoding: 'utf8' });
  assert.notEqual(status, 0, `${command} should fail`);
  return linesOf(stderr);
}

test('a Python traceback: its exception line, not "Traceback (most recent call last):"', () => {
  const lines = stderrOf('python3', ['-c', 'import json\nimport langchain_missing_module\n']);
  assert.equal(lines[0], 'Traceback (most recent call last):');
  assert.equal(decisiveLine(lines), "ModuleNotFoundError: No module named 'langchain_missing_module'");
});

test('a chained Python traceback: the exception that ended the program', () => {
  const code = 'try:\n    {}["k"]\nexcept KeyError:\n    raise RuntimeError("settings are incomplete")\n';
  assert.equal(decisiveLine(stderrOf('python3', ['-c', code])), 'RuntimeError: settings are incomplete');
});

test('a Node crash: its Error line, not the stack or the Node.js version line', () => {
  const lines = stderrOf(process.execPath, ['-e', 'const settings = null; settings.model;']);
  assert.match(lines.join('\n'), /Node\.js v/);
  assert.equal(decisiveLine(lines), "TypeError: Cannot read properties of null (reading 'model')");
  const thrown = stderrOf(process.execPath, ['-e', 'throw new Error("OPENAI_API_KEY is not set")']);
  assert.equal(decisiveLine(thrown), 'Error: OPENAI_API_KEY is not set');
});

test('anything else: the last non-empty line; a status reason’s stderr: prefix is dropped', () => {
  assert.equal(
    decisiveLine(['starting', 'agent: MODEL_ENDPOINT is not set', '', '  ']),
    'agent: MODEL_ENDPOINT is not set',
  );
  assert.equal(
    decisiveLine([
      'process exited with code 1; stderr: Traceback (most recent call last):',
      '  File "main.py", line 1, in <module>',
      "ModuleNotFoundError: No module named 'langchain'",
    ]),
    "ModuleNotFoundError: No module named 'langchain'",
  );
  assert.equal(decisiveLine(['', ' ']), '');
  assert.equal(
    decisiveReason('process exited with code 3; stderr: agent: key missing'),
    'process exited with code 3; stderr: agent: key missing',
  );
});

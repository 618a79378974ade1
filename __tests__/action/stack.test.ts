import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSourceModules } from '../../src/action/stack.js';

const BUNDLE = [
  '#!/usr/bin/env node',
  '// node_modules/yaml/dist/index.js',
  'var yaml = 1;',
  '',
  '// src/deploy/runtime.ts',
  'function ensureRuntime() {',
  '  throw new Error("boom");',
  '}',
].join('\n');

test('frames in a bundle name the source module they fall in; other frames are left alone', () => {
  const stack = [
    'Error: boom',
    '    at ensureRuntime (file:///opt/actions-runner/_work/_actions/org/agentrun-deploy/v1/dist/index.js:7:9)',
    '    at /opt/actions-runner/_work/_actions/org/agentrun-deploy/v1/dist/index.js:3:1',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    '    at other (/tmp/elsewhere.js:1:1)',
  ].join('\n');
  const read = (path: string) =>
    path === '/opt/actions-runner/_work/_actions/org/agentrun-deploy/v1/dist/index.js' ? BUNDLE : undefined;
  assert.equal(
    withSourceModules(stack, read),
    [
      'Error: boom',
      '    at ensureRuntime (file:///opt/actions-runner/_work/_actions/org/agentrun-deploy/v1/dist/index.js:7:9) [src/deploy/runtime.ts]',
      '    at /opt/actions-runner/_work/_actions/org/agentrun-deploy/v1/dist/index.js:3:1 [node_modules/yaml/dist/index.js]',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at other (/tmp/elsewhere.js:1:1)',
    ].join('\n'),
  );
});

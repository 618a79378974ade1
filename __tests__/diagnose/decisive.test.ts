import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decisiveLine } from '../../src/diagnose/decisive.js';

const cases: { name: string; lines: string[]; expected: string | undefined }[] = [
  {
    name: 'the exception line of a Python traceback, not its header or frames',
    lines: [
      'starting',
      'Traceback (most recent call last):',
      '  File "/code/main.py", line 3, in <module>',
      '    import langchain',
      "ModuleNotFoundError: No module named 'langchain'",
    ],
    expected: "ModuleNotFoundError: No module named 'langchain'",
  },
  {
    name: 'the error line of a Node.js crash, not the stack below it',
    lines: [
      'node:internal/modules/cjs/loader:1228',
      "Error: Cannot find module 'express'",
      '    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)',
      '    at node:internal/main/run_main_module:28:49',
      'Node.js v20.20.2',
    ],
    expected: "Error: Cannot find module 'express'",
  },
  {
    name: 'a line that says error, when there is no exception',
    lines: ['loading model', 'error: OPENAI_API_KEY is not set', 'bye'],
    expected: 'error: OPENAI_API_KEY is not set',
  },
  { name: 'else the last non-empty line', lines: ['listening on 9000', 'killed', '  '], expected: 'killed' },
  { name: 'nothing at all', lines: ['', ' '], expected: undefined },
];

for (const { name, lines, expected } of cases) {
  test(name, () => assert.equal(decisiveLine(lines), expected));
}

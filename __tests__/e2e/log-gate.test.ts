/**
 * The error-log gate watches the candidate's own lines in its logstore: a candidate that answers every
 * probe with 200 but logs tracebacks is rolled back, with the count and the threshold in the report,
 * while a candidate that logs none is promoted with the gate measured.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { emulatorLogInputs, runInProcess, withSetup, type Inputs } from './helpers.js';

/** An agent that answers every request with 200 and, when `failing`, logs a traceback for each. */
function agent(failing: boolean): string {
  return [
    'import os, sys',
    'from http.server import BaseHTTPRequestHandler, HTTPServer',
    'class Handler(BaseHTTPRequestHandler):',
    '    def do_GET(self):',
    '        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")',
    '    def do_POST(self):',
    ...(failing
      ? [
          '        print("Traceback (most recent call last):", file=sys.stderr, flush=True)',
          '        print("ValueError: the tool answered nothing", file=sys.stderr, flush=True)',
        ]
      : ['        print("answered", flush=True)']),
    '        self.send_response(200); self.end_headers(); self.wfile.write(b"{\\"answer\\": \\"ok\\"}")',
    '    def log_message(self, *args): pass',
    'HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()',
    '',
  ].join('\n');
}

test('the error-log gate promotes a quiet candidate and rolls back one that logs tracebacks while answering 200', () =>
  withSetup('single', { delayMs: 20 }, async (emulator, project) => {
    await project.edit(
      's.yaml',
      '          ENVIRONMENT: e2e\n',
      '          ENVIRONMENT: e2e\n        logConfig: auto\n',
    );
    const inputs = emulatorLogInputs(emulator);
    const canary: Inputs = {
      ...inputs,
      strategy: 'canary',
      'canary-steps': '50,100',
      'canary-interval': '800ms',
      'probe-rps': '20',
      'probe-method': 'POST',
      'probe-timeout': '10s',
      'max-latency': '10s',
    };
    const first = await runInProcess(inputs, project.dir);
    assert.equal(first.failure, undefined, first.captured.lines.join('\n'));

    await writeFile(join(project.dir, 'code', 'main.py'), agent(false));
    const quiet = await runInProcess(canary, project.dir);
    assert.equal(quiet.failure, undefined, quiet.captured.lines.join('\n'));
    assert.equal(quiet.captured.outputs['canary-result'], 'promoted');
    assert.ok(
      !quiet.captured.lines.some((line) => /max-error-logs is skipped/.test(line)),
      'the gate was measured, not skipped',
    );

    await writeFile(join(project.dir, 'code', 'main.py'), agent(true));
    const noisy = await runInProcess(canary, project.dir);
    assert.equal(noisy.captured.outputs['canary-result'], 'rolled-back');
    const match = /max-error-logs on candidate: (\d+) lines matching .*, needs ≤ 0 error lines/.exec(
      noisy.failure ?? '',
    );
    assert.ok(match, noisy.failure);
    assert.ok(Number(match[1]) > 0, `counted ${match[1]} error lines`);
    assert.match(noisy.failure ?? '', /Production serves 2/);
    assert.ok(
      noisy.captured.summaries.some((summary) => summary.includes('max-error-logs')),
      'the job summary names the gate',
    );
  }));

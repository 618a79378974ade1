// `npm ci` warns that content-type@3.1.1 (under @actions/github → @octokit/request) wants Node >= 22.
// The action promises Node 20 (node20/action.yml): this runs the path that uses it on the suite's Node.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { request } from '@octokit/request';

test('@octokit/request parses JSON answers (content-type@3) on this Node', async (t) => {
  t.diagnostic(`Node ${process.version}`);
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset="utf-8"' });
    res.end(JSON.stringify({ path: req.url, ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const answer = await request('GET /repos/{owner}/{repo}', {
      baseUrl: `http://127.0.0.1:${port}`,
      owner: 'acme',
      repo: 'agents',
    });
    assert.deepEqual(answer.data, { path: '/repos/acme/agents', ok: true });
  } finally {
    server.close();
  }
});

test('the promise is Node 20 and later, and content-type is what asks for more', () => {
  const engines = (path: string) =>
    (JSON.parse(readFileSync(path, 'utf8')) as { engines?: { node?: string } }).engines?.node;
  assert.equal(engines('package.json'), '>=20');
  assert.equal(engines('node_modules/content-type/package.json'), '>=22');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COMMENT_MARKER,
  composeComment,
  MAX_COMMENT_LENGTH,
  renderPlanSection,
  renderPreview,
  type PreviewSection,
} from '../../src/github/comment.js';

const SECRET = 'sk-live-7f3a9c2e51';
const section: PreviewSection = {
  sha: '1111111111111111111111111111111111111111',
  runUrl: 'https://github.com/octo-org/agents/actions/runs/4242/attempts/1',
  updatedAt: '2026-12-01T10:15:30.000Z',
  rows: [
    {
      agent: 'support-agent',
      endpoint: 'pr-7',
      version: '3',
      url: 'https://agent.example/pr-7/invocations',
      status: 'ready',
    },
    {
      agent: 'triage-agent',
      endpoint: 'pr-7',
      status: 'failed',
      reason: `health check failed with token ${SECRET}`,
    },
  ],
};

test('the preview section: one row per agent, a curl for each ready one, commit and run', () => {
  const text = renderPreview(section, [SECRET]);
  assert.match(
    text,
    /\| `support-agent` \| 3 \| \[pr-7\]\(https:\/\/agent\.example\/pr-7\/invocations\) \| ✅ Ready \| 2026-12-01 10:15 \|/,
  );
  assert.match(
    text,
    /❌ Failed: health check failed with token \*\*\* \(\[log\]\(https:\/\/github\.com\/octo-org\/agents\/actions\/runs\/4242\/attempts\/1\)\)/,
  );
  assert.match(text, /curl -X POST 'https:\/\/agent\.example\/pr-7\/invocations'/);
  assert.match(text, /Commit `1111111`/);
  assert.ok(!text.includes(SECRET));
  assert.equal((text.match(/curl /g) ?? []).length, 1, 'no curl for the failed agent');
});

test('a plan too long for one comment is cut at a line end and says so; secrets never survive', () => {
  const diff = Array.from({ length: 20_000 }, (_, i) => `+ env.KEY_${i}: ${SECRET}`).join('\n');
  const plan = { diff, sha: 'a'.repeat(40), updatedAt: '2026-12-01T10:00:00Z' };
  const previous = composeComment(undefined, 'preview', renderPreview(section, [SECRET]));
  const body = composeComment(previous, 'plan', (room) => renderPlanSection(plan, [SECRET], room));
  assert.ok(body.length <= MAX_COMMENT_LENGTH, `${body.length} characters`);
  assert.ok(body.startsWith(COMMENT_MARKER));
  assert.match(body, /\+ env\.KEY_1: \*\*\*\n/);
  assert.match(body, /shortened to fit a GitHub comment/);
  assert.match(body, /<\/details>/, 'the folded block is still closed');
  assert.ok(!body.includes(SECRET));
  assert.match(body, /✅ Ready/, 'the preview section is kept whole');
});

test('a diff holding backticks cannot close its code block early', () => {
  const text = renderPlanSection(
    { diff: '+ prompt: "use ```json blocks```"', sha: 'a'.repeat(40), updatedAt: '2026-12-01T10:00:00Z' },
    [],
  );
  assert.match(text, /^````diff$/m);
});

test('two sections share one comment; each command replaces only its own', () => {
  const withPlan = composeComment(undefined, 'plan', 'plan v1');
  const withBoth = composeComment(withPlan, 'preview', 'preview v1');
  const updated = composeComment(withBoth, 'preview', 'preview v2');
  assert.match(updated, /preview v2/);
  assert.match(updated, /plan v1/);
  assert.doesNotMatch(updated, /preview v1/);
  assert.ok(updated.indexOf('preview v2') < updated.indexOf('plan v1'));
});

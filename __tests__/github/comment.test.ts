import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import {
  COMMENT_MARKER,
  composeComment,
  curl,
  MAX_COMMENT_LENGTH,
  renderPlanSection,
  renderPreview,
  type PreviewSection,
} from '../../src/github/comment.js';
import { renderGfm, renderingProblems } from './markdown.js';

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

const PLAN = {
  diff: '',
  outcome: 'a deploy would change support-agent (update, cpu)',
  comparedWith: 'support-agent: version 2, which endpoint production serves',
  sha: 'a'.repeat(40),
  updatedAt: '2026-12-01T10:00:00Z',
};
const PLAN_HEADING = '### ℹ️ Plan — a deploy would change support-agent (update, cpu)';

const COLUMNS = ['Agent', 'Version', 'Endpoint', 'Status', 'Updated (UTC)'];

const READY_FIRST =
  '❌ Preview failed, production untouched — support-agent version 3 at https://agent.example/pr-7/invocations; triage-agent: health check failed with token *** — log: https://github.com/octo-org/agents/actions/runs/4242/attempts/1';

test('the preview section renders as intended: the outcome first, one row per agent, a curl for each ready one', () => {
  const text = renderPreview(section, [SECRET]);
  assert.deepEqual(renderingProblems(text), []);
  const shown = renderGfm(text);
  assert.deepEqual(shown.headings, [`### ${READY_FIRST}`]);
  assert.deepEqual(shown.tables, [
    {
      columns: COLUMNS,
      rows: [
        ['support-agent', "3 (this pull request's preview)", 'pr-7', '✅ Ready', '2026-12-01 10:15'],
        [
          'triage-agent',
          '—',
          'pr-7',
          '❌ Failed: health check failed with token *** (log)',
          '2026-12-01 10:15',
        ],
      ],
    },
  ]);
  // The invocation URL takes POST: it is shown as code beside its curl, never as a link a click 404s on.
  assert.deepEqual(shown.links, [
    { text: section.runUrl, url: section.runUrl },
    { text: 'log', url: section.runUrl },
    { text: 'workflow run', url: section.runUrl },
  ]);
  assert.match(shown.text, /curl -X POST 'https:\/\/agent\.example\/pr-7\/invocations'/);
  assert.match(shown.text, /Commit 1111111/);
  assert.ok(!text.includes(SECRET));
  assert.equal((text.match(/curl /g) ?? []).length, 1, 'no curl for the failed agent');
});

test('a reason is shown as written: HTML, pipes and Markdown in it stay text', () => {
  const reason = "TypeError: <lambda>() missing 1 required positional argument: 'x' | see *docs* [here]";
  const text = renderPreview(
    { ...section, rows: [{ agent: 'a', endpoint: 'pr-7', status: 'failed', reason }] },
    [],
  );
  assert.deepEqual(renderingProblems(text), []);
  const [table] = renderGfm(text).tables;
  assert.equal(table!.rows[0]![3], `❌ Failed: ${reason} (log)`);
  assert.equal(table!.rows[0]!.length, COLUMNS.length);
});

test('the whole comment: both sections render, the plan heading after a ready preview included', () => {
  const preview = renderPreview(section, [SECRET]);
  const plan = renderPlanSection({ ...PLAN, diff: '+ cpu: 2\n# a comment line' }, []);
  // Whichever section comes first, and when a comment written by an earlier release is edited.
  const body = composeComment(composeComment(undefined, 'preview', preview), 'plan', plan);
  const again = composeComment(body.replace(/\n\n/g, '\n'), 'plan', plan);
  for (const comment of [body, composeComment(composeComment(undefined, 'plan', plan), 'preview', preview)]) {
    assert.deepEqual(renderingProblems(comment), []);
    assert.deepEqual(renderGfm(comment).headings, [`### ${READY_FIRST}`, PLAN_HEADING]);
    assert.deepEqual(renderGfm(comment).tables[0]!.columns, COLUMNS);
  }
  assert.deepEqual(renderGfm(again).headings, [`### ${READY_FIRST}`, PLAN_HEADING]);
});

test('a plan too long for one comment is cut at a line end and says so; secrets never survive', () => {
  const diff = Array.from({ length: 20_000 }, (_, i) => `+ env.KEY_${i}: ${SECRET}`).join('\n');
  const plan = { ...PLAN, diff };
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

test('a long URL is cut at its slashes so the curl never scrolls sideways, and the shell joins it whole', () => {
  const url =
    'https://1234567890.agentrun-data.cn-hangzhou.aliyuncs.com/agent-runtimes/support-agent/endpoints/pr-7/invocations?q=$x"y';
  const command = curl(url);
  for (const line of command.split('\n')) assert.ok(line.length <= 80, line);
  const argument = command.replace(/^curl -X POST/, 'printf %s').replace(/ \\\n {2}-H[\s\S]*$/, '');
  assert.equal(execFileSync('sh', ['-c', argument]).toString(), url);
});

test('a diff holding backticks cannot close its code block early', () => {
  const text = renderPlanSection({ ...PLAN, diff: '+ prompt: "use ```json blocks```"' }, []);
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

// Every summary and comment, parsed as GitHub parses it (micromark + GFM): the first thing a reader
// sees states the outcome, with the URL where it is live; and the checker itself catches a broken one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { firstLine, outcomeProblems, renderGfm } from '../github/markdown.js';
import { documents } from './documents.js';

void describe('the first line of every summary and comment', () => {
  for (const document of documents()) {
    void test(`${document.name}: the outcome${document.url ? ' and a URL' : ''}`, () => {
      assert.deepEqual(outcomeProblems(document.markdown, { url: document.url }), [], document.markdown);
      assert.match(firstLine(document.markdown), document.outcome);
    });
  }

  void test('a rolled-back canary reads as a failure before any table: ❌, the gate and its numbers', () => {
    const { markdown } = documents().find((d) => d.name === 'canary rolled back')!;
    const line = firstLine(markdown);
    assert.match(
      line,
      /^❌ Canary rolled back version 3 failed: min-success-rate on candidate 0\.0% \(0\/50\), needs ≥ 99\.0%/,
    );
    assert.match(line, /production-agent: production serves version 2 at https:\/\//);
    assert.doesNotMatch(line, /✅/);
    const beforeTables = markdown.slice(0, markdown.indexOf('\n|'));
    assert.match(beforeTables, /Candidate version 3 on `canary` at <https:\/\/.*\/canary\/invocations>/);
    assert.match(markdown, /\*\*Sample failing responses\*\*\n\n- candidate: HTTP 502: .*No module named/);
    assert.equal(markdown.match(/^Commit /gm)?.length, 1, 'one footer');
  });

  void test('a failed deploy says what it changed, what production serves now, and the decisive line wrapped', () => {
    const { markdown } = documents().find((d) => d.name === 'failure')!;
    assert.match(firstLine(markdown), /production still serves LATEST \(version 1\) at https:\/\//);
    assert.match(markdown, /runtime `production-agent` took the change and is now UPDATE_FAILED/);
    assert.match(
      markdown,
      /^> agent: Agent runtime production-agent is UPDATE\\_FAILED: /m,
      'a block quote, which wraps',
    );
    assert.doesNotMatch(markdown, /```text/);
  });

  void test('a preview names its URL as code with the curl beside it, not folded; the commit is a link', () => {
    const { markdown } = documents().find((d) => d.name === 'preview comment')!;
    const shown = renderGfm(markdown);
    assert.match(
      firstLine(markdown),
      /^✅ Preview ready — production-agent version 5 at https:\/\/.*\/pr-42\/invocations$/,
    );
    const curl = markdown.indexOf('curl -X POST \\\n  "https://');
    assert.ok(curl > 0 && curl < markdown.indexOf('<details>'), 'the curl comes before any fold');
    assert.ok(
      shown.links.some(
        (l) => l.text === '3f2a9c1' && l.url.endsWith('/commit/3f2a9c1e5b7d8f90a1b2c3d4e5f60718293a4b5c'),
      ),
    );
    assert.equal(shown.tables[0]?.rows[0]?.[1], "5 (this pull request's preview)");
    assert.match(shown.headings.join('\n'), /Plan — a deploy would change production-agent/);
    assert.match(shown.text, /Compared with production-agent: version 2, which endpoint production serves\./);
  });

  void test('a deploy after a preview says the version it follows was a preview, not production', () => {
    const { markdown } = documents().find((d) => d.name === 'deploy')!;
    assert.match(
      firstLine(markdown),
      /^✅ Deployed — production-agent updated: production serves version 5 at https:/,
    );
    assert.equal(renderGfm(markdown).tables[0]?.rows[0]?.[5], '4 (preview of #12) → 5');
  });

  void test('the checker fails a deliberately broken document', () => {
    const good = documents().find((d) => d.name === 'deploy')!.markdown;
    const cases: [string, string, RegExp][] = [
      ['table first', good.replace(/^### .*\n\n/, ''), /the first block is a table, not a heading/],
      ['no mark', good.replace('### ✅ ', '### '), /opens with no outcome mark/],
      ['no URL', good.replace(/ at <https:[^>]+>/, ''), /names no URL/],
      ['raw markup', good.replace('#### Endpoints', '#### Endpoints\n<lambda>'), /raw HTML/],
      [
        'heading swallowed',
        good.replace('\n#### Endpoints', '<details>\n#### Endpoints'),
        /does not render as a heading|raw HTML/,
      ],
    ];
    for (const [name, broken, problem] of cases) {
      assert.match(outcomeProblems(broken, { url: true }).join('\n'), problem, name);
    }
  });
});

// Every summary and comment, rendered as GitHub shows it in headless Chromium (github-markdown-css,
// Mermaid drawn in the page) and screenshotted: none may show a Mermaid error, markup as text or
// anything that scrolls sideways, and the first screen states the outcome. SCREENSHOT_DIR keeps the PNGs.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CHROMIUM, DocumentBrowser } from '../presentation/browser.js';
import { documents } from '../presentation/documents.js';

// CI has a browser (.ci/run installs Chromium) and fails without one; elsewhere a machine without it
// skips, and says so.
const skip = !existsSync(CHROMIUM) && !process.env.CI ? `no ${CHROMIUM}: apt-get install chromium` : false;

void describe('documents in a browser, as GitHub renders them', { skip, concurrency: false }, () => {
  let browser: DocumentBrowser;
  before(async () => {
    browser = await DocumentBrowser.start();
  });
  after(() => browser?.close());

  for (const document of documents()) {
    void test(`${document.name}: reads as intended`, async () => {
      const rendered = await browser.render(document.markdown);
      if (process.env.SCREENSHOT_DIR) {
        await mkdir(process.env.SCREENSHOT_DIR, { recursive: true });
        await writeFile(
          join(process.env.SCREENSHOT_DIR, `${document.name.replace(/\W+/g, '-')}.png`),
          rendered.png,
        );
      }
      assert.deepEqual(rendered.problems, []);
      assert.match(rendered.firstScreen.split('\n')[0] ?? '', document.outcome);
    });
  }

  void test('a rolled-back canary: its first screen shows the failure and no success', async () => {
    const { markdown } = documents().find((d) => d.name === 'canary rolled back')!;
    const { firstScreen } = await browser.render(markdown);
    assert.match(firstScreen, /^❌ Canary rolled back/);
    assert.match(firstScreen, /min-success-rate/);
    assert.match(firstScreen, /No module named/);
    assert.doesNotMatch(firstScreen, /✅/);
  });

  void test('the promoted canary draws its chart without an error', async () => {
    const { markdown } = documents().find((d) => d.name === 'canary promoted')!;
    assert.match(markdown, /```mermaid/);
    assert.deepEqual((await browser.render(markdown)).problems, []);
  });

  void test('a deliberately broken document fails: a Mermaid error, markup as text, a line that scrolls', async () => {
    const { markdown } = documents().find((d) => d.name === 'deploy')!;
    const cases: [string, RegExp][] = [
      ['```mermaid\nxychart-beta\n  bar [1, 2\n```', /Mermaid/],
      ['<div>\n**not bold** in a raw block', /markup shown as text/],
      ['| a | b |\n| c |', /markup shown as text/],
      [`\`\`\`sh\ncurl ${'x'.repeat(200)}\n\`\`\``, /scrolls sideways/],
    ];
    for (const [broken, problem] of cases) {
      const { problems } = await browser.render(`${markdown}\n${broken}\n`);
      assert.match(problems.join('\n'), problem, broken);
    }
  });
});

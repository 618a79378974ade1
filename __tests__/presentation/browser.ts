// A summary or comment as a person sees it on GitHub: GFM to HTML (micromark, the grammar of GitHub's
// cmark-gfm), styled with github-markdown-css, Mermaid blocks drawn by Mermaid in the page, all in the
// system's headless Chromium. Reports what a reader would trip over: a Mermaid error, markup shown as
// text, and anything that scrolls or sticks out sideways.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Debian's Chromium (.ci/run installs it); CHROMIUM_PATH names another, e.g. a hosted runner's Chrome. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The width of a pull-request comment's column on a laptop screen. */
const WIDTH = 800;
const SCREEN_HEIGHT = 720;

/** The only files the page may load: the stylesheet and Mermaid, from this checkout's node_modules. */
const SERVED = ['github-markdown-css/', 'mermaid/dist/'];
const MODULES = join(import.meta.dirname, '..', '..', 'node_modules');
const TYPES: Record<string, string> = {
  '.css': 'text/css',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
};

export interface Rendered {
  /** What a reader would trip over; empty when the document reads as intended. */
  problems: string[];
  /** The text of the first screen, as a person reads it before scrolling. */
  firstScreen: string;
  png: Uint8Array;
}

/** Headless Chromium and a server on 127.0.0.1 for the pages; `close` ends both and removes the profile. */
export class DocumentBrowser {
  private constructor(
    private readonly browser: Browser,
    private readonly server: Server,
    private readonly profile: string,
    private readonly pages: Map<string, string>,
  ) {}

  static async start(): Promise<DocumentBrowser> {
    const pages = new Map<string, string>();
    const server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
      const page = pages.get(path);
      if (page !== undefined) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
        return;
      }
      const file = normalize(path.replace(/^\/node_modules\//, ''));
      if (!path.startsWith('/node_modules/') || !SERVED.some((dir) => file.startsWith(dir))) {
        response.writeHead(404).end();
        return;
      }
      readFile(join(MODULES, file)).then(
        (body) => {
          const type = TYPES[/\.\w+$/.exec(file)?.[0] ?? ''] ?? 'application/octet-stream';
          response.writeHead(200, { 'content-type': type }).end(body);
        },
        () => response.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
    try {
      const browser = await puppeteer.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${profile}`,
        ],
      });
      return new DocumentBrowser(browser, server, profile, pages);
    } catch (error) {
      server.close();
      await rm(profile, { recursive: true, force: true });
      throw error;
    }
  }

  /** Renders `markdown` as GitHub would show it, checks it and takes a full-page screenshot. */
  async render(markdown: string): Promise<Rendered> {
    const path = `/doc/${this.pages.size}`;
    this.pages.set(path, pageOf(markdown));
    const page = await this.browser.newPage();
    try {
      await page.setViewport({ width: WIDTH + 32, height: SCREEN_HEIGHT });
      const { port } = this.server.address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}${path}`, { waitUntil: 'load' });
      await page.waitForFunction('window.__done === true', { timeout: 30_000 });
      const problems = await readingProblems(page);
      const firstScreen = await page.evaluate(`(() => {
        const out = [];
        for (const el of document.querySelectorAll('article h1, article h2, article h3, article p, article li, article tr, article blockquote')) {
          const box = el.getBoundingClientRect();
          if (box.height > 0 && box.top < ${SCREEN_HEIGHT}) out.push(el.innerText);
        }
        return out.join('\\n');
      })()`);
      const png = await page.screenshot({ fullPage: true, type: 'png' });
      return { problems, firstScreen: String(firstScreen), png };
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.profile, { recursive: true, force: true });
  }
}

/** The HTML page of a document: GitHub's stylesheet, and Mermaid drawing each `mermaid` code block. */
function pageOf(markdown: string): string {
  // Raw HTML passes as on GitHub (its sanitizer keeps <details>, drops comments from view).
  const html = micromark(markdown, {
    allowDangerousHtml: true,
    extensions: [gfm()],
    htmlExtensions: [gfmHtml()],
  });
  return `<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="/node_modules/github-markdown-css/github-markdown-light.css">
<style>body { margin: 0; background: #fff } .markdown-body { box-sizing: border-box; width: ${WIDTH}px; padding: 16px }</style>
</head><body><article class="markdown-body">${html}</article>
<script type="module">
window.__errors = [];
try {
  const { default: mermaid } = await import('/node_modules/mermaid/dist/mermaid.esm.min.mjs');
  for (const code of document.querySelectorAll('pre > code.language-mermaid')) {
    const chart = document.createElement('div');
    chart.className = 'mermaid';
    chart.textContent = code.textContent;
    code.parentElement.replaceWith(chart);
  }
  mermaid.initialize({ startOnLoad: false });
  await mermaid.run({ querySelector: '.mermaid', suppressErrors: false });
} catch (error) {
  window.__errors.push(String(error && error.message ? error.message : error));
}
window.__done = true;
</script></body></html>`;
}

/** What the page shows wrong, read from the rendered DOM. */
async function readingProblems(page: Page): Promise<string[]> {
  const found = await page.evaluate(`(() => {
    const problems = window.__errors.map((e) => 'Mermaid error: ' + e);
    const article = document.querySelector('article');
    for (const svg of article.querySelectorAll('.mermaid svg')) {
      if (/Syntax error|Parse error/i.test(svg.textContent)) problems.push('Mermaid drew an error: ' + svg.textContent.slice(0, 120));
    }
    // Markup shown as text, outside code: an HTML element, a table row, emphasis or a link that did not
    // render. Other angle brackets are text a message holds, such as Python's <module>.
    const prose = article.cloneNode(true);
    for (const code of prose.querySelectorAll('pre, code, .mermaid')) code.remove();
    for (const line of prose.innerText.split('\\n')) {
      if (/<\\/?(details|summary|div|span|br|p|a|img|table|tr|td|th|b|i|em|strong|code|pre|sub|sup)[\\s>/]|^\\s*\\|.*\\|\\s*$|\\*\\*\\S|\\]\\(|^#{1,6} /i.test(line)) problems.push('markup shown as text: ' + line.slice(0, 120));
    }
    // Sideways: the page, a block that scrolls, or anything that sticks out of the column.
    const right = article.getBoundingClientRect().right;
    if (document.documentElement.scrollWidth > document.documentElement.clientWidth) problems.push('the page scrolls sideways');
    for (const el of article.querySelectorAll('*')) {
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (box.width === 0) continue;
      if (/(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
        problems.push('scrolls sideways: <' + el.tagName.toLowerCase() + '> ' + el.textContent.slice(0, 80));
      else if (box.right > right + 1 && !el.closest('svg'))
        problems.push('sticks out sideways: <' + el.tagName.toLowerCase() + '> ' + el.textContent.slice(0, 80));
    }
    return problems;
  })()`);
  return found as string[];
}

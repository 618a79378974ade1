// Markdown as GitHub renders it: parsed with micromark's CommonMark + GFM (tables, autolinks,
// strikethrough), the grammar GitHub's cmark-gfm follows, into what a reader sees: headings, tables,
// links and any raw HTML. For the PR comment and job summaries alike.
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Nodes, Parents, Root } from 'mdast';

export interface RenderedTable {
  /** The header row's cells, as text. */
  columns: string[];
  /** Each body row's cells, as text. */
  rows: string[][];
}

export interface RenderedMarkdown {
  /** Headings as `### text`, in order. */
  headings: string[];
  tables: RenderedTable[];
  links: { text: string; url: string }[];
  /** Raw HTML, block or inline, as written. */
  html: string[];
  /** The text of every paragraph and code block, one a line (headings and tables have their own). */
  text: string;
}

/** Parses `markdown` as GitHub does and collects what it renders to. */
export function renderGfm(markdown: string): RenderedMarkdown {
  const tree: Root = fromMarkdown(markdown, {
    extensions: [gfm()],
    mdastExtensions: [gfmFromMarkdown()],
  });
  const rendered: RenderedMarkdown = { headings: [], tables: [], links: [], html: [], text: '' };
  const texts: string[] = [];
  const visit = (node: Nodes) => {
    switch (node.type) {
      case 'heading':
        rendered.headings.push(`${'#'.repeat(node.depth)} ${textOf(node)}`);
        break;
      case 'table': {
        const [header, ...body] = node.children.map((row) => row.children.map((cell) => textOf(cell)));
        rendered.tables.push({ columns: header ?? [], rows: body });
        break;
      }
      case 'link':
        rendered.links.push({ text: textOf(node), url: node.url });
        break;
      case 'html':
        rendered.html.push(node.value);
        break;
      case 'paragraph':
        texts.push(textOf(node));
        break;
      case 'code':
        texts.push(node.value);
        break;
    }
    if ('children' in node) for (const child of (node as Parents).children) visit(child);
  };
  visit(tree);
  rendered.text = texts.join('\n');
  return rendered;
}

/** The text of a node as a reader sees it: text and code; raw HTML is not shown (GitHub drops most). */
export function textOf(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'code') return node.value;
  if ('children' in node) return (node as Parents).children.map((child) => textOf(child)).join('');
  return '';
}

/** The HTML a comment or summary of ours may hold: hidden markers and `<details>` folds. */
export const OUR_HTML: readonly RegExp[] = [
  /^<!-- [\w:/ -]+ -->$/,
  /^<details><summary>[^<>]*<\/summary>$/,
  /^<\/details>$/,
];

/**
 * What is wrong with a comment or summary of ours as GitHub would show it: raw HTML other than the
 * markers and folds (a `<lambda>` GitHub's sanitizer would eat, or a block that swallows what follows
 * it), a `###` line that does not render as a heading, a table row whose cells do not match the header.
 * `allowedHtml` lists the raw HTML lines that are meant.
 */
export function renderingProblems(markdown: string, allowedHtml: readonly RegExp[] = OUR_HTML): string[] {
  const rendered = renderGfm(markdown);
  const problems: string[] = [];
  for (const html of rendered.html) {
    const parts = html.split('\n').filter((line) => line.trim() !== '');
    const stray = parts.filter((line) => !allowedHtml.some((allowed) => allowed.test(line.trim())));
    if (stray.length) problems.push(`raw HTML GitHub would not show as written: ${stray.join(' ⏎ ')}`);
  }
  const written = withoutCodeBlocks(markdown)
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => line.trim());
  for (const heading of written) {
    // The line alone shows what it renders to, inline markup and all; in the document it must too.
    const alone = renderGfm(heading).headings[0];
    if (!alone || !rendered.headings.includes(alone))
      problems.push(`"${heading}" does not render as a heading`);
  }
  for (const table of rendered.tables) {
    for (const row of table.rows) {
      if (row.length !== table.columns.length) {
        problems.push(`a table row has ${row.length} cells under ${table.columns.length} columns`);
      }
    }
  }
  return problems;
}

/** The marks a first line opens with (src/markdown.ts), written out here so a renamed mark is noticed. */
const OUTCOME_MARKS = ['✅', '❌', '⏸️', '⏳', '🗑️', 'ℹ️'];

/**
 * What is wrong with the first thing a reader sees of a summary or comment: it must be a heading that
 * opens with an outcome mark and, where `url` says so, names a URL. Rendering problems count too.
 */
export function outcomeProblems(markdown: string, { url }: { url: boolean }): string[] {
  const tree: Root = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  // Hidden markers (HTML comments) are not seen; anything else is.
  const first = tree.children.find(
    (node) => !(node.type === 'html' && /^<!--[\s\S]*-->$/.test(node.value.trim())),
  );
  const problems = renderingProblems(markdown);
  if (first?.type !== 'heading')
    return [...problems, `the first block is a ${first?.type ?? 'nothing'}, not a heading`];
  const text = textOf(first);
  if (!OUTCOME_MARKS.some((mark) => text.startsWith(mark)))
    problems.push(`"${text}" opens with no outcome mark`);
  const links = collect(first, 'link').map((node) => (node as { url: string }).url);
  if (url && !/https?:\/\//.test([text, ...links].join(' '))) problems.push(`"${text}" names no URL`);
  return problems;
}

/** The text of the first heading: the line a reader takes the outcome from. */
export function firstLine(markdown: string): string {
  const heading = renderGfm(markdown).headings[0] ?? '';
  return heading.replace(/^#+ /, '');
}

function collect(node: Nodes, type: string): Nodes[] {
  const own = node.type === type ? [node] : [];
  return 'children' in node
    ? [...own, ...(node as Parents).children.flatMap((child) => collect(child, type))]
    : own;
}

/** `markdown` without its fenced code blocks, whose lines are text whatever they start with. */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[`~]*$/gm, '');
}

/**
 * Markdown as GitHub shows it, for every job summary and pull-request comment: the first line that says
 * what happened and where it is live, so a reader knows the outcome before any table, and the escapes
 * that keep text as written.
 */
import { LATEST } from './agentrun/model.js';

export const Mark = {
  done: '✅',
  failed: '❌',
  paused: '⏸️',
  working: '⏳',
  removed: '🗑️',
  /** Nothing to do, or a plan: neither good nor bad news. */
  info: 'ℹ️',
} as const;
export type Mark = keyof typeof Mark;

/**
 * The opening heading: the mark, then the sentence. A third-level heading: it holds a whole URL, which
 * at the second level's size would fill the first screen.
 */
export function headline(mark: Mark, sentence: string): string {
  return `### ${Mark[mark]} ${sentence}`;
}

/** What an endpoint serves, in words: `version 3`, `LATEST (version 3)`, or a split. */
export function servedVersion(
  version: string,
  weights: readonly { version?: string; weight?: number }[] = [],
  latestIs?: string,
): string {
  const main =
    version !== LATEST ? `version ${version}` : latestIs ? `LATEST (version ${latestIs})` : 'LATEST';
  if (!weights.length) return main;
  const rest = 1 - weights.reduce((sum, w) => sum + (w.weight ?? 0), 0);
  const share = (weight: number) => `${Math.round(weight * 100)}%`;
  return [
    `${main} (${share(rest)})`,
    ...weights.map((w) => `version ${w.version} (${share(w.weight ?? 0)})`),
  ].join(' and ');
}

/** `production serves version 3 at <url>`: where an agent is live, for the first line. */
export function liveAt(endpoint: string, served: string, url: string | undefined): string {
  return `${code(endpoint)} serves ${served}${url ? ` at ${autolink(url)}` : ''}`;
}

/** A URL GitHub shows clickable anywhere, headings and table cells included. */
export function autolink(url: string): string {
  return `<${url.replace(/[<>\s]/g, encodeURIComponent)}>`;
}

/** A link whose text is shown as written and whose URL cannot end the link early. */
export function link(text: string, url: string): string {
  return `[${escapeMarkdown(text)}](${autolink(url)})`;
}

/**
 * `text` shown as written inline: HTML's `& < >` as entities (GitHub's sanitizer would eat `<lambda>`),
 * and the characters that start emphasis, links or code backslash-escaped. A table cell's `|` is left
 * to the table (`cells`).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]~]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A code span that holds `text` whatever backticks it contains. */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return longest ? `${ticks} ${text} ${ticks}` : `${ticks}${text}${ticks}`;
}

/**
 * Text that must be read whole, e.g. the line a failure turns on: a block quote, which wraps where a
 * code block would scroll sideways; each line escaped, at most `max` characters in all.
 */
export function quote(text: string, max = 1_500): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut
    .split('\n')
    .map((line) => `> ${escapeMarkdown(line)}`.trimEnd())
    .join('\n>\n');
}

/** A table row, its cells' `|` and line breaks escaped. */
export const cells = (values: readonly string[]): string =>
  `| ${values.map((v) => v.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;

/** A GFM table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [cells(header), cells(header.map(() => '---')), ...rows.map(cells)].join('\n');
}

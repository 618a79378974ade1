import { redactDeep } from '../secrets.js';

/** GitHub rejects comment bodies longer than this (422 "Body is too long"). */
export const MAX_COMMENT_LENGTH = 65_536;

/** Finds our comment again among a PR's comments; invisible in the rendered markdown. */
export const COMMENT_MARKER = '<!-- agentrun-deploy:pr-comment -->';

export type PreviewStatus = 'deploying' | 'ready' | 'failed' | 'removed';

/** One agent's preview, as a row of the comment. */
export interface PreviewRow {
  /** The agent's runtime name. */
  agent: string;
  endpoint: string;
  version?: string;
  url?: string;
  status: PreviewStatus;
  /** Why it failed, or a note on a removal. */
  reason?: string;
}

export interface PreviewSection {
  rows: PreviewRow[];
  /** The commit the preview runs. */
  sha: string;
  runUrl?: string;
  /** When this state was reached, as an ISO 8601 string. */
  updatedAt: string;
  /** A line shown above the table, e.g. why nothing was deployed. */
  notice?: string;
}

export interface PlanSection {
  /** The plan diff, as `plan` prints it. */
  diff: string;
  sha: string;
  runUrl?: string;
  updatedAt: string;
}

/** The parts of the comment; each command replaces its own and leaves the others. */
export type SectionName = 'preview' | 'plan';

const ICON: Record<PreviewStatus, string> = {
  deploying: '⏳ Deploying',
  ready: '✅ Ready',
  failed: '❌ Failed',
  removed: '🗑️ Removed',
};

/** The preview section: a table of agents, how to call them, the commit and run. */
export function renderPreview(section: PreviewSection, secrets: readonly string[]): string {
  const s = redactDeep(section, secrets);
  const rows = s.rows.map((row) =>
    cells([
      code(row.agent),
      row.version ? escapeMarkdown(row.version) : '—',
      row.url && row.status !== 'removed' ? link(row.endpoint, row.url) : code(row.endpoint),
      statusCell(row, s.runUrl),
      utc(s.updatedAt),
    ]),
  );
  const callable = s.rows.filter((row) => row.status === 'ready' && row.url);
  return [
    '### AgentRun preview',
    '',
    ...(s.notice ? [s.notice, ''] : []),
    ...(rows.length
      ? [
          cells(['Agent', 'Version', 'Endpoint', 'Status', 'Updated (UTC)']),
          cells(['---', '---', '---', '---', '---']),
          ...rows,
          '',
        ]
      : []),
    footer(s.sha, s.runUrl),
    ...(callable.length
      ? [
          '',
          '<details><summary>Call the preview</summary>',
          '',
          ...callable.flatMap((row) => [`${code(row.agent)}:`, '', fenced(curl(row.url!), 'sh'), '']),
          '</details>',
        ]
      : []),
  ].join('\n');
}

/** The plan section: what a deploy of this PR would change, in a folded diff. */
export function renderPlanSection(
  section: PlanSection,
  secrets: readonly string[],
  maxLength = MAX_COMMENT_LENGTH,
): string {
  const s = redactDeep(section, secrets);
  const frame = (diff: string) =>
    [
      '### AgentRun plan',
      '',
      '<details><summary>What a deploy of this pull request would change</summary>',
      '',
      fenced(diff, 'diff'),
      '',
      '</details>',
      '',
      footer(s.sha, s.runUrl, s.updatedAt),
    ].join('\n');
  const full = frame(s.diff);
  if (full.length <= maxLength) return full;
  return frame(cutLines(s.diff, s.diff.length - (full.length - maxLength)));
}

/**
 * The whole comment with `name`'s section set to `content`, keeping the other sections of
 * `previous` (the comment as it is on GitHub, if any). A section given as a function is rendered
 * to fit the room the others leave; past GitHub's limit anyway, the longest sections lose their tail.
 */
export function composeComment(
  previous: string | undefined,
  name: SectionName,
  content: string | ((maxLength: number) => string),
): string {
  const sections = previous ? parseSections(previous) : new Map<string, string>();
  sections.set(name, '');
  const order = SECTION_ORDER.filter((n) => sections.has(n));
  // Blank lines around every marker: an HTML block (a marker, or the `</details>` that ends a section)
  // runs to the next blank line, and would swallow a heading or table that followed it directly.
  const build = () =>
    [COMMENT_MARKER, ...order.map((n) => `${open(n)}\n\n${sections.get(n)}\n\n${close(n)}`)].join('\n\n');
  sections.set(name, typeof content === 'string' ? content : content(MAX_COMMENT_LENGTH - build().length));
  let body = build();
  while (body.length > MAX_COMMENT_LENGTH) {
    const [key, text] = [...sections.entries()].sort(([, a], [, b]) => b.length - a.length)[0]!;
    const excess = body.length - MAX_COMMENT_LENGTH;
    sections.set(key, cutLines(text, Math.max(0, text.length - excess - TRUNCATION_NOTE.length - 1)));
    body = build();
  }
  return body;
}

/** Whether a comment is ours. */
export function isOurComment(body: string): boolean {
  return body.includes(COMMENT_MARKER);
}

const SECTION_ORDER: SectionName[] = ['preview', 'plan'];
const open = (name: string) => `<!-- section:${name} -->`;
const close = (name: string) => `<!-- /section:${name} -->`;

function parseSections(body: string): Map<string, string> {
  const sections = new Map<string, string>();
  for (const name of SECTION_ORDER) {
    const start = body.indexOf(open(name));
    const end = body.indexOf(close(name));
    if (start >= 0 && end > start) {
      sections.set(name, body.slice(start + open(name).length, end).replace(/^\n+|\n+$/g, ''));
    }
  }
  return sections;
}

const TRUNCATION_NOTE = '… (shortened to fit a GitHub comment; the run log has it all)';

/** `text` cut at a line end to at most `length` characters, with a note that it was. */
function cutLines(text: string, length: number): string {
  if (text.length <= length) return text;
  const head = text.slice(0, Math.max(0, length));
  const lineEnd = head.lastIndexOf('\n');
  return `${lineEnd > 0 ? head.slice(0, lineEnd) : ''}\n${TRUNCATION_NOTE}`;
}

function statusCell(row: PreviewRow, runUrl: string | undefined): string {
  const reason = row.reason ? `: ${escapeMarkdown(oneLine(row.reason))}` : '';
  const log = row.status === 'failed' && runUrl ? ` (${link('log', runUrl)})` : '';
  return `${ICON[row.status]}${reason}${log}`;
}

function footer(sha: string, runUrl: string | undefined, updatedAt?: string): string {
  return [
    sha ? `Commit ${code(sha.slice(0, 7))}` : undefined,
    runUrl ? link('workflow run', runUrl) : undefined,
    updatedAt ? `${utc(updatedAt)} UTC` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** A ready-to-paste call of an endpoint's invocation URL. */
export function curl(url: string): string {
  return `curl -X POST '${url.replace(/'/g, `'\\''`)}' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"prompt": "Hello"}'`;
}

/** A code block whose fence is longer than any backtick run inside it. */
function fenced(text: string, language: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

const utc = (iso: string) => iso.replace('T', ' ').slice(0, 16);
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 300);
const cells = (values: string[]) => `| ${values.map((v) => v.replace(/\|/g, '\\|')).join(' | ')} |`;

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
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return longest ? `${ticks} ${text} ${ticks}` : `${ticks}${text}${ticks}`;
}

/** A link whose text is shown as written and whose URL cannot end the link early. */
function link(text: string, url: string): string {
  return `[${escapeMarkdown(text)}](<${url.replace(/[<>\s]/g, encodeURIComponent)}>)`;
}

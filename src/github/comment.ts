import { autolink, cells, code, escapeMarkdown, headline, link, Mark } from '../markdown.js';
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
  commitUrl?: string;
  runUrl?: string;
  /** When this state was reached, as an ISO 8601 string. */
  updatedAt: string;
  /** A line shown above the table, e.g. why nothing was deployed. */
  notice?: string;
}

export interface PlanSection {
  /** The plan diff, as `plan` prints it. */
  diff: string;
  /** What a deploy would do, in one sentence: `a deploy would change `agent` (update, code)`. */
  outcome: string;
  /** What the plan compared with: production's version, or the runtime as it is. */
  comparedWith: string;
  sha: string;
  commitUrl?: string;
  runUrl?: string;
  updatedAt: string;
}

/** The parts of the comment; each command replaces its own and leaves the others. */
export type SectionName = 'preview' | 'plan';

const MARK: Record<PreviewStatus, Mark> = {
  deploying: 'working',
  ready: 'done',
  failed: 'failed',
  removed: 'removed',
};
const STATUS_TEXT: Record<PreviewStatus, string> = {
  deploying: 'Deploying',
  ready: 'Ready',
  failed: 'Failed',
  removed: 'Removed',
};

/**
 * The preview section: the outcome and the URL first, the ready `curl` right under it (the invocation
 * URL takes POST: a browser's click would only get a 404), then a table of agents, the commit and run.
 */
export function renderPreview(section: PreviewSection, secrets: readonly string[]): string {
  const s = redactDeep(section, secrets);
  const rows = s.rows.map((row) =>
    cells([
      code(row.agent),
      row.version ? `${escapeMarkdown(row.version)} (this pull request's preview)` : '—',
      code(row.endpoint),
      statusCell(row, s.runUrl),
      utc(s.updatedAt),
    ]),
  );
  const callable = s.rows.filter((row) => row.status === 'ready' && row.url);
  return [
    previewHeadline(s.rows, s.runUrl),
    '',
    ...(s.notice ? [s.notice, ''] : []),
    ...(callable.length
      ? [
          'The URL takes a POST, so a click in the browser gets a 404; call it with:',
          '',
          ...callable.flatMap((row) => [
            ...(callable.length > 1 ? [`${code(row.agent)}:`, ''] : []),
            fenced(curl(row.url!), 'sh'),
            '',
          ]),
        ]
      : []),
    ...(rows.length
      ? [
          cells(['Agent', 'Version', 'Endpoint', 'Status', 'Updated (UTC)']),
          cells(['---', '---', '---', '---', '---']),
          ...rows,
          '',
        ]
      : []),
    footer(s.sha, s.commitUrl, s.runUrl),
  ].join('\n');
}

/** `✅ Preview ready — `agent` version 5 at `https://…``: the whole outcome in one line. */
function previewHeadline(rows: readonly PreviewRow[], runUrl: string | undefined): string {
  const worst = (['failed', 'deploying', 'ready', 'removed'] as const).find((status) =>
    rows.some((row) => row.status === status),
  );
  if (!worst) return headline('info', 'Preview: no agent to preview');
  const clause = (row: PreviewRow) => {
    const what = `${code(row.agent)}${row.version ? ` version ${escapeMarkdown(row.version)}` : ''}`;
    if (row.status === 'ready') return `${what} at ${row.url ? code(row.url) : code(row.endpoint)}`;
    if (row.status === 'failed')
      return `${what}: ${escapeMarkdown(oneLine(row.reason ?? 'failed').slice(0, 160))}`;
    return `${what} (endpoint ${code(row.endpoint)})`;
  };
  const lead = {
    failed: 'Preview failed, production untouched',
    deploying: 'Preview deploying',
    ready: 'Preview ready',
    removed: 'Preview removed',
  }[worst];
  const log = worst === 'failed' && runUrl ? ` — log: ${autolink(runUrl)}` : '';
  return headline(MARK[worst], `${lead} — ${rows.map(clause).join('; ')}${log}`);
}

/** The plan section: what a deploy of this PR would change, against what production serves. */
export function renderPlanSection(
  section: PlanSection,
  secrets: readonly string[],
  maxLength = MAX_COMMENT_LENGTH,
): string {
  const s = redactDeep(section, secrets);
  const frame = (diff: string) =>
    [
      headline('info', `Plan — ${escapeMarkdown(s.outcome)}`),
      '',
      `Compared with ${escapeMarkdown(s.comparedWith)}.`,
      '',
      '<details><summary>What a deploy of this pull request would change</summary>',
      '',
      fenced(diff, 'diff'),
      '',
      '</details>',
      '',
      footer(s.sha, s.commitUrl, s.runUrl, s.updatedAt),
    ].join('\n');
  const full = frame(s.diff);
  if (full.length <= maxLength) return full;
  // The note that says it was cut takes room too.
  return frame(cutLines(s.diff, s.diff.length - (full.length - maxLength) - TRUNCATION_NOTE.length - 1));
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
  return `${Mark[MARK[row.status]]} ${STATUS_TEXT[row.status]}${reason}${log}`;
}

function footer(
  sha: string,
  commitUrl: string | undefined,
  runUrl: string | undefined,
  updatedAt?: string,
): string {
  const short = sha.slice(0, 7);
  return [
    sha ? `Commit ${commitUrl ? link(short, commitUrl) : code(short)}` : undefined,
    runUrl ? link('workflow run', runUrl) : undefined,
    updatedAt ? `${utc(updatedAt)} UTC` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** A ready-to-paste call of an endpoint's invocation URL. */
export function curl(url: string): string {
  const rest = ` \\\n  -H 'Content-Type: application/json' \\\n  -d '{"prompt": "Hello"}'`;
  const single = `curl -X POST '${url.replace(/'/g, `'\\''`)}'`;
  if (single.length <= CODE_LINE) return `${single}${rest}`;
  // A code block scrolls sideways rather than wrap, so a long URL is cut at its slashes: inside double
  // quotes the shell drops a backslash-newline, and the pasted command gets the URL whole.
  const lines: string[] = [];
  for (const piece of url.replace(/["$`\\]/g, '\\$&').split(/(?=\/)/)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + piece.length <= CODE_LINE - 4) lines[last] += piece;
    else lines.push(piece);
  }
  return `curl -X POST \\\n  "${lines.join('\\\n')}"${rest}`;
}

/** The longest code line a comment shows without scrolling sideways (GitHub's narrowest comment column). */
const CODE_LINE = 80;

/** A code block whose fence is longer than any backtick run inside it. */
function fenced(text: string, language: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

const utc = (iso: string) => iso.replace('T', ' ').slice(0, 16);
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 300);

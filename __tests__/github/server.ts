// A local GitHub REST server for tests: the routes pull-request previews call, in-memory state, and
// every request it receives and every response it sends checked against GitHub's OpenAPI description.
// Every comment posted is parsed as GitHub renders Markdown (GFM) and checked too.
// It answers like GitHub: 401 for an unknown token, 403 for a read-only one, 404, 422, and secondary
// rate limits (403/429 with retry-after) on demand.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderingProblems } from './markdown.js';
import { GitHubSpec, Problem } from './openapi.js';

export type TokenAccess = 'write' | 'read';

export interface PullState {
  number: number;
  state: 'open' | 'closed';
  merged: boolean;
  headSha: string;
  /** `owner/name` of the head repository; null for a deleted fork. */
  headRepo: string | null;
  closedAt?: string;
}

export interface RecordedRequest {
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/deployments`. */
  route: string;
  path: string;
  status: number;
  body?: unknown;
}

interface Comment {
  id: number;
  issue: number;
  body: string;
  createdAt: string;
  updatedAt: string;
}
interface DeploymentRow {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  description: string | null;
  payload: Record<string, unknown> | string;
  transient: boolean;
  production: boolean;
  createdAt: string;
  statuses: StatusRow[];
}
interface StatusRow {
  id: number;
  state: string;
  description: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
}

/** The fields of the request bodies this server takes (already checked against the description). */
interface RequestBody {
  body: string;
  ref: string;
  environment?: string;
  description?: string | null;
  payload?: Record<string, unknown> | string;
  transient_environment?: boolean;
  production_environment?: boolean;
  auto_merge?: boolean;
  required_contexts?: string[];
  state: string;
  log_url?: string;
  target_url?: string;
  environment_url?: string;
}

interface SchemaNode {
  $ref?: string;
  nullable?: boolean;
  example?: unknown;
  enum?: unknown[];
  format?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, SchemaNode>;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const ROUTES = [
  ['GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments'],
  ['PATCH', '/repos/{owner}/{repo}/issues/comments/{comment_id}'],
  ['GET', '/repos/{owner}/{repo}/pulls/{pull_number}'],
  ['GET', '/repos/{owner}/{repo}/deployments'],
  ['POST', '/repos/{owner}/{repo}/deployments'],
  ['GET', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses'],
  ['POST', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses'],
] as const;

const WRITE_PERMISSION: Record<string, string> = {
  '/repos/{owner}/{repo}/issues/{issue_number}/comments': 'issues=write; pull_requests=write',
  '/repos/{owner}/{repo}/issues/comments/{comment_id}': 'issues=write; pull_requests=write',
  '/repos/{owner}/{repo}/deployments': 'deployments=write',
  '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses': 'deployments=write',
};

const DOCS = 'https://docs.github.com/rest';
const BOT_LOGIN = 'github-actions[bot]';

export interface GitHubServerOptions {
  /** `owner/name` of the one repository it serves. */
  repository?: string;
  tokens?: Record<string, TokenAccess>;
}

export interface GitHubServer {
  /** Base URL for GITHUB_API_URL, e.g. `http://127.0.0.1:PORT`. */
  url: string;
  repository: string;
  /** Every request answered, in order. */
  requests: RecordedRequest[];
  /** Problems found in requests or responses; a test asserts it stays empty. */
  problems: string[];
  addPull(pull: Omit<PullState, 'state' | 'merged'> & Partial<PullState>): void;
  closePull(number: number, merged?: boolean, closedAt?: string): void;
  comments(issue: number): { id: number; body: string; createdAt: string; updatedAt: string }[];
  /** Adds a comment by another user (a human reviewer). */
  addComment(issue: number, body: string): void;
  deployments(environment?: string): {
    id: number;
    sha: string;
    environment: string;
    transient: boolean;
    payload: unknown;
    states: string[];
    environmentUrl: string;
  }[];
  /** The next `count` requests are refused as a secondary rate limit. */
  rateLimitNext(count: number, reply: { status: 403 | 429; retryAfter: number }): void;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 on a free port. */
export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  const spec = GitHubSpec.load();
  const repository = options.repository ?? 'octo-org/agents';
  const tokens = options.tokens ?? { ghs_write_token: 'write', ghs_read_token: 'read' };
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const pulls = new Map<number, PullState>();
  const comments: Comment[] = [];
  const deployments: DeploymentRow[] = [];
  let nextId = 1000;
  let limited: { count: number; status: 403 | 429; retryAfter: number } | undefined;
  let origin = '';
  const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const repoApi = () => `${origin}/repos/${repository}`;

  const user = () =>
    sample(spec, 'simple-user', {
      login: BOT_LOGIN,
      id: 41898282,
      type: 'Bot',
      html_url: 'https://github.com/apps/github-actions',
    });
  const repositoryObject = (fullName: string) => {
    const [owner, name] = fullName.split('/') as [string, string];
    const base = sample(spec, 'repository', {
      name,
      full_name: fullName,
      owner: { ...user(), login: owner, type: 'Organization' },
      fork: fullName !== repository,
      private: false,
    });
    return rewriteUrls(base, 'octocat/Hello-World', fullName);
  };
  const commentObject = (c: Comment) =>
    sample(spec, 'issue-comment', {
      id: c.id,
      node_id: `IC_${c.id}`,
      body: c.body,
      user: user(),
      url: `${repoApi()}/issues/comments/${c.id}`,
      html_url: `https://github.com/${repository}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${repoApi()}/issues/${c.issue}`,
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: 'NONE',
    });
  const deploymentObject = (d: DeploymentRow) => ({
    url: `${repoApi()}/deployments/${d.id}`,
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: 'deploy',
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: user(),
    created_at: d.createdAt,
    updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
    statuses_url: `${repoApi()}/deployments/${d.id}/statuses`,
    repository_url: repoApi(),
    transient_environment: d.transient,
    production_environment: d.production,
  });
  const statusObject = (d: DeploymentRow, s: StatusRow) => ({
    url: `${repoApi()}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: `DES_${s.id}`,
    state: s.state,
    creator: user(),
    description: s.description,
    environment: d.environment,
    target_url: s.logUrl,
    log_url: s.logUrl,
    environment_url: s.environmentUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${repoApi()}/deployments/${d.id}`,
    repository_url: repoApi(),
  });
  const pullObject = (p: PullState) => {
    const [owner] = repository.split('/');
    const ref = (sha: string, repo: string | null, label: string) => ({
      label,
      ref: label.split(':')[1]!,
      sha,
      user: { ...user(), login: owner!, type: 'Organization' },
      repo: repo === null ? null : repositoryObject(repo),
    });
    const base = sample(spec, 'pull-request', {
      number: p.number,
      id: 5000 + p.number,
      state: p.state,
      merged: p.merged,
      closed_at: p.closedAt ?? null,
      merged_at: p.merged ? (p.closedAt ?? null) : null,
      title: `Pull request ${p.number}`,
      user: user(),
      head: ref(p.headSha, p.headRepo, `${p.headRepo?.split('/')[0] ?? 'deleted'}:feature-${p.number}`),
      base: ref('0'.repeat(40), repository, `${owner}:main`),
    });
    return rewriteUrls(base, 'octocat/Hello-World', repository);
  };

  /** Every comment posted is read as GitHub would render it; what would show wrong is a problem. */
  const checkRendering = (markdown: string) => {
    for (const problem of renderingProblems(markdown)) problems.push(`comment: ${problem}`);
  };

  const error = (status: number, message: string, headers?: Record<string, string>): Reply => ({
    status,
    body: { message, documentation_url: DOCS, status: String(status) },
    headers,
  });
  const validationFailed = (message: string): Reply => ({
    status: 422,
    body: { message: 'Validation Failed', documentation_url: DOCS, errors: [message] },
  });

  /** Answers one request whose parameters and body have been checked. */
  function handle(
    method: string,
    route: string,
    params: Record<string, string>,
    query: URLSearchParams,
    body: RequestBody,
  ): Reply {
    if (`${params.owner}/${params.repo}` !== repository) return error(404, 'Not Found');
    switch (`${method} ${route}`) {
      case 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': {
        const issue = Number(params.issue_number);
        if (!pulls.has(issue)) return error(404, 'Not Found');
        const all = comments.filter((c) => c.issue === issue);
        return page(all.map(commentObject), query, `${repoApi()}/issues/${issue}/comments`);
      }
      case 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': {
        const issue = Number(params.issue_number);
        if (!pulls.has(issue)) return error(404, 'Not Found');
        if (body.body.length > 65_536)
          return validationFailed('Body is too long (maximum is 65536 characters)');
        checkRendering(body.body);
        const comment = { id: nextId++, issue, body: body.body, createdAt: now(), updatedAt: now() };
        comments.push(comment);
        return {
          status: 201,
          body: commentObject(comment),
          headers: { location: `${repoApi()}/issues/comments/${comment.id}` },
        };
      }
      case 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': {
        const comment = comments.find((c) => c.id === Number(params.comment_id));
        if (!comment) return error(404, 'Not Found');
        if (body.body.length > 65_536)
          return validationFailed('Body is too long (maximum is 65536 characters)');
        checkRendering(body.body);
        comment.body = body.body;
        comment.updatedAt = now();
        return { status: 200, body: commentObject(comment) };
      }
      case 'GET /repos/{owner}/{repo}/pulls/{pull_number}': {
        const pull = pulls.get(Number(params.pull_number));
        return pull ? { status: 200, body: pullObject(pull) } : error(404, 'Not Found');
      }
      case 'GET /repos/{owner}/{repo}/deployments': {
        // GitHub lists deployments newest first.
        const matching = deployments
          .filter((d) => !query.has('environment') || d.environment === query.get('environment'))
          .filter((d) => !query.has('sha') || d.sha === query.get('sha'))
          .sort((a, b) => b.id - a.id);
        return page(matching.map(deploymentObject), query, `${repoApi()}/deployments`);
      }
      case 'POST /repos/{owner}/{repo}/deployments': {
        if (!/^[0-9a-f]{40}$/.test(body.ref) && body.ref !== 'main')
          return error(422, `No ref found for: ${body.ref}`);
        if (body.auto_merge !== false) return error(409, `Conflict merging main into ${body.ref}.`);
        if (!Array.isArray(body.required_contexts) || body.required_contexts.length) {
          return error(409, `Conflict: Commit status checks failed for ${body.ref}.`);
        }
        const environment = body.environment ?? 'production';
        const deployment: DeploymentRow = {
          id: nextId++,
          sha: body.ref,
          ref: body.ref,
          environment,
          description: body.description ?? '',
          payload: body.payload ?? {},
          transient: body.transient_environment ?? false,
          production: body.production_environment ?? environment === 'production',
          createdAt: now(),
          statuses: [],
        };
        deployments.push(deployment);
        return { status: 201, body: deploymentObject(deployment) };
      }
      case 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': {
        const deployment = deployments.find((d) => d.id === Number(params.deployment_id));
        if (!deployment) return error(404, 'Not Found');
        const newestFirst = [...deployment.statuses].reverse().map((s) => statusObject(deployment, s));
        return page(newestFirst, query, `${repoApi()}/deployments/${deployment.id}/statuses`);
      }
      case 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses': {
        const deployment = deployments.find((d) => d.id === Number(params.deployment_id));
        if (!deployment) return error(404, 'Not Found');
        if ((body.description ?? '').length > 140) {
          return validationFailed('description is too long (maximum is 140 characters)');
        }
        const status: StatusRow = {
          id: nextId++,
          state: body.state,
          description: body.description ?? '',
          logUrl: body.log_url ?? body.target_url ?? '',
          environmentUrl: body.environment_url ?? deployment.statuses.at(-1)?.environmentUrl ?? '',
          createdAt: now(),
        };
        deployment.statuses.push(status);
        return { status: 201, body: statusObject(deployment, status) };
      }
    }
    return error(404, 'Not Found');
  }

  /** One page of `items` with GitHub's Link header, which names this server's own origin. */
  function page(items: unknown[], query: URLSearchParams, url: string): Reply {
    const perPage = Number(query.get('per_page') ?? 30);
    const pageNumber = Number(query.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number, rel: string) => {
      const next = new URLSearchParams(query);
      next.set('page', String(n));
      return `<${url}?${next}>; rel="${rel}"`;
    };
    const links = [
      ...(pageNumber < last ? [link(pageNumber + 1, 'next'), link(last, 'last')] : []),
      ...(pageNumber > 1 ? [link(1, 'first'), link(pageNumber - 1, 'prev')] : []),
    ];
    return {
      status: 200,
      body: items.slice((pageNumber - 1) * perPage, pageNumber * perPage),
      headers: links.length ? { link: links.join(', ') } : {},
    };
  }

  async function respond(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    const method = request.method ?? 'GET';
    const text = await readBody(request);
    const match = matchRoute(method, url.pathname);
    let reply: Reply;
    let body: unknown;
    try {
      if (!match) throw new Problem(`${method} ${url.pathname} is not a route this server implements`);
      body = text ? JSON.parse(text) : undefined;
      reply =
        authorize(request, match.route, method) ?? takeRateLimit() ?? answer(match, url.searchParams, body);
      spec.checkResponse(match.route, method, reply.status, reply.body);
    } catch (caught) {
      const message = caught instanceof Error ? caught.message : String(caught);
      problems.push(message);
      reply = { status: 400, body: { message } };
    }
    requests.push({
      method,
      route: match?.route ?? url.pathname,
      path: url.pathname + url.search,
      status: reply.status,
      body,
    });
    const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-media-type': 'github.v3; format=json',
      ...reply.headers,
    });
    response.end(payload);
  }

  function answer(
    { method, route, params }: { method: string; route: string; params: Record<string, string> },
    query: URLSearchParams,
    body: unknown,
  ): Reply {
    spec.checkParameters(route, method, { path: params, query });
    // GitHub's description states this only in prose.
    if (Number(query.get('per_page') ?? 30) > 100) throw new Problem('per_page is at most 100');
    if (body !== undefined) spec.checkRequestBody(route, method, body);
    return handle(method, route, params, query, body as RequestBody);
  }

  function authorize(request: IncomingMessage, route: string, method: string): Reply | undefined {
    const token = /^(?:token|bearer) (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const access = token ? tokens[token] : undefined;
    if (!access) return error(401, 'Bad credentials');
    if (method !== 'GET' && access === 'read') {
      return error(403, 'Resource not accessible by integration', {
        'x-accepted-github-permissions': WRITE_PERMISSION[route] ?? '',
      });
    }
    return undefined;
  }

  function takeRateLimit(): Reply | undefined {
    if (!limited || limited.count <= 0) return undefined;
    limited.count--;
    return error(
      limited.status,
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      {
        'retry-after': String(limited.retryAfter),
      },
    );
  }

  const server = createServer((request, response) => {
    void respond(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    repository,
    requests,
    problems,
    addPull: (pull) => pulls.set(pull.number, { state: 'open', merged: false, ...pull }),
    closePull: (number, merged = false, closedAt = now()) => {
      const pull = pulls.get(number);
      if (pull) Object.assign(pull, { state: 'closed', merged, closedAt });
    },
    comments: (issue) =>
      comments
        .filter((c) => c.issue === issue)
        .map(({ id, body, createdAt, updatedAt }) => ({ id, body, createdAt, updatedAt })),
    addComment: (issue, body) => {
      comments.push({ id: nextId++, issue, body, createdAt: now(), updatedAt: now() });
    },
    deployments: (environment) =>
      deployments
        .filter((d) => environment === undefined || d.environment === environment)
        .map((d) => ({
          id: d.id,
          sha: d.sha,
          environment: d.environment,
          transient: d.transient,
          payload: d.payload,
          states: d.statuses.map((s) => s.state),
          environmentUrl: d.statuses.at(-1)?.environmentUrl ?? '',
        })),
    rateLimitNext: (count, reply) => {
      limited = { count, ...reply };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function matchRoute(method: string, pathname: string) {
  for (const [routeMethod, route] of ROUTES) {
    if (routeMethod !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(
      `^${route.replace(/\{(\w+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    const found = pattern.exec(pathname);
    if (found) {
      return {
        method,
        route,
        params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1]!)])),
      };
    }
  }
  return undefined;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * An object of component schema `name` with every required field: `overrides` first, then the
 * description's own example, else an empty value of the field's type. The result is validated
 * like every response, so a wrong guess here fails the test that sends it.
 */
function sample(
  spec: GitHubSpec,
  name: string,
  overrides: Record<string, unknown>,
  inline?: SchemaNode,
): Record<string, unknown> {
  const schema = inline ?? (spec.schema(name) as SchemaNode);
  const out: Record<string, unknown> = {};
  for (const key of schema.required ?? []) {
    if (key in overrides) continue;
    out[key] = sampleValue(spec, schema.properties?.[key] ?? {});
  }
  return { ...out, ...overrides };
}

function sampleValue(spec: GitHubSpec, property: SchemaNode): unknown {
  if (property.$ref) {
    const name = String(property.$ref).split('/').pop()!;
    if (name.startsWith('nullable-')) return null;
    const target = spec.schema(name);
    return target.properties ? sample(spec, name, {}) : sampleValue(spec, target as SchemaNode);
  }
  if (property.nullable) return null;
  if (property.type === 'object' && property.required) return sample(spec, '', {}, property);
  if (property.example !== undefined) return property.example;
  if (property.enum) return property.enum[0];
  if (property.format === 'date-time') return '2026-01-01T00:00:00Z';
  if (property.format === 'uri') return 'https://example.com';
  switch (property.type) {
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      return {};
  }
}

/** The description's examples name octocat/Hello-World; point them at our repository. */
function rewriteUrls<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll(from, to)) as T;
}

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OctokitGitHub } from '../../src/github/client.js';
import type { GitHubServer } from './server.js';

export const WRITE_TOKEN = 'ghs_write_token';
export const READ_TOKEN = 'ghs_read_token';
export const EVENTS = fileURLToPath(new URL('../fixtures/github/', import.meta.url));

export const eventPath = (name: string) => join(EVENTS, `${name}.json`);

/** A client of the local server whose waits are recorded instead of slept. */
export function clientFor(server: GitHubServer, token = WRITE_TOKEN) {
  const slept: number[] = [];
  const retries: string[] = [];
  const github = new OctokitGitHub({
    token,
    repository: server.repository,
    apiUrl: server.url,
    clock: { now: () => Date.now(), sleep: async (ms) => void slept.push(ms) },
    onRetry: (message) => retries.push(message),
  });
  return { github, slept, retries };
}

/** The runner's variables for an event fixture, pointed at the local server. */
export function runnerEnv(
  server: GitHubServer,
  event: string,
  eventName = 'pull_request',
): Record<string, string> {
  return {
    GITHUB_REPOSITORY: server.repository,
    GITHUB_API_URL: server.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath(event),
    GITHUB_SHA: 'f00df00df00df00df00df00df00df00df00df00d',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
  };
}

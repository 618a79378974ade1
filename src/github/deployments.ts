import type { DeploymentRequest, DeploymentStatusRequest } from './api.js';

/** The GitHub environment of a PR's preview: one per PR, so PRs never deactivate each other's. */
export function previewEnvironment(pr: number): string {
  return `preview/pr-${pr}`;
}

/** A preview deployment: transient, so GitHub shows it as destroyed once it is set inactive. */
export function previewDeployment(pr: number, sha: string, endpoints: readonly string[]): DeploymentRequest {
  return {
    ref: sha,
    environment: previewEnvironment(pr),
    description: `AgentRun preview of #${pr}`,
    transientEnvironment: true,
    productionEnvironment: false,
    payload: { pr, sha, endpoints },
  };
}

/** A deploy to a long-lived environment (the `environment` input, `production` by default). */
export function environmentDeployment(
  environment: string,
  sha: string,
  endpoints: readonly string[],
): DeploymentRequest {
  return {
    ref: sha,
    environment,
    description: `AgentRun deploy to ${environment}`,
    transientEnvironment: false,
    productionEnvironment: environment === 'production',
    payload: { sha, endpoints },
  };
}

/** The status that ends a deployment: success with the URL to follow, or failure with why. */
export function finalStatus(
  outcome: { url?: string; error?: string },
  runUrl: string | undefined,
): DeploymentStatusRequest {
  return outcome.error === undefined
    ? { state: 'success', description: 'Deployed', environmentUrl: outcome.url, logUrl: runUrl }
    : { state: 'failure', description: `Failed: ${outcome.error}`, logUrl: runUrl };
}

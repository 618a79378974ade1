import type { SlsApi } from './api.js';
import { AUTO_LOG, autoLogIndex, autoLogstore } from './layout.js';

/** What became of each part of a logstore: made now, or there already (by an earlier run or another job). */
export interface Ensured {
  project: 'created' | 'exists';
  logstore: 'created' | 'exists';
  index: 'created' | 'exists';
}

/**
 * Makes sure the `logConfig: auto` project, logstore and index exist, as `initSls` does: each is read
 * first and created only when missing. Two jobs at once converge: a create that loses the race is
 * answered "already exists", which counts as done.
 */
export async function ensureAutoLogstore(api: SlsApi, project: string, region: string): Promise<Ensured> {
  const logstore = AUTO_LOG.logstore;
  const projectState =
    (await api.getProject(project)) !== undefined
      ? 'exists'
      : await api.createProject({ projectName: project, description: `${AUTO_LOG.description} (${region})` });
  const logstoreState =
    (await api.getLogStore(project, logstore)) !== undefined
      ? 'exists'
      : await api.createLogStore(project, autoLogstore());
  const indexState =
    (await api.getIndex(project, logstore)) !== undefined
      ? 'exists'
      : await api.createIndex(project, logstore, autoLogIndex());
  return { project: projectState, logstore: logstoreState, index: indexState };
}

/** What `plan` says: which parts a deploy would create. */
export async function missingParts(api: SlsApi, project: string): Promise<string[]> {
  const logstore = AUTO_LOG.logstore;
  if ((await api.getProject(project)) === undefined) {
    return [`SLS project ${project}`, `logstore ${logstore}`, 'its index'];
  }
  if ((await api.getLogStore(project, logstore)) === undefined)
    return [`logstore ${project}/${logstore}`, 'its index'];
  if ((await api.getIndex(project, logstore)) === undefined) return [`the index of ${project}/${logstore}`];
  return [];
}

/**
 * The workspace operations (GetWorkspace, ListWorkspaces, CreateWorkspace) with the official SDK's
 * paths (`agentrun-20250910/src/client.ts`: `/2025-09-10/workspaces[/{workspaceId}]`) and models
 * (src/agentrun/model.ts), and the rules of SERVICE.workspaces: a default workspace per account, runtimes
 * in exactly one, names unique within it.
 */
import { randomUUID } from 'node:crypto';
import { createWorkspaceInput, workspace } from '../src/agentrun/model.js';
import { alreadyExists, invalid, notFound } from './errors.js';
import { isoSeconds } from './ids.js';
import { parse } from './requests.js';
import { DEFAULT_WORKSPACE, type Store, type WorkspaceRecord } from './store.js';

/** The workspace with this id, or a 404 as GetWorkspace answers it. */
export function findWorkspace(store: Store, id: string): WorkspaceRecord {
  const found = store.workspaces.get(id);
  if (!found) throw notFound(`Workspace ${id} does not exist`);
  return found;
}

/**
 * The workspace a create puts a runtime in: the one it names, or the default (SERVICE.workspaces).
 * Naming one that does not exist is refused as the field's problem.
 */
export function workspaceForCreate(store: Store, workspaceId: string | undefined): string {
  if (workspaceId === undefined) return DEFAULT_WORKSPACE.id;
  if (!store.workspaces.has(workspaceId))
    throw invalid(`workspaceId: workspace ${workspaceId} does not exist`);
  return workspaceId;
}

/** CreateWorkspace: a name is unique within the account. */
export function createWorkspace(store: Store, body: unknown): WorkspaceRecord {
  const input = parse(createWorkspaceInput, body);
  const name = input.name ?? '';
  if (!name) throw invalid('name: a workspace needs a name');
  if ([...store.workspaces.values()].some((w) => w.name === name)) {
    throw alreadyExists(`Workspace ${name} already exists`);
  }
  const record: WorkspaceRecord = {
    id: `ws-${randomUUID()}`,
    name,
    description: input.description ?? '',
    ...(input.resourceGroupId !== undefined && { resourceGroupId: input.resourceGroupId }),
    isDefault: false,
    createdAt: isoSeconds(),
  };
  store.workspaces.set(record.id, record);
  store.save();
  return record;
}

/** ListWorkspaces' `name` filter matches whole names (as the component relies on it to). */
export function listWorkspaces(store: Store, query: Record<string, string>): WorkspaceRecord[] {
  return [...store.workspaces.values()].filter((w) => !query.name || w.name === query.name);
}

/** A workspace as the `Workspace` response model has it. */
export function workspaceView(record: WorkspaceRecord, region: string, accountId: string): object {
  return workspace.parse({
    workspaceId: record.id,
    workspaceArn: `acs:agentrun:${region}:${accountId}:workspaces/${record.id}`,
    name: record.name,
    ...(record.description && { description: record.description }),
    ...(record.resourceGroupId !== undefined && { resourceGroupId: record.resourceGroupId }),
    isDefault: record.isDefault,
    createdAt: record.createdAt,
    updatedAt: record.createdAt,
  });
}

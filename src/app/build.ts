import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSummaryMarkdown, zipBytesUnder } from '../build/report.js';
import { buildTargets, type BuiltTargets } from '../build/targets.js';
import type { CodeOptions } from '../deploy/code.js';
import { formatBytes } from '../package/errors.js';
import type { DeployTarget } from '../plan/types.js';
import type { CommandContext } from './context.js';

/** Built dependencies, with what packaging needs to add them and the job summary's table. */
export interface Dependencies extends BuiltTargets {
  packaging: Pick<CodeOptions, 'dependencies' | 'onPackaged'>;
  /** The summary's dependency section (empty when nothing was built). */
  summary(): string;
}

/** Builds the targets' dependencies as the `build` inputs say. The caller calls `cleanup()`. */
export async function buildDependencies(
  { settings, spec, host, deps }: CommandContext,
  targets: readonly DeployTarget[],
): Promise<Dependencies> {
  // The runner's temp dir keeps build paths the same from run to run, as the Actions cache's entry
  // versions require; elsewhere a directory of this run's own, so concurrent runs never share one.
  const ownTempDir = host.tempDir ? undefined : await mkdtemp(join(tmpdir(), 'agentrun-build-'));
  const removeOwnTempDir = () => (ownTempDir ? rm(ownTempDir, { recursive: true, force: true }) : undefined);
  const built = await buildTargets(targets, spec.dir, {
    settings: settings.build,
    env: host.env,
    tempDir: host.tempDir ?? ownTempDir!,
    logger: host.logger,
    runner: deps.runner,
    cache: deps.buildCache(host.env),
    clock: deps.clock,
  }).catch(async (error: unknown) => {
    await removeOwnTempDir();
    throw error;
  });
  const zipBytes = new Map<string, number>();
  return {
    ...built,
    packaging: {
      dependencies: built.extraDirs,
      onPackaged: async (target, pkg) => {
        const dirs = built.extraDirs.get(target.resource);
        if (!dirs) return;
        const bytes = await zipBytesUnder(
          pkg.zipPath,
          dirs.map((dir) => dir.prefix),
        );
        zipBytes.set(target.resource, bytes);
        host.logger.info(
          `${target.resource}: the dependencies (${dirs.map((dir) => `${dir.prefix}/`).join(', ')}) add ${formatBytes(bytes)} to the zip.`,
        );
      },
    },
    summary: () => buildSummaryMarkdown(built.builds, zipBytes),
    cleanup: async () => {
      await built.cleanup();
      await removeOwnTempDir();
    },
  };
}

import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { withTargetCode } from '../../deploy/code.js';
import { formatBytes } from '../../package/index.js';
import { buildDependencies } from '../build.js';
import { codeOptions, plannedTargets, type CommandContext } from '../context.js';

/** Where `package` writes the zips when `out` is not given, relative to the current directory. */
export const DEFAULT_PACKAGE_DIR = 'agentrun-package';

/** One resource's zip as `package` wrote it: exactly the bytes a deploy would send. */
export interface WrittenPackage {
  resource: string;
  /** The agent runtime's name. */
  runtime: string;
  /** Absolute path of the zip written. */
  zip: string;
  files: number;
  bytes: number;
  /** CRC-64 of the zip, as `codeConfiguration.checksum` carries it. */
  checksum: string;
  /** The code's fingerprint, as a deploy records it on the published version. */
  fingerprint: string;
}

/** What `package` did: the zips written, and the resources without local code to zip. */
export interface PackageResult {
  dir: string;
  packages: WrittenPackage[];
  /** Container images and code in OSS: nothing is uploaded for them. */
  skipped: string[];
}

/**
 * `package`: the zips a deploy would upload, after the dependency build, one per selected resource in
 * `out` as `<resource>.zip`. Nothing is sent to AgentRun and no credentials are needed.
 */
export async function packageZips(context: CommandContext): Promise<PackageResult> {
  const { settings, host } = context;
  const dir = path.resolve(settings.cwd, settings.packageDir ?? DEFAULT_PACKAGE_DIR);
  const { targets } = await plannedTargets(context);
  const dependencies = await buildDependencies(context, targets);
  const options = { ...codeOptions(context), ...dependencies.packaging };
  const result: PackageResult = { dir, packages: [], skipped: [] };
  try {
    await mkdir(dir, { recursive: true });
    for (const target of dependencies.targets) {
      await withTargetCode(target, options, async (code) => {
        const pkg = await code.package();
        if (!pkg || !code.id) return void result.skipped.push(target.resource);
        const zip = path.join(dir, `${target.resource}.zip`);
        await copyFile(pkg.zipPath, zip);
        const { files, bytes, checksum } = pkg;
        result.packages.push({
          resource: target.resource,
          runtime: target.runtime.agentRuntimeName,
          zip,
          files,
          bytes,
          checksum,
          fingerprint: code.id,
        });
      });
    }
  } finally {
    await dependencies.cleanup();
  }
  host.print(renderPackages(result));
  return result;
}

function renderPackages({ packages, skipped }: PackageResult): string {
  return [
    ...packages.map(
      (p) =>
        `${p.resource} (runtime ${p.runtime}): ${p.zip}, ${p.files} file${p.files === 1 ? '' : 's'}, ${formatBytes(p.bytes)} ` +
        `(${p.bytes} bytes), CRC-64 ${p.checksum}, fingerprint ${p.fingerprint}`,
    ),
    ...skipped.map((resource) => `${resource}: no local code to package (a container image or code in OSS)`),
  ].join('\n');
}

import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../log.js';
import {
  packageCode,
  treeFingerprint,
  type CodePackage,
  type CodeSourceOptions,
  type ExtraDir,
} from '../package/index.js';
import type { DeployTarget } from '../plan/types.js';
import type { CodeUploader, UploadedCode } from '../upload/index.js';

/**
 * A target's code: identified cheaply by the fingerprint of its tree, and zipped only when it has to be
 * sent, so a deploy that changes nothing packages nothing.
 */
export interface TargetCode {
  /** Digest of the code tree (or ready zip); absent for container images and code in OSS. */
  id?: string;
  /** The package, made on the first call; undefined when there is no local code. */
  package(): Promise<CodePackage | undefined>;
  /** The package if one was made. */
  packaged(): Promise<CodePackage | undefined>;
  /**
   * The package uploaded to OSS, packaged and uploaded on the first call only: a write retried after a
   * race sends the same object again. Undefined when there is no local code.
   */
  upload(): Promise<(UploadedCode & Pick<CodePackage, 'bytes' | 'checksum'>) | undefined>;
}

export interface CodeOptions {
  /** Directory of the s.yaml: `code.src` is relative to it. */
  baseDir: string;
  /** Where code must come from (GITHUB_WORKSPACE in Actions); default `baseDir`. */
  workspace?: string;
  allowOutsideWorkspace: boolean;
  tempDir?: string;
  logger: Logger;
  /** Built dependencies to add to each resource's zip, by resource name. */
  dependencies?: ReadonlyMap<string, ExtraDir[]>;
  /** Uploads packages; needed only by the commands that send code. */
  uploader?: CodeUploader;
  /** Called with each zip when it is made, e.g. to measure what the dependencies add. */
  onPackaged?(target: DeployTarget, pkg: CodePackage): Promise<void>;
}

/** The fingerprint's share of the tree digest: 64 bits tell trees apart well enough. */
const ID_LENGTH = 16;

/** Hands `use` the target's code, and removes a package it made afterwards. */
export async function withTargetCode<T>(
  target: DeployTarget,
  options: CodeOptions,
  use: (code: TargetCode) => Promise<T>,
): Promise<T> {
  const source = target.codeSrc && {
    src: target.codeSrc,
    baseDir: options.baseDir,
    workspace: options.workspace,
    allowOutsideWorkspace: options.allowOutsideWorkspace,
  };
  const extraDirs = options.dependencies?.get(target.resource) ?? [];
  const id = source ? await codeId(source, extraDirs) : undefined;
  let made: Promise<CodePackage> | undefined;
  let uploaded: ReturnType<TargetCode['upload']> | undefined;
  const code: TargetCode = {
    id,
    package: () => {
      if (!source) return Promise.resolve(undefined);
      made ??= packageCode({ ...source, ...options, extraDirs }).then(async (pkg) => {
        await options.onPackaged?.(target, pkg);
        return pkg;
      });
      return made;
    },
    packaged: () => made?.catch(() => undefined) ?? Promise.resolve(undefined),
    upload: () =>
      (uploaded ??= code.package().then(async (pkg) => {
        if (!pkg) return undefined;
        if (!options.uploader) throw new Error('code upload is not available to this command');
        const where = await options.uploader.upload(target.region, pkg, options.logger);
        return { ...where, bytes: pkg.bytes, checksum: pkg.checksum };
      })),
  };
  try {
    return await use(code);
  } finally {
    const pkg = await code.packaged();
    if (pkg?.source === 'directory') await rm(dirname(pkg.zipPath), { recursive: true, force: true });
  }
}

/**
 * The tree's fingerprint; with built dependencies, a digest of it and theirs, so that dependencies
 * built differently (another image, a newer release of an unpinned requirement) count as changed code.
 */
async function codeId(source: CodeSourceOptions, extraDirs: readonly ExtraDir[]): Promise<string> {
  const tree = await treeFingerprint(source);
  if (extraDirs.length === 0) return tree.slice(0, ID_LENGTH);
  const digest = createHash('sha256').update(tree);
  for (const { dir, prefix } of extraDirs) {
    const built = await treeFingerprint({ src: dir, baseDir: dir, allowOutsideWorkspace: true });
    digest.update(`\n${prefix} ${built}`);
  }
  return digest.digest('hex').slice(0, ID_LENGTH);
}

import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { PackageError } from './errors.js';

/** Where the code comes from, and the bounds it must stay within. */
export interface CodeSourceOptions {
  /** `code.src`: a directory or a ready `.zip`, relative to `baseDir` or absolute. */
  src: string;
  /** Directory of the s.yaml. */
  baseDir: string;
  /**
   * The directory code must come from: the action passes `GITHUB_WORKSPACE`. Default `baseDir`, the
   * s.yaml's directory, which is what the CLI uses.
   */
  workspace?: string;
  /** Accept code outside `workspace` (after symlinks are resolved), for users who ask for it explicitly. */
  allowOutsideWorkspace?: boolean;
}

/** `code.src` resolved: a directory (its real path) or a ready zip. */
export type CodeSource = { kind: 'directory' | 'zip'; path: string };

/**
 * The setting that lets code come from outside the workspace, named in the refusal so users know the
 * way out: the action's input, and the CLI's flag of the same name.
 */
export const ALLOW_OUTSIDE_WORKSPACE = 'allow-code-outside-workspace';

/**
 * Resolves `code.src` and checks it before anything is read: it must exist, be a directory or a `.zip`
 * file, and — unless allowed — lie inside the workspace once symlinks are resolved, so neither `../x`,
 * an absolute path nor a link to elsewhere can ship files the workflow's author never saw.
 */
export async function resolveCodeSource(options: CodeSourceOptions): Promise<CodeSource> {
  const quoted = JSON.stringify(options.src);
  const srcPath = path.resolve(options.baseDir, options.src);
  const stats = await stat(srcPath).catch((error: NodeJS.ErrnoException): Stats => {
    if (error.code === 'ELOOP')
      throw new PackageError(`code.src ${quoted} is a loop of symlinks (${srcPath}).`);
    throw new PackageError(`code.src ${quoted} does not exist (looked for ${srcPath}).`);
  });
  const real = await realpath(srcPath);
  if (!options.allowOutsideWorkspace) {
    const given = options.workspace ?? options.baseDir;
    const workspace = await realpath(given).catch(() => {
      throw new PackageError(`The workspace ${given} does not exist.`);
    });
    const relative = path.relative(workspace, real);
    if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
      const via = real === srcPath ? '' : ' through a symlink';
      throw new PackageError(
        `code.src ${quoted} resolves${via} to ${real}, outside the workspace ${workspace}. Move the code ` +
          `into the workspace, or set ${ALLOW_OUTSIDE_WORKSPACE} to true if shipping it is intended.`,
      );
    }
  }
  if (stats.isDirectory()) return { kind: 'directory', path: real };
  if (stats.isFile() && srcPath.toLowerCase().endsWith('.zip')) return { kind: 'zip', path: srcPath };
  throw new PackageError(`code.src ${quoted} must be a directory or a .zip file.`);
}

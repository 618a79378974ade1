// The action and the CLI bundled as scripts/bundle.mjs bundles them (entry points, chunks loaded on
// demand), into a scratch directory: the suites time the program a user runs, as a whole process.
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.join(import.meta.dirname, '..');

/** Bundles into `outdir`; resolves with the paths of the action's and the CLI's entry files. */
export async function bundleAction(outdir: string): Promise<{ action: string; cli: string }> {
  await build({
    entryPoints: { index: path.join(ROOT, 'src/index.ts'), cli: path.join(ROOT, 'src/cli/index.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: 'node20',
    logLevel: 'warning',
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  return { action: path.join(outdir, 'index.js'), cli: path.join(outdir, 'cli.js') };
}

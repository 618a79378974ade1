// Builds the committed dist/: one ESM file per entry point, so the action runs without node_modules.
import { build } from 'esbuild';
import { readFile, rm, writeFile } from 'node:fs/promises';

const entryPoints = {
  index: 'src/index.ts',
  cli: 'src/cli/index.ts',
  emulator: 'emulator/cli.ts',
};

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies (the Alibaba Cloud SDK) call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});

// node20/action.yml is action.yml for runners that only have Node 20 (older GHES, self-hosted).
const action = await readFile('action.yml', 'utf8');
const node20 = action
  .replace('using: node24', 'using: node20')
  .replace('main: dist/index.js', 'main: ../dist/index.js');
await writeFile(
  'node20/action.yml',
  `# Generated from ../action.yml by \`npm run bundle\`; edit that file instead.\n${node20}`,
);

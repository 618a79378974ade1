// Builds the committed dist/: an ESM file per entry point, so the action runs without node_modules,
// code only some runs need (Octokit, the Actions cache toolkit) split into dist/chunks/ and loaded
// when first used, and dist/licenses.txt with the licence of every package bundled into them.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const entryPoints = {
  index: 'src/index.ts',
  cli: 'src/cli/index.ts',
  emulator: 'emulator/cli.ts',
};

await rm('dist', { recursive: true, force: true });
const { metafile } = await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'node20',
  // No source maps: nothing loads them. The bundle is not minified and keeps esbuild's `// src/…` and
  // `// node_modules/…` markers, which the action's debug stack traces name (src/action/stack.ts).
  sourcemap: false,
  // The licences are collected in dist/licenses.txt instead.
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // CommonJS dependencies (the Alibaba Cloud SDK) call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
await writeFile('dist/licenses.txt', await licenses(Object.keys(metafile.inputs)));

// node20/action.yml is action.yml for runners that only have Node 20 (older GHES, self-hosted).
const action = await readFile('action.yml', 'utf8');
const node20 = action
  .replace('using: node24', 'using: node20')
  .replace('main: dist/index.js', 'main: ../dist/index.js');
await writeFile(
  'node20/action.yml',
  `# Generated from ../action.yml by \`npm run bundle\`; edit that file instead.\n${node20}`,
);

/**
 * The licence notices of the packages the bundles contain, as ncc's licenses.txt has them: name and
 * version, the licence's name, then the text of the package's LICENSE file.
 */
async function licenses(inputs) {
  const dirs = new Set(
    inputs.flatMap((input) => {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      return match ? [match[1]] : [];
    }),
  );
  const entries = [];
  for (const dir of dirs) {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(name));
    const license = pkg.license ?? pkg.licenses?.map((l) => l.type).join(' OR ');
    if (!license && !file) throw new Error(`${dir} has neither a license field nor a LICENSE file`);
    const text = file
      ? (await readFile(join(dir, file), 'utf8')).trim()
      : '(The package ships no licence file.)';
    entries.push({ name: `${pkg.name}@${pkg.version}`, license: license ?? 'see text', text });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  // The same package may be bundled from two places (nested copies); list each version once.
  const unique = entries.filter((entry, i) => i === 0 || entry.name !== entries[i - 1].name);
  return `${unique.map((e) => `${e.name}\n${e.license}\n${e.text}\n`).join('\n')}`;
}

// Renders the README's inputs and outputs tables from action.yml, so the two never drift apart.
// `node scripts/action-docs.mjs` rewrites README.md; the metadata test fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parse } from 'yaml';

const cell = (text) => String(text).replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');

/** The markdown that belongs between the `<!-- action-docs -->` markers of README.md. */
export function renderActionDocs(actionYaml) {
  const action = parse(actionYaml);
  const inputs = Object.entries(action.inputs ?? {}).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.default ? `\`${cell(input.default)}\`` : ''} | ${cell(input.description)} |`,
  );
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
  );
  return [
    '### Inputs',
    '',
    '| input | default | description |',
    '| --- | --- | --- |',
    ...inputs,
    '',
    '### Outputs',
    '',
    '| output | description |',
    '| --- | --- |',
    ...outputs,
  ].join('\n');
}

export const BEGIN = '<!-- action-docs:begin (generated from action.yml by scripts/action-docs.mjs) -->';
export const END = '<!-- action-docs:end -->';

/** README text with the generated section replaced, formatted as `npm run format` leaves it. */
export async function updateReadme(readme, actionYaml) {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs the markers ${BEGIN} and ${END}`);
  const text = `${readme.slice(0, start + BEGIN.length)}\n\n${renderActionDocs(actionYaml)}\n\n${readme.slice(end)}`;
  return format(text, { ...(await resolveConfig('README.md')), filepath: 'README.md' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const readme = await updateReadme(readFileSync('README.md', 'utf8'), readFileSync('action.yml', 'utf8'));
  writeFileSync('README.md', readme);
}

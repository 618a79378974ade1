#!/usr/bin/env -S node --
// `node --` because Node 20 and 24 read `--env-file` anywhere on their command line, even after the
// script, and exit when the file is missing: the CLI takes `--env-file` itself.
import { homedir } from 'node:os';
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  home: homedir(),
});

// A deploy through the same core the action runs, quiet, against the local emulator: what the deploy,
// fleet and rollout rows of the benchmark measure.
import type { Emulator } from '../emulator/index.js';
import { run } from '../src/app/run.js';
import { createConsoleLogger } from '../src/cli/logger.js';
import { readSettings, type InputName } from '../src/settings.js';

export type Inputs = Partial<Record<InputName, string>>;

/** Runs the s.yaml in `dir` with `inputs` and the emulator's key; resolves with the API calls made. */
export async function deployWith(
  emulator: Emulator,
  dir: string,
  inputs: Inputs,
): Promise<{ calls: number }> {
  const all: Inputs = {
    'api-endpoint': emulator.endpoint,
    'access-key-id': emulator.credentials.accessKeyId,
    'access-key-secret': emulator.credentials.accessKeySecret,
    ...inputs,
  };
  const before = emulator.requestLog().length;
  await run(
    readSettings((name) => all[name] ?? '', dir),
    {
      logger: createConsoleLogger({ write: () => undefined }),
      env: {},
      setOutput: () => undefined,
      print: () => undefined,
      trigger: 'bench',
    },
  );
  return { calls: emulator.requestLog().length - before };
}

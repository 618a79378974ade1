/**
 * `npm run emulator` / `agentrun-emulator`: starts the emulator and prints, one per line, the
 * control-plane URL, the data-plane URL and the demo access key id and secret.
 *
 *   --port N        control-plane + STS port (default: any free port)
 *   --data-port N   data-plane port (default: any free port)
 *   --state FILE    load state from FILE and write it back on every change
 *   --delay MS      duration of each status transition (default 200)
 *   --faults FILE   JSON fault rules to arm at start
 *   --runtime-ports run each agent on its runtime's `port` while it is free (code that hard-codes it)
 *   --no-processes  never run the deployed code: runtimes become ready after the delay alone
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './index.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-port': { type: 'string' },
      state: { type: 'string' },
      delay: { type: 'string' },
      faults: { type: 'string' },
      'runtime-ports': { type: 'boolean' },
      'no-processes': { type: 'boolean' },
    },
    strict: true,
  });
  const number = (name: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new Error(`--${name} must be a non-negative integer (got ${value})`);
    return parsed;
  };
  const emulator = await startEmulator({
    port: number('port', values.port),
    dataPort: number('data-port', values['data-port']),
    delayMs: number('delay', values.delay),
    stateFile: values.state,
    faults: values.faults,
    runtimePorts: values['runtime-ports'],
    startProcesses: !values['no-processes'],
  });
  const stop = (): void => {
    emulator.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stdout.write(
    [
      `control-plane: ${emulator.endpoint}`,
      `data-plane: ${emulator.dataPlaneUrl}`,
      `access-key-id: ${emulator.credentials.accessKeyId}`,
      `access-key-secret: ${emulator.credentials.accessKeySecret}`,
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(`agentrun-emulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

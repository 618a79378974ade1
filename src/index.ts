import { banner, earlyMasks } from './action/early.js';

// The first line comes before the rest of the action loads (a few hundred kilobytes of parsers and
// SDKs), so the log shows at once what runs.
process.stdout.write([...earlyMasks(process.env), banner(process.env), ''].join('\n'));
const { run } = await import('./main.js');
await run();

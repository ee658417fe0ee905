// Child process: @iebh/reflib (the Systematic Review Accelerator's parser) reads a RIS file as a
// stream; references are counted, not kept, so its peak RSS is the parser's own. Prints JSON.
import { createReadStream, statSync } from 'node:fs';
// @ts-expect-error reflib ships no type declarations
import { readStream } from '@iebh/reflib';

const file = process.argv[2]!;
const cpuStart = process.cpuUsage();
const started = performance.now();
let records = 0;
await new Promise<void>((resolve, reject) => {
  (readStream('ris', createReadStream(file), {}) as NodeJS.EventEmitter)
    .on('ref', () => records++)
    .on('end', resolve)
    .on('error', reject);
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(
  JSON.stringify({
    records,
    seconds,
    cpuTotalSeconds: (cpu.user + cpu.system) / 1e6,
    bytes: statSync(file).size,
    maxRssKiB: process.resourceUsage().maxRSS,
  }),
);

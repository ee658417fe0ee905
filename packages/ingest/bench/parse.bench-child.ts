// Child process for the peak-RSS measurement: writes nothing, parses a file, prints JSON.
import { createReadStream, statSync } from 'node:fs';
import { parseByteStream } from '../src/index.ts';

const file = process.argv[2]!;
const cpuStart = process.cpuUsage();
const started = performance.now();
let records = 0;
for await (const batch of parseByteStream('auto', createReadStream(file, { highWaterMark: 256 * 1024 }), {
  fileName: file,
})) {
  records += batch.records.length;
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = cpu.user / 1e6;
process.stdout.write(
  JSON.stringify({
    records,
    seconds,
    cpuSeconds,
    // User + system: what the reflib comparison (parse-real.bench.ts) counts for both parsers.
    cpuTotalSeconds: (cpu.user + cpu.system) / 1e6,
    bytes: statSync(file).size,
    maxRssKiB: process.resourceUsage().maxRSS,
  }),
);

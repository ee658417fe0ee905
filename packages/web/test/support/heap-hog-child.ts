// Child process for heap-guard.test.ts: job workers with a small heap, running the heap-hog job.
import {
  createJobQueue,
  createLogger,
  JobRegistry,
  loadConfig,
  openDatabase,
  runConfig,
  startWorkers,
} from '@winnow/core';
import { heapHogJob } from './heap-hog.job.ts';

const loaded = loadConfig();
const db = await openDatabase(loaded);
const config = await runConfig(loaded, db);
const registry = new JobRegistry([heapHogJob]);
const queue = createJobQueue(config, db, registry);
startWorkers({ config, db, registry, queue, log: createLogger('silent') });
process.stderr.write('heap-hog workers running\n');

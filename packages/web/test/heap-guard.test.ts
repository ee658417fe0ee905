import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createJobQueue, getJob, JobRegistry, type JobQueue } from '@winnow/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/cli.ts';
import { heapHogJob } from './support/heap-hog.job.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

describe('a job that grows towards the heap limit', () => {
  let app: TestApp;
  let queue: JobQueue;
  let child: ChildProcess;

  beforeAll(async () => {
    app = await startTestApp({ workers: false });
    queue = createJobQueue(app.config, app.rt.db, new JobRegistry([heapHogJob]));
    child = spawn(
      process.execPath,
      [
        '--max-old-space-size=384',
        '--import',
        'tsx',
        path.join(import.meta.dirname, 'support/heap-hog-child.ts'),
      ],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATABASE_URL: app.database.url,
          REDIS_URL: app.config.redisUrl,
          WINNOW_QUEUE_PREFIX: app.config.queuePrefix,
          WINNOW_START_REDIS: 'never',
          WINNOW_LOG: 'silent',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('heap-hog workers running')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited with ${code}: ${err}`)));
    });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await queue?.close();
    await app.close();
  });

  it('is failed with a reason while its worker process stays up, and not retried', async () => {
    const { jobId } = await queue.enqueue('test.heap-hog', { run: 'one' });
    await expect(queue.waitFor(jobId, 120_000)).rejects.toThrow(/close to the worker's memory limit/);
    const row = await getJob(app.rt.db, jobId);
    expect(row).toMatchObject({ state: 'failed', attempts: 1 });
    expect(row!.error).toMatch(
      /^Stopped: this job used \d+ MiB, close to the worker's memory limit of \d+ MiB$/,
    );
    expect(child.exitCode).toBeNull();
    expect(child.signalCode).toBeNull();
  });
});

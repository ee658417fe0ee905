import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WinnowError } from '@winnow/core';
import type { RenderReply, RenderRequest } from './png-render.worker.ts';

/**
 * Rasterising a diagram is CPU work of up to a few seconds at the widest: on the server's event
 * loop, 16 concurrent 6000-px renders held every other request (health checks included) for
 * seconds. Renders run in worker threads instead, one at a time per thread, and the loop only
 * passes messages.
 */

/** Widest PNG drawn: a 6000 px A4-ratio diagram is ~130 MB of pixels while it is drawn. */
export const MAX_PNG_WIDTH = 6000;
/** Renders waiting beyond the running ones; more are refused (each holds its diagram's text). */
const MAX_WAITING = 64;
const THREADS = Math.max(1, Math.min(2, os.availableParallelism() - 1));

// The thread entry beside this module, as the same kind of file: `.ts` when run through tsx (dev
// and tests), `.js` in a compiled build. A `.ts` entry needs tsx's loader registered in the thread
// first (Node 20 does not apply a parent's `--import` hooks to a worker's entry).
const ext = path.extname(fileURLToPath(import.meta.url));
const ENTRY = new URL(`./png-render.worker${ext}`, import.meta.url);

function startThread(): Worker {
  if (ext !== '.ts') return new Worker(ENTRY);
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const code = `import(${tsx}).then((m) => { m.register(); return import(${JSON.stringify(ENTRY.href)}); });`;
  return new Worker(code, { eval: true });
}

interface Task {
  request: RenderRequest;
  resolve(png: Buffer): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  task: Task | undefined;
}

const threads: Thread[] = [];
const waiting: Task[] = [];
let nextId = 1;

function spawn(): Thread {
  const worker = startThread();
  // Idle threads must not keep a process (the CLI, a test) alive.
  worker.unref();
  const thread: Thread = { worker, task: undefined };
  worker.on('message', (reply: RenderReply) => {
    const task = thread.task;
    thread.task = undefined;
    worker.unref();
    if (task && task.request.id === reply.id) {
      if ('png' in reply)
        task.resolve(Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength));
      else task.reject(new WinnowError('INTERNAL', `The diagram could not be drawn: ${reply.error}`));
    }
    dispatch();
  });
  const fail = (error: Error): void => {
    threads.splice(threads.indexOf(thread), 1);
    thread.task?.reject(new WinnowError('INTERNAL', `The diagram could not be drawn: ${error.message}`));
    thread.task = undefined;
    dispatch();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (threads.includes(thread)) fail(new Error(`the drawing thread stopped (exit code ${code})`));
  });
  threads.push(thread);
  return thread;
}

function dispatch(): void {
  while (waiting.length) {
    const idle = threads.find((t) => !t.task) ?? (threads.length < THREADS ? spawn() : undefined);
    if (!idle) return;
    const task = waiting.shift()!;
    idle.task = task;
    // A thread at work keeps the process alive until its answer is in.
    idle.worker.ref();
    idle.worker.postMessage(task.request);
  }
}

/** The diagram SVG as a PNG `width` pixels wide (200..MAX_PNG_WIDTH), drawn in a worker thread. */
export function renderPngOffThread(svg: string, width: number): Promise<Buffer> {
  if (waiting.length >= MAX_WAITING)
    return Promise.reject(
      new WinnowError(
        'UNAVAILABLE',
        'Too many diagrams are being drawn at once; please try again in a moment.',
      ),
    );
  const clamped = Math.max(200, Math.min(MAX_PNG_WIDTH, Math.round(width)));
  return new Promise<Buffer>((resolve, reject) => {
    waiting.push({ request: { id: nextId++, svg, width: clamped }, resolve, reject });
    dispatch();
  });
}

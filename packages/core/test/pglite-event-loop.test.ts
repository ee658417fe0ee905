import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../src/testing/index.ts';

describe('PGlite and the event loop', () => {
  it('gives timers a turn during a long run of statements, in a transaction or not', async () => {
    const t = await createTestDatabase('pglite');
    try {
      // A timer stands for the queue's lock renewal: it must run while a long job's statements do.
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      try {
        let started = performance.now();
        await t.db.transaction(async (tx) => {
          while (performance.now() - started < 600) await tx.query('SELECT 1');
        });
        const inTransaction = ticks;
        started = performance.now();
        while (performance.now() - started < 600) await t.db.query('SELECT 1');
        // A turn every 100 ms of statements: about six in each 600 ms.
        expect(inTransaction).toBeGreaterThanOrEqual(3);
        expect(ticks - inTransaction).toBeGreaterThanOrEqual(3);
      } finally {
        clearInterval(timer);
      }
    } finally {
      await t.drop();
    }
  });
});

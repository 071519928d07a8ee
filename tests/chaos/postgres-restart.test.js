'use strict';
// PostgreSQL restarted twice while Warren runs jobs that write to it (reliability:db inserts one
// row per job through the host's database service): the jobs whose query failed are retried
// (attempts with backoff) and complete once the database is back; every job leaves its row.
const assert = require('node:assert/strict');
const { test } = require('node:test');
const { Producer, waitForDrain } = require('./lib/ledger');
const { withScenario } = require('./lib/scenario');
const { startPostgres, postgresAvailable } = require('./lib/servers');
const { sleep } = require('./lib/wait');

const RESTARTS = 2;
const skip = postgresAvailable();

test(`PostgreSQL restarted ${RESTARTS} times while db jobs run on 2 Warren nodes: they retry and complete`, { skip, timeout: 600000 }, async (t) => {
  await withScenario(t, 'postgres', {}, async (ctx) => {
    const pg = await startPostgres({ dir: ctx.dir });
    try {
      const env = { DATABASE_URL: pg.url };
      const fleet = [ctx.member('warren', 'warren-a', { env }), ctx.member('warren', 'warren-b', { env })];
      for (const m of fleet) await m.start(); // one at a time: the first applies the migration
      const producer = new Producer(ctx.queue, {
        batch: 10, intervalMs: 100, name: 'reliability:db', opts: { attempts: 30, backoff: { type: 'fixed', delay: 500 } },
      }).start();
      const began = Date.now();
      const outages = [];
      for (let i = 0; i < RESTARTS; i += 1) {
        await sleep(2500);
        const down = Date.now();
        await pg.restart({ downMs: 2000 });
        outages.push(Date.now() - down);
      }
      await sleep(1500);
      await producer.stop();
      await waitForDrain(ctx.queue, producer.acked, { timeout: 180000 });
      const counts = await ctx.queue.getJobCounts('completed', 'failed');
      let retried = 0;
      let mostAttempts = 0;
      for (const id of producer.acked) {
        const made = Number(await ctx.raw.hget(`bull:${ctx.queue.name}:${id}`, 'atm'));
        if (made > 1) retried += 1;
        mostAttempts = Math.max(mostAttempts, made);
      }
      const rows = Number(pg.query('SELECT count(*) FROM reliability_rows'));
      const figures = {
        postgres_restarts: RESTARTS,
        outage_ms: outages,
        jobs: producer.acked.length,
        completed: counts.completed,
        failed: counts.failed,
        retried_jobs: retried,
        most_attempts: mostAttempts,
        rows,
        total_s: Math.round((Date.now() - began) / 1000),
      };
      ctx.report(t, figures);
      assert.equal(counts.failed, 0);
      assert.equal(counts.completed, producer.acked.length);
      assert.equal(rows, producer.acked.length, 'one row per job');
      assert.ok(retried > 0, 'the restarts hit running jobs (else the run proves nothing)');
    } finally {
      await pg.stop();
    }
  });
});

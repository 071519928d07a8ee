'use strict';
// Records every event a QueueEvents instance emits, in stream order, from the start of the
// stream (lastEventId 0-0), so nothing written before the reader was ready is missed.
const { bullmq } = require('./bull');
const { waitFor } = require('./wait');

const STREAM_ID = /^(\d+)-(\d+)$/;

class EventLog {
  /**
   * @param {string} queueName
   * @param {object} connection ioredis connection options
   * @param {object} [opts] {prefix}
   */
  constructor(queueName, connection, { prefix } = {}) {
    this.queueName = queueName;
    /** @type {Array<{event: string, id: string, ts: number, seen: number, [k: string]: any}>} */
    this.entries = [];
    this.errors = [];
    this.qe = new bullmq.QueueEvents(queueName, {
      connection,
      ...(prefix ? { prefix } : {}),
      lastEventId: '0-0',
      blockingTimeout: 5000,
    });
    const emit = this.qe.emit.bind(this.qe);
    this.qe.emit = (event, ...args) => {
      const last = args[args.length - 1];
      if (typeof event === 'string' && !event.includes(':') && typeof last === 'string') {
        const m = STREAM_ID.exec(last);
        if (m) {
          const payload = args.length > 1 && typeof args[0] === 'object' ? args[0] : {};
          this.entries.push({ event, ...payload, id: last, ts: Number(m[1]), seen: Date.now() });
        }
      }
      return emit(event, ...args);
    };
    this.qe.on('error', (err) => this.errors.push(err));
  }

  async ready() {
    await this.qe.waitUntilReady();
    return this;
  }

  /** entries, optionally of one event name and/or one job id */
  list(event, jobId) {
    return this.entries.filter(
      (e) => (event === undefined || e.event === event) && (jobId === undefined || e.jobId === String(jobId)),
    );
  }

  count(event, jobId) {
    return this.list(event, jobId).length;
  }

  /** event names in order for one job (events carrying that jobId) */
  namesFor(jobId) {
    return this.list(undefined, jobId).map((e) => e.event);
  }

  /** payloads (without our id/ts/seen/event bookkeeping) for one job */
  payloads(event, jobId) {
    return this.list(event, jobId).map(strip);
  }

  /** waits until `n` entries of `event` (optionally for `jobId`) have been seen */
  async waitForCount(event, n, { jobId, timeout = 10000 } = {}) {
    await waitFor(() => this.count(event, jobId) >= n, {
      timeout,
      what: `${n} "${event}" event(s)${jobId !== undefined ? ` for job ${jobId}` : ''} on ${this.queueName} (have ${this.count(event, jobId)})`,
    });
    return this.list(event, jobId);
  }

  async waitForEvent(event, jobId, opts = {}) {
    const list = await this.waitForCount(event, 1, { ...opts, jobId });
    return list[0];
  }

  /** waits for an entry matching `pred`, returns it */
  async waitFor(pred, { timeout = 10000, what = 'matching event' } = {}) {
    return waitFor(() => this.entries.find(pred), { timeout, what: `${what} on ${this.queueName}` });
  }

  async close() {
    await this.qe.close().catch(() => {});
  }
}

function strip(e) {
  const { id, ts, seen, event, ...rest } = e;
  return rest;
}

module.exports = { EventLog, strip };

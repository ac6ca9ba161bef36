/*
 * Bounding Redis: every operation races a timer, and a circuit breaker stops
 * sending once Redis looks down.
 *
 *   closed --N consecutive failures--> open --coolDown elapsed--> half-open
 *   half-open: one probe operation; success -> closed, failure -> open again.
 *
 * Invariants: while open, no operation is sent (callers get BreakerOpenError
 * at once); in half-open exactly one probe is in flight; a timed-out command
 * is left to finish in the client (its reply is dropped), never resent.
 */
import { CacheError, CacheTimeoutError } from './envelope.js';
import { performance } from 'node:perf_hooks';

export class BreakerOpenError extends CacheError {
  override name = 'BreakerOpenError';
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export class Breaker {
  state: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(
    private readonly threshold: number,
    private readonly coolDownMs: number,
    private readonly onChange: (s: BreakerState) => void,
  ) {}

  private set(s: BreakerState): void {
    if (this.state === s) return;
    this.state = s;
    this.onChange(s);
  }

  /** May an operation be sent now? (Claims the probe in half-open.) */
  private admit(): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (Date.now() - this.openedAt < this.coolDownMs) return false;
      this.set('half-open');
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    this.set('closed');
  }

  failure(): void {
    this.probing = false;
    if (this.state === 'half-open' || ++this.failures >= this.threshold) {
      this.openedAt = Date.now();
      this.set('open');
    }
  }

  /**
   * Run op bounded by timeoutMs, counted by the breaker. Deadlines are kept in
   * FIFO queues, one per timeout value (deadlines of one queue only grow), and
   * one timer is armed for the earliest: no timer per operation. An answered
   * operation leaves its queue at once when it is at the head (replies come
   * back in order on a connection, so a queue holds about what is in flight)
   * and drops its callbacks: nothing of an answered call (its promise, its
   * reply) is kept until its deadline, which made every call's objects outlive
   * the young generation (the L2-hit benchmark spent a quarter of its time in GC).
   */
  run<T>(op: () => Promise<T>, timeoutMs: number, onError?: (e: unknown) => void): Promise<T> {
    if (!this.admit()) {
      const e = new BreakerOpenError('Redis circuit breaker is open');
      onError?.(e);
      return Promise.reject(e);
    }
    return new Promise<T>((resolve, reject) => {
      const q = this.queueOf(timeoutMs);
      const d: Deadline = { at: performance.now() + timeoutMs, done: false, fail: (e) => { onError?.(e); reject(e); } };
      q.items.push(d);
      if (d.at < this.timerAt) this.arm(d.at);
      op().then(
        (v) => { if (d.done) return; this.settled(q, d); this.success(); resolve(v); },
        (e: unknown) => {
          if (d.done) return;
          this.settled(q, d);
          // A Redis error reply (WRONGTYPE, NOSCRIPT...) means Redis is up.
          if ((e as Error)?.name === 'ReplyError') this.success(); else this.failure();
          onError?.(e);
          reject(e);
        },
      );
    });
  }

  /** deadlines kept (calls in flight, and answered ones behind an older call still in flight) */
  get tracked(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.items.length - q.head;
    return n;
  }

  private readonly queues = new Map<number, DeadlineQueue>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  private queueOf(ms: number): DeadlineQueue {
    let q = this.queues.get(ms);
    if (q === undefined) { q = { ms, items: [], head: 0 }; this.queues.set(ms, q); }
    return q;
  }

  /** d answered: done, its callback dropped, and the answered deadlines at the head of its queue gone. */
  private settled(q: DeadlineQueue, d: Deadline): void {
    d.done = true;
    d.fail = null;
    let h = q.head;
    while (h < q.items.length && q.items[h]!.done) h++;
    setHead(q, h);
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.expire(), Math.max(0, at - performance.now()));
  }

  private expire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const q of this.queues.values()) {
      const items = q.items;
      let h = q.head;
      while (h < items.length && (items[h]!.done || items[h]!.at <= now + 0.5)) {
        const d = items[h++]!;
        if (!d.done) {
          const fail = d.fail!;
          d.done = true;
          d.fail = null;
          this.failure();
          fail(new CacheTimeoutError(`Redis did not answer within ${q.ms} ms`));
        }
      }
      setHead(q, h);
      if (items.length === 0) continue;
      // skip answered entries lazily: the next live deadline is at or after items[head].at
      next = Math.min(next, items[q.head]!.at);
    }
    if (next < Infinity) this.arm(next);
  }
}

/** The queue's head at h: the entries before it are dropped once the queue is empty or they are many. */
function setHead(q: DeadlineQueue, h: number): void {
  const items = q.items;
  if (h === items.length) { items.length = 0; h = 0; } else if (h > 1024) { items.splice(0, h); h = 0; }
  q.head = h;
}

interface DeadlineQueue { readonly ms: number; readonly items: Deadline[]; head: number }
interface Deadline { readonly at: number; done: boolean; fail: ((e: unknown) => void) | null }

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
   * one timer is armed for the earliest: no timer per operation.
   */
  run<T>(op: () => Promise<T>, timeoutMs: number, onError?: (e: unknown) => void): Promise<T> {
    if (!this.admit()) {
      const e = new BreakerOpenError('Redis circuit breaker is open');
      onError?.(e);
      return Promise.reject(e);
    }
    return new Promise<T>((resolve, reject) => {
      const d: Deadline = { at: performance.now() + timeoutMs, ms: timeoutMs, done: false, fail: (e) => { onError?.(e); reject(e); } };
      this.enqueue(d);
      op().then(
        (v) => { if (d.done) return; d.done = true; this.success(); resolve(v); },
        (e: unknown) => {
          if (d.done) return;
          d.done = true;
          // A Redis error reply (WRONGTYPE, NOSCRIPT...) means Redis is up.
          if ((e as Error)?.name === 'ReplyError') this.success(); else this.failure();
          onError?.(e);
          reject(e);
        },
      );
    });
  }

  private readonly queues = new Map<number, Deadline[]>();
  private heads = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;

  private enqueue(d: Deadline): void {
    let q = this.queues.get(d.ms);
    if (!q) { q = []; this.queues.set(d.ms, q); this.heads.set(d.ms, 0); }
    q.push(d);
    if (d.at < this.timerAt) this.arm(d.at);
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
    for (const [ms, q] of this.queues) {
      let h = this.heads.get(ms)!;
      while (h < q.length && (q[h]!.done || q[h]!.at <= now + 0.5)) {
        const d = q[h++]!;
        if (!d.done) {
          d.done = true;
          this.failure();
          d.fail(new CacheTimeoutError(`Redis did not answer within ${ms} ms`));
        }
      }
      if (h === q.length) { this.queues.delete(ms); this.heads.delete(ms); continue; }
      if (h > 1024) { q.splice(0, h); h = 0; }
      this.heads.set(ms, h);
      // skip answered entries lazily: the next live deadline is at or after q[h].at
      next = Math.min(next, q[h]!.at);
    }
    if (next < Infinity) this.arm(next);
  }
}

interface Deadline { at: number; ms: number; done: boolean; fail: (e: unknown) => void }

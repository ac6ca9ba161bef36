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

  /** Run op bounded by timeoutMs, counted by the breaker. */
  run<T>(op: () => Promise<T>, timeoutMs: number): Promise<T> {
    if (!this.admit()) return Promise.reject(new BreakerOpenError('Redis circuit breaker is open'));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, rej) => {
      timer = setTimeout(() => rej(new CacheTimeoutError(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const p = op();
    return Promise.race([p, late]).then(
      (v) => { clearTimeout(timer); this.success(); return v; },
      (e: unknown) => {
        clearTimeout(timer);
        p.catch(() => {}); // a late rejection of the abandoned command is not unhandled
        // A Redis error reply (WRONGTYPE, NOSCRIPT...) means Redis is up.
        if ((e as Error)?.name === 'ReplyError') this.success(); else this.failure();
        throw e;
      },
    );
  }
}

/*
 * Per-key access clocks, as Redis keeps them in the object's 24 lru bits
 * (redis/src/evict.c): in LRU mode the clock is the last access time in
 * seconds (mod 2^24); in LFU mode it is (minutes mod 2^16) << 8 | counter,
 * the counter growing logarithmically and decaying with idle time.
 */
export const LRU_CLOCK_MAX = (1 << 24) - 1;
export const LFU_INIT_VAL = 5;

export const lruClockNow = (ms: number): number => Math.floor(ms / 1000) & LRU_CLOCK_MAX;

/** Seconds since an LRU clock value, handling wrap-around. */
export function idleSeconds(clock: number, nowMs: number): number {
  const now = lruClockNow(nowMs);
  return now >= clock ? now - clock : now + (LRU_CLOCK_MAX - clock);
}

const minutesNow = (ms: number): number => Math.floor(ms / 60000) & 0xffff;

function lfuTimeElapsed(ldt: number, nowMs: number): number {
  const now = minutesNow(nowMs);
  return now >= ldt ? now - ldt : 65535 - ldt + now;
}

/** The counter after decay (LFUDecrAndReturn). */
export function lfuDecayed(clock: number, nowMs: number, decayTime: number): number {
  const ldt = clock >>> 8;
  const counter = clock & 255;
  const periods = decayTime > 0 ? Math.floor(lfuTimeElapsed(ldt, nowMs) / decayTime) : 0;
  return periods > 0 ? (periods > counter ? 0 : counter - periods) : counter;
}

/** New LFU clock after an access (decay, then logarithmic increment). */
export function lfuTouch(clock: number, nowMs: number, logFactor: number, decayTime: number): number {
  // clock 0: a new object, which starts at LFU_INIT_VAL without an increment (createObject)
  if (clock === 0) return (minutesNow(nowMs) << 8) | LFU_INIT_VAL;
  let counter = lfuDecayed(clock, nowMs, decayTime);
  if (counter < 255) {
    const r = Math.random();
    const base = Math.max(0, counter - LFU_INIT_VAL);
    const p = 1.0 / (base * logFactor + 1);
    if (r < p) counter++;
  }
  return (minutesNow(nowMs) << 8) | counter;
}

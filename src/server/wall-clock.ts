/*
 * The command clock: wall-clock ms derived from performance.now() plus an
 * offset (Server.wallTime), so a command reads one clock, the monotonic one it
 * is timed with. The offset starts as performance.timeOrigin and the cron
 * checks it against Date.now() (resyncWallOffset).
 *
 * Invariant: floor(offset + performance.now()) is Date.now(), give or take
 * the sub-millisecond part Date.now() drops. A check whose two monotonic reads
 * lie far apart (the process was preempted between them) proves nothing and
 * is ignored: trusting it would move the clock back by the preemption, and a
 * command would then see a time earlier than its client's (PTTL of a key set
 * with PXAT now+10000 replying 10001).
 */

/** Two monotonic reads this far apart (ms) around Date.now() make a sample untrustworthy. */
export const MAX_SAMPLE_SPREAD = 0.25;

/**
 * The offset after a check: p1 and p2 are performance.now() read just before and
 * after now = Date.now(). Date.now() floors the wall clock, read at some instant
 * in [p1, p2], so the true offset lies in [now - p2, now + 1 - p1); an offset
 * outside (the wall clock was stepped) is replaced by the middle of that range.
 */
export function resyncWallOffset(offset: number, p1: number, now: number, p2: number): number {
  if (p2 - p1 > MAX_SAMPLE_SPREAD) return offset;
  if (offset >= now - p2 && offset < now + 1 - p1) return offset;
  return now + 0.5 - (p1 + p2) / 2;
}

/* resyncWallOffset: steps of the wall clock are followed, preempted samples are not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resyncWallOffset } from './wall-clock.js';

test('an offset consistent with the sample is kept', () => {
  // true offset 1000.3: at p = 50.0 the wall clock is 1050.3, Date.now() says 1050
  assert.equal(resyncWallOffset(1000.3, 49.95, 1050, 50.05), 1000.3);
  assert.equal(resyncWallOffset(1000.95, 49.95, 1050, 50.05), 1000.95);
});

test('a stepped wall clock moves the offset into the range the sample allows', () => {
  const o = resyncWallOffset(1000.3, 49.95, 1060, 50.05); // stepped 10 ms forward
  assert.ok(o >= 1060 - 50.05 && o < 1061 - 49.95, String(o));
  const back = resyncWallOffset(1000.3, 49.95, 1040, 50.05); // stepped back
  assert.ok(back >= 1040 - 50.05 && back < 1041 - 49.95, String(back));
});

test('a sample taken across a preemption is ignored (it would move the clock back)', () => {
  // Date.now() read at p = 50, then the process sleeps 3 ms before the second monotonic read
  assert.equal(resyncWallOffset(1000.3, 49.99, 1050, 53.0), 1000.3);
});

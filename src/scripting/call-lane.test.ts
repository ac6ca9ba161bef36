import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallLane, LANE_BYTES, LANE_CALL, LANE_EMPTY, LANE_REPLY } from './call-lane.js';

test('a call and its reply cross the lane byte for byte; what does not fit is refused', () => {
  const a = CallLane.create();
  const b = new CallLane(a.sab); // the other thread's view of the same memory
  const bin = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
  assert.equal(a.waiting, LANE_EMPTY);
  assert.ok(a.putCall(['SET', '', bin, 'x'.repeat(1000)], 3, -1));
  assert.equal(b.waiting, LANE_CALL);
  assert.deepEqual(b.takeCall(), { t: 'call', argv: ['SET', '', bin, 'x'.repeat(1000)], resp: 3, repl: -1 });
  assert.equal(a.waiting, LANE_EMPTY);
  assert.ok(b.putReply(`$256\r\n${bin}\r\n`, null));
  assert.equal(a.waiting, LANE_REPLY);
  assert.deepEqual(a.takeReply(), { t: 'reply', reply: `$256\r\n${bin}\r\n`, err: null });
  assert.ok(b.putReply('', 'Unknown Redis command called from script'));
  assert.deepEqual(a.takeReply(), { t: 'reply', reply: '', err: 'Unknown Redis command called from script' });
  assert.ok(b.putReply('', null));
  assert.deepEqual(a.takeReply(), { t: 'reply', reply: '', err: null });
  // too big: the caller sends it by the port instead, and the lane stays empty
  assert.equal(a.putCall(['SET', 'k', 'v'.repeat(LANE_BYTES)], 2, 0), false);
  assert.equal(b.putReply('x'.repeat(LANE_BYTES), null), false);
  assert.equal(a.waiting, LANE_EMPTY);
});

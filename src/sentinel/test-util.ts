/*
 * Test support for the sentinel's unit tests: record the events a sentinel
 * emits, without a client socket, from its log (sentinelEvent logs every
 * event as "<type> <message>", the same text it publishes on channel <type>).
 */
import type { Server } from '../server/server.js';

/** Record the events of types `channels` that `server`'s sentinel emits: returns a getter of [channel, message] pairs seen so far. */
export function subscribeForTest(server: Server, channels: readonly string[]): () => [string, string][] {
  const seen: [string, string][] = [];
  const want = new Set(channels);
  server.log.level = 'nothing';
  const log = server.log.raw.bind(server.log);
  server.log.raw = (level, msg) => {
    const sp = msg.indexOf(' ');
    const type = msg.slice(0, sp);
    if (want.has(type)) seen.push([type, msg.slice(sp + 1)]);
    log(level, msg);
  };
  return () => seen;
}

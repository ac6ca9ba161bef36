/* TIME: [unix seconds, microseconds] of the wall clock, as two bulk strings. */
import type { CommandDef } from '../registry.js';
import { performance } from 'node:perf_hooks';

export const TIME = {
  name: 'time', group: 'server', summary: 'Return the current server time', since: '2.6.0',
  complexity: 'O(1)',
  arity: 1, flags: ['loading', 'stale', 'fast'],
  tips: ['nondeterministic_output'],
  handler(c) {
    const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    c.array(2);
    c.bulk(String(Math.floor(us / 1e6)));
    c.bulk(String(us % 1e6));
  },
} as const satisfies CommandDef;

/*
 * MONITOR: from now on the client receives every command run by any client
 * (src/server/monitor.ts). Ignored when the client already monitors.
 */
import type { CommandDef } from '../registry.js';
import { addMonitor } from '../../server/monitor.js';

export const MONITOR = {
  name: 'monitor', group: 'server', summary: 'Listen for all requests received by the server in real time', since: '1.0.0',
  arity: 1, flags: ['admin', 'noscript', 'loading', 'stale'],
  history: [],
  handler(c) {
    if (c.monitor) return;
    addMonitor(c.server, c);
    c.ok();
  },
} as const satisfies CommandDef;

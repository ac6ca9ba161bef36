/* LASTSAVE: unix time of the last successful save (start-up time until one happens). */
import type { CommandDef } from '../registry.js';

export const LASTSAVE = {
  name: 'lastsave', group: 'server', summary: 'Get the UNIX time stamp of the last successful save to disk', since: '1.0.0',
  complexity: 'O(1)',
  arity: 1, flags: ['loading', 'stale', 'fast'], acl: ['admin', 'dangerous'],
  tips: ['nondeterministic_output'],
  handler(c) { c.int(c.server.lastSave); },
} as const satisfies CommandDef;

/* CLIENT GETNAME: the name, or null when unnamed. */
import type { CommandDef } from '../registry.js';

export const CLIENT_GETNAME = {
  name: 'getname', group: 'connection', summary: 'Get the current connection name', since: '2.6.9', complexity: 'O(1)',
  arity: 2, flags: ['noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  handler(c) { if (c.name === '') c.null(); else c.bulk(c.name); },
} as const satisfies CommandDef;

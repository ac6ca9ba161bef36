/* CLIENT ID: this connection's id (unique, increasing). */
import type { CommandDef } from '../registry.js';

export const CLIENT_ID = {
  name: 'id', group: 'connection', summary: 'Returns the client ID for the current connection', since: '5.0.0', complexity: 'O(1)',
  arity: 2, flags: ['noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  handler(c) { c.int(c.id); },
} as const satisfies CommandDef;

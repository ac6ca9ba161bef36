/* CLIENT SETNAME name: printable ASCII without spaces; an empty name clears it. */
import type { CommandDef } from '../registry.js';
import { setNameOrReply } from './credentials.js';

export const CLIENT_SETNAME = {
  name: 'setname', group: 'connection', summary: 'Set the current connection name', since: '2.6.9', complexity: 'O(1)',
  arity: 3, flags: ['noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  arguments: [{ name: 'connection-name', type: 'string' }],
  handler(c, argv) { if (setNameOrReply(c, argv[2]!)) c.ok(); },
} as const satisfies CommandDef;

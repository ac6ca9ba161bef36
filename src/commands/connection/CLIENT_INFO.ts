/* CLIENT INFO: this connection's CLIENT LIST line, as verbatim text. */
import type { CommandDef } from '../registry.js';
import { clientInfoLine } from './client-info.js';

export const CLIENT_INFO = {
  name: 'info', group: 'connection', summary: 'Returns information about the current client connection.', since: '6.2.0',
  complexity: 'O(1)', arity: 2, flags: ['noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  tips: ['nondeterministic_output'],
  handler(c) { c.verbatim(clientInfoLine(c, Date.now()) + '\n'); },
} as const satisfies CommandDef;

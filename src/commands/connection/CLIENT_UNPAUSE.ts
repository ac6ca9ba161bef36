/* CLIENT UNPAUSE: end the pause; held commands run again. */
import type { CommandDef } from '../registry.js';
import { unpauseClients } from './pause.js';

export const CLIENT_UNPAUSE = {
  name: 'unpause', group: 'connection', summary: 'Resume processing of clients that were paused', since: '6.2.0',
  complexity: 'O(N) Where N is the number of paused clients',
  arity: 2, flags: ['admin', 'noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  handler(c) {
    unpauseClients(c.server);
    c.ok();
  },
} as const satisfies CommandDef;

/* QUIT: reply OK, then close once the reply is written; later pipelined commands do not run. */
import type { CommandDef } from '../registry.js';

export const QUIT = {
  name: 'quit', group: 'connection', summary: 'Close the connection', since: '1.0.0', complexity: 'O(1)',
  arity: -1, flags: ['allow_busy', 'noscript', 'loading', 'stale', 'fast', 'no_auth'], acl: ['connection'],
  handler(c) {
    c.ok();
    c.closeAfterReply = true;
  },
} as const satisfies CommandDef;

/* CLIENT GETREDIR: the id tracking messages are redirected to, 0 without redirection, -1 when tracking is off. */
import type { CommandDef } from '../registry.js';
import { trackingOf } from '../../server/tracking.js';

export const CLIENT_GETREDIR = {
  name: 'getredir', group: 'connection', summary: 'Get tracking notifications redirection client ID if any',
  since: '6.0.0', complexity: 'O(1)', arity: 2, flags: ['noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  handler(c) {
    const st = trackingOf(c.server).states.get(c);
    c.int(st === undefined ? -1 : st.redirect);
  },
} as const satisfies CommandDef;

/*
 * RESET: make the connection look newly opened (clearClientConnectionState):
 * MONITOR off, MULTI discarded, WATCH, tracking and subscriptions dropped
 * (through Server.clientResetHooks, which those features fill), db 0, RESP2,
 * default-user auth, no name, CLIENT REPLY ON. CLIENT NO-EVICT stays, as in
 * Redis 7.0; NO-TOUCH is cleared as Redis 7.2 does. Replies +RESET.
 */
import type { CommandDef } from '../registry.js';
import { ERR_RESET_NOT_NORMAL } from '../../protocol/errors.js';
import { setDefaultAuth } from './credentials.js';

export const RESET = {
  name: 'reset', group: 'connection', summary: 'Reset the connection', since: '6.2.0', complexity: 'O(1)',
  arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], acl: ['connection'],
  handler(c) {
    if (c.isMaster || (c.isReplica && !c.monitor)) { c.error(ERR_RESET_NOT_NORMAL); return; }
    for (const h of c.server.clientResetHooks) h(c);
    c.monitor = false;
    c.inMulti = false;
    c.multiCount = 0;
    c.multiMayReplicate = false;
    c.trackingRedirect = -1;
    c.db = c.server.dbs[0]!;
    c.resp = 2;
    setDefaultAuth(c);
    c.name = '';
    c.noTouch = false;
    c.replyOff = false;
    c.replySkipNext = false;
    c.simple('RESET');
  },
} as const satisfies CommandDef;

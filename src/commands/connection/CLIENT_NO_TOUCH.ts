/*
 * CLIENT NO-TOUCH ON|OFF (Redis 7.2, not in 7.0.15: kept out of differential
 * tests): commands from this client do not update the LRU/LFU clock of the
 * keys they read; TOUCH still touches (Server.dispatch).
 */
import type { CommandDef } from '../registry.js';
import { is } from '../args.js';
import { ERR_SYNTAX } from '../../protocol/errors.js';

export const CLIENT_NO_TOUCH = {
  name: 'no-touch', group: 'connection',
  summary: 'Controls whether commands sent by the client will alter the LRU/LFU of the keys they access.', since: '7.2.0',
  complexity: 'O(1)', arity: 3, flags: ['noscript', 'loading', 'stale'], acl: ['connection'],
  arguments: [
    { name: 'enabled', type: 'oneof', arguments: [
      { name: 'on', type: 'pure-token', token: 'ON' },
      { name: 'off', type: 'pure-token', token: 'OFF' },
    ] },
  ],
  handler(c, argv) {
    if (is(argv[2], 'on')) c.noTouch = true;
    else if (is(argv[2], 'off')) c.noTouch = false;
    else { c.error(ERR_SYNTAX); return; }
    c.ok();
  },
} as const satisfies CommandDef;

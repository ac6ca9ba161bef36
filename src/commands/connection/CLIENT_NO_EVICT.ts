/* CLIENT NO-EVICT ON|OFF: exempt this connection from client eviction. */
import type { CommandDef } from '../registry.js';
import { is } from '../args.js';
import { ERR_SYNTAX } from '../../protocol/errors.js';

export const CLIENT_NO_EVICT = {
  name: 'no-evict', group: 'connection', summary: 'Set client eviction mode for the current connection', since: '7.0.0',
  complexity: 'O(1)', arity: 3, flags: ['admin', 'noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  arguments: [
    { name: 'enabled', type: 'oneof', arguments: [
      { name: 'on', type: 'pure-token', token: 'ON' },
      { name: 'off', type: 'pure-token', token: 'OFF' },
    ] },
  ],
  handler(c, argv) {
    if (is(argv[2], 'on')) c.noEvict = true;
    else if (is(argv[2], 'off')) c.noEvict = false;
    else { c.error(ERR_SYNTAX); return; }
    c.ok();
  },
} as const satisfies CommandDef;

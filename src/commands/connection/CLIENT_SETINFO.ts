/*
 * CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2, not in 7.0.15: kept out
 * of differential tests). Values are printable ASCII without spaces; empty
 * clears. Stored on the client; CLIENT LIST keeps 7.0's fields.
 */
import type { CommandDef } from '../registry.js';
import { is } from '../args.js';
import { errSetinfoOption, errSetinfoValue } from '../../protocol/errors.js';
import { validClientAttr } from './credentials.js';

export const CLIENT_SETINFO = {
  name: 'setinfo', group: 'connection', summary: 'Set client or connection specific info', since: '7.2.0',
  complexity: 'O(1)', arity: 4, flags: ['noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  arguments: [
    { name: 'attr', type: 'oneof', arguments: [
      { name: 'libname', type: 'string', token: 'LIB-NAME' },
      { name: 'libver', type: 'string', token: 'LIB-VER' },
    ] },
  ],
  handler(c, argv) {
    const attr = argv[2]!;
    const val = argv[3]!;
    const isName = is(attr, 'lib-name');
    if (!isName && !is(attr, 'lib-ver')) { c.error(errSetinfoOption(attr)); return; }
    if (!validClientAttr(val)) { c.error(errSetinfoValue(attr)); return; }
    if (isName) c.libName = val;
    else c.libVer = val;
    c.ok();
  },
} as const satisfies CommandDef;

/* CLIENT CACHING YES|NO: in OPTIN (YES) or OPTOUT (NO) tracking mode, decide for the next command or transaction. */
import type { CommandDef } from '../registry.js';
import { is } from '../args.js';
import { ERR_CACHING_NO, ERR_CACHING_NOT_TRACKING, ERR_CACHING_YES, ERR_SYNTAX } from '../../protocol/errors.js';
import { trackingOf } from '../../server/tracking.js';

export const CLIENT_CACHING = {
  name: 'caching', group: 'connection', summary: 'Instruct the server about tracking or not keys in the next request',
  since: '6.0.0', complexity: 'O(1)', arity: 3, flags: ['noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  arguments: [
    { name: 'mode', type: 'oneof', arguments: [
      { name: 'yes', type: 'pure-token', token: 'YES' },
      { name: 'no', type: 'pure-token', token: 'NO' },
    ] },
  ],
  handler(c, argv) {
    const st = trackingOf(c.server).states.get(c);
    if (st === undefined) { c.error(ERR_CACHING_NOT_TRACKING); return; }
    if (is(argv[2], 'yes')) {
      if (!st.optin) { c.error(ERR_CACHING_YES); return; }
    } else if (is(argv[2], 'no')) {
      if (!st.optout) { c.error(ERR_CACHING_NO); return; }
    } else {
      c.error(ERR_SYNTAX);
      return;
    }
    st.caching = true;
    c.ok();
  },
} as const satisfies CommandDef;

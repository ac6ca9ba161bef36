/*
 * CLIENT REPLY ON|OFF|SKIP. ON replies OK; OFF and SKIP reply nothing. SKIP
 * (ignored while OFF) drops the next command's replies. The client applies
 * the flags after each command (client.ts runCommand, like resetClient).
 */
import type { CommandDef } from '../registry.js';
import { is } from '../args.js';
import { ERR_SYNTAX } from '../../protocol/errors.js';

export const CLIENT_REPLY = {
  name: 'reply', group: 'connection', summary: 'Instruct the server whether to reply to commands', since: '3.2.0',
  complexity: 'O(1)', arity: 3, flags: ['noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  arguments: [
    { name: 'on_off_skip', type: 'oneof', arguments: [
      { name: 'on', type: 'pure-token', token: 'ON' },
      { name: 'off', type: 'pure-token', token: 'OFF' },
      { name: 'skip', type: 'pure-token', token: 'SKIP' },
    ] },
  ],
  handler(c, argv) {
    const mode = argv[2]!;
    if (is(mode, 'on')) {
      c.replyOff = false;
      c.replySkip = false;
      c.replySkipNext = false;
      c.ok();
    } else if (is(mode, 'off')) {
      c.replyOff = true;
    } else if (is(mode, 'skip')) {
      if (!c.replyOff) c.replySkipNext = true;
    } else {
      c.error(ERR_SYNTAX);
    }
  },
} as const satisfies CommandDef;

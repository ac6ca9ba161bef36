/*
 * HELLO [protover [AUTH user pass] [SETNAME name]]: switch RESP2/RESP3 and
 * report the connection context as a map (helloCommand in networking.c).
 * Options apply in order, before the authentication check, as in Redis:
 * SETNAME sets the name even when the reply is then NOAUTH.
 */
import type { CommandDef } from '../registry.js';
import { is, toInt } from '../args.js';
import {
  ERR_HELLO_NOAUTH, ERR_HELLO_PROTOVER, ERR_NOPROTO, ERR_WRONGPASS, errHelloOption,
} from '../../protocol/errors.js';
import { REDIS_VERSION } from '../../server/server.js';
import { authenticate, setNameOrReply } from './credentials.js';

export const HELLO = {
  name: 'hello', group: 'connection', summary: 'Handshake with Redis', since: '6.0.0', complexity: 'O(1)',
  arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'sentinel', 'allow_busy'], acl: ['connection'],
  history: [['6.2.0', '`protover` made optional; when called without arguments the command reports the current connection\'s context.']],
  arguments: [
    { name: 'arguments', type: 'block', optional: true, arguments: [
      { name: 'protover', type: 'integer' },
      { name: 'username_password', type: 'block', token: 'AUTH', optional: true, arguments: [
        { name: 'username', type: 'string' },
        { name: 'password', type: 'string' },
      ] },
      { name: 'clientname', type: 'string', token: 'SETNAME', optional: true },
    ] },
  ],
  handler(c, argv) {
    let ver = 0;
    let next = 1;
    if (argv.length >= 2) {
      const v = toInt(argv[1]!);
      if (v === null) { c.error(ERR_HELLO_PROTOVER); return; }
      if (v < 2 || v > 3) { c.error(ERR_NOPROTO); return; }
      ver = v;
      next = 2;
    }
    for (let j = next; j < argv.length; j++) {
      const more = argv.length - 1 - j;
      const opt = argv[j]!;
      if (is(opt, 'auth') && more >= 2) {
        if (!authenticate(c, argv[j + 1]!, argv[j + 2]!)) { c.error(ERR_WRONGPASS); return; }
        j += 2;
      } else if (is(opt, 'setname') && more >= 1) {
        if (!setNameOrReply(c, argv[j + 1]!)) return;
        j++;
      } else {
        c.error(errHelloOption(opt));
        return;
      }
    }
    if (!c.authenticated) { c.error(ERR_HELLO_NOAUTH); return; }
    if (ver !== 0) c.resp = ver as 2 | 3;
    const cfg = c.server.config;
    const sentinel = c.server.sentinelMode;
    c.map(sentinel ? 6 : 7);
    c.bulk('server'); c.bulk('redis');
    c.bulk('version'); c.bulk(REDIS_VERSION);
    c.bulk('proto'); c.int(c.resp);
    c.bulk('id'); c.int(c.id);
    c.bulk('mode'); c.bulk(sentinel ? 'sentinel' : cfg.bool('cluster-enabled') ? 'cluster' : 'standalone');
    // a sentinel has no role field (helloCommand)
    if (!sentinel) { c.bulk('role'); c.bulk(cfg.str('replicaof') ? 'replica' : 'master'); }
    c.bulk('modules'); c.array(0);
  },
} as const satisfies CommandDef;

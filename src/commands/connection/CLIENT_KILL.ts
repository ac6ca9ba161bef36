/*
 * CLIENT KILL ip:port (old form: may kill the caller, replies OK or
 * "No such client") | CLIENT KILL <filter> <value> ... (ID, TYPE, USER, ADDR,
 * LADDR, SKIPME; replies the count). Others close at once; the caller closes
 * after its reply.
 */
import type { User } from '../../acl/user.js';
import type { CommandDef } from '../registry.js';
import { is, toInt } from '../args.js';
import {
  ERR_CLIENT_ID_RANGE, ERR_NO_SUCH_CLIENT, ERR_SYNTAX, errNoSuchUser, errUnknownClientType,
} from '../../protocol/errors.js';
import { clientTypeByName } from './client-info.js';

export const CLIENT_KILL = {
  name: 'kill', group: 'connection', summary: 'Kill the connection of a client', since: '2.4.0',
  complexity: 'O(N) where N is the number of client connections',
  arity: -3, flags: ['admin', 'noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  history: [['2.8.12', 'Added new filter format.'], ['2.8.12', '`ID` option.'], ['3.2.0', 'Added `master` type in for `TYPE` option.'], ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'], ['6.2.0', '`LADDR` option.']],
  arguments: [
    { name: 'filter', type: 'oneof', arguments: [
      { name: 'ip:port', type: 'string', deprecated_since: '2.8.12' },
      { name: 'new-format', type: 'oneof', multiple: true, arguments: [
        { name: 'client-id', type: 'integer', token: 'ID', optional: true, since: '2.8.12' },
        { name: 'normal_master_slave_pubsub', type: 'oneof', token: 'TYPE', optional: true, since: '2.8.12', arguments: [
          { name: 'normal', type: 'pure-token', token: 'NORMAL' },
          { name: 'master', type: 'pure-token', token: 'MASTER', since: '3.2.0' },
          { name: 'slave', type: 'pure-token', token: 'SLAVE' },
          { name: 'replica', type: 'pure-token', token: 'REPLICA', since: '5.0.0' },
          { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
        ] },
        { name: 'username', type: 'string', token: 'USER', optional: true },
        { name: 'ip:port', type: 'string', token: 'ADDR', optional: true },
        { name: 'ip:port', type: 'string', token: 'LADDR', optional: true, since: '6.2.0' },
        { name: 'yes/no', type: 'string', token: 'SKIPME', optional: true },
      ] },
    ] },
  ],
  handler(c, argv) {
    let addr: string | null = null;
    let laddr: string | null = null;
    let user: User | null = null;
    let type: string | null = null;
    let id = 0;
    let skipme = true;
    if (argv.length === 3) {
      addr = argv[2]!;
      skipme = false; // the old form may kill the caller
    } else {
      for (let i = 2; i < argv.length; i += 2) {
        const opt = argv[i]!;
        const val = argv[i + 1];
        if (val === undefined) { c.error(ERR_SYNTAX); return; }
        if (is(opt, 'id')) {
          const n = toInt(val);
          if (n === null || n < 1) { c.error(ERR_CLIENT_ID_RANGE); return; }
          id = n;
        } else if (is(opt, 'type')) {
          type = clientTypeByName(val);
          if (type === null) { c.error(errUnknownClientType(val)); return; }
        } else if (is(opt, 'addr')) {
          addr = val;
        } else if (is(opt, 'laddr')) {
          laddr = val;
        } else if (is(opt, 'user')) {
          const u = c.server.acl.users.get(val);
          if (u === undefined) { c.error(errNoSuchUser(val)); return; }
          user = u;
        } else if (is(opt, 'skipme')) {
          if (is(val, 'yes')) skipme = true;
          else if (is(val, 'no')) skipme = false;
          else { c.error(ERR_SYNTAX); return; }
        } else {
          c.error(ERR_SYNTAX);
          return;
        }
      }
    }
    let killed = 0;
    let killSelf = false;
    for (const cl of [...c.server.clients.values()]) {
      if (addr !== null && cl.addr !== addr) continue;
      if (laddr !== null && cl.laddr !== laddr) continue;
      if (type !== null && cl.kind !== type) continue;
      if (id !== 0 && cl.id !== id) continue;
      if (user !== null && cl.user !== user) continue;
      if (cl === c && skipme) continue;
      if (cl === c) killSelf = true;
      else cl.close();
      killed++;
    }
    if (argv.length === 3) {
      if (killed === 0) c.error(ERR_NO_SUCH_CLIENT);
      else c.ok();
    } else {
      c.int(killed);
    }
    if (killSelf) c.closeAfterReply = true;
  },
} as const satisfies CommandDef;

/* CLIENT LIST [TYPE type] | [ID id ...]: one line per client, in connection order. */
import type { CommandDef } from '../registry.js';
import { is, toInt } from '../args.js';
import { ERR_INVALID_CLIENT_ID, ERR_SYNTAX, errUnknownClientType } from '../../protocol/errors.js';
import { clientInfoLine, clientTypeByName } from './client-info.js';

export const CLIENT_LIST = {
  name: 'list', group: 'connection', summary: 'Get the list of client connections', since: '2.4.0',
  complexity: 'O(N) where N is the number of client connections',
  arity: -2, flags: ['admin', 'noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  tips: ['nondeterministic_output'],
  history: [['2.8.12', 'Added unique client `id` field.'], ['5.0.0', 'Added optional `TYPE` filter.'], ['6.0.0', 'Added `user` field.'], ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'], ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'], ['7.0.3', 'Added `ssub` field.']],
  arguments: [
    { name: 'normal_master_replica_pubsub', type: 'oneof', token: 'TYPE', optional: true, since: '5.0.0', arguments: [
      { name: 'normal', type: 'pure-token', token: 'NORMAL' },
      { name: 'master', type: 'pure-token', token: 'MASTER' },
      { name: 'replica', type: 'pure-token', token: 'REPLICA' },
      { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' },
    ] },
    { name: 'id', type: 'block', token: 'ID', optional: true, since: '6.2.0', arguments: [
      { name: 'client-id', type: 'integer', multiple: true },
    ] },
  ],
  handler(c, argv) {
    const now = Date.now();
    const clients = c.server.clients;
    let out = '';
    if (argv.length === 4 && is(argv[2], 'type')) {
      const type = clientTypeByName(argv[3]!);
      if (type === null) { c.error(errUnknownClientType(argv[3]!)); return; }
      for (const cl of clients.values()) if (cl.kind === type) out += clientInfoLine(cl, now) + '\n';
    } else if (argv.length > 3 && is(argv[2], 'id')) {
      for (let j = 3; j < argv.length; j++) {
        const id = toInt(argv[j]!);
        if (id === null) { c.error(ERR_INVALID_CLIENT_ID); return; }
        const cl = clients.get(id);
        if (cl !== undefined) out += clientInfoLine(cl, now) + '\n';
      }
    } else if (argv.length !== 2) {
      c.error(ERR_SYNTAX);
      return;
    } else {
      for (const cl of clients.values()) out += clientInfoLine(cl, now) + '\n';
    }
    c.verbatim(out);
  },
} as const satisfies CommandDef;

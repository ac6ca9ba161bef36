/*
 * CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: end another client's blocking
 * wait (BLPOP and friends) with its timeout reply, or with the UNBLOCKED
 * error. :1 when the client was blocked on keys, :0 otherwise. Lives with
 * the blocking list commands; registered in the CLIENT container.
 */
import type { CommandDef } from '../registry.js';
import { ERR_CLIENT_UNBLOCK_REASON, ERR_NOT_INTEGER, errSubcommandSyntax } from '../../protocol/errors.js';
import { toBigInt } from '../args.js';

export const CLIENT_UNBLOCK = {
  name: 'unblock', group: 'connection', summary: 'Unblock a client blocked in a blocking command from a different connection', since: '5.0.0',
  complexity: 'O(log N) where N is the number of client connections',
  arity: -3, flags: ['admin', 'noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  arguments: [
    { name: 'client-id', type: 'integer' },
    { name: 'timeout_error', type: 'oneof', optional: true, arguments: [
      { name: 'timeout', type: 'pure-token', token: 'TIMEOUT' },
      { name: 'error', type: 'pure-token', token: 'ERROR' },
    ] },
  ],
  handler(c, argv) {
    if (argv.length > 4) { c.error(errSubcommandSyntax(argv[1]!, argv[0]!)); return; }
    let withError = false;
    if (argv.length === 4) {
      const reason = argv[3]!.toLowerCase();
      if (reason === 'error') withError = true;
      else if (reason !== 'timeout') { c.error(ERR_CLIENT_UNBLOCK_REASON); return; }
    }
    const id = toBigInt(argv[2]!);
    if (id === null) { c.error(ERR_NOT_INTEGER); return; }
    const target = id > 0n && id <= BigInt(Number.MAX_SAFE_INTEGER) ? c.server.clients.get(Number(id)) : undefined;
    c.int(target !== undefined && c.server.blocking.unblockByRequest(target, withError) ? 1 : 0);
  },
} as const satisfies CommandDef;

/* CLIENT PAUSE timeout [WRITE|ALL]: hold clients' commands for timeout ms (see pause.ts). */
import type { CommandDef } from '../registry.js';
import { is, toInt } from '../args.js';
import {
  ERR_PAUSE_MODE, ERR_TIMEOUT_NEGATIVE, ERR_TIMEOUT_NOT_INTEGER, ERR_TIMEOUT_OUT_OF_RANGE,
} from '../../protocol/errors.js';
import { pauseClients } from './pause.js';

export const CLIENT_PAUSE = {
  name: 'pause', group: 'connection', summary: 'Stop processing commands from clients for some time', since: '2.9.50',
  complexity: 'O(1)', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale', 'sentinel'], acl: ['connection'],
  history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
  arguments: [
    { name: 'timeout', type: 'integer' },
    { name: 'mode', type: 'oneof', optional: true, since: '6.2.0', arguments: [
      { name: 'write', type: 'pure-token', token: 'WRITE' },
      { name: 'all', type: 'pure-token', token: 'ALL' },
    ] },
  ],
  handler(c, argv) {
    // clientCommand accepts 3 or 4 arguments; more falls through to its syntax-error reply
    if (argv.length > 4) { c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try CLIENT HELP.`); return; }
    let writesOnly = false;
    if (argv.length === 4) {
      if (is(argv[3], 'write')) writesOnly = true;
      else if (!is(argv[3], 'all')) { c.error(ERR_PAUSE_MODE); return; }
    }
    const ms = toInt(argv[2]!);
    if (ms === null) { c.error(ERR_TIMEOUT_NOT_INTEGER); return; }
    if (ms < 0) { c.error(ERR_TIMEOUT_NEGATIVE); return; }
    const now = Date.now();
    if (ms > Number.MAX_SAFE_INTEGER - now) { c.error(ERR_TIMEOUT_OUT_OF_RANGE); return; }
    pauseClients(c.server, ms > 0 ? now + ms : 0, writesOnly);
    c.ok();
  },
} as const satisfies CommandDef;

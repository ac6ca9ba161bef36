/* SELECT index: switches the connection's db (a 32-bit integer; DB index errors as Redis). */
import type { CommandDef } from '../registry.js';
import { ERR_DB_INDEX, ERR_SELECT_CLUSTER } from '../../protocol/errors.js';
import { clusterEnabled, dbAt, intArg } from './common.js';

export const SELECT = {
  name: 'select', group: 'connection', summary: 'Change the selected database for the current connection', since: '1.0.0',
  complexity: 'O(1)',
  arity: 2, flags: ['loading', 'stale', 'fast'], acl: ['connection'],
  arguments: [{ name: 'index', type: 'integer' }],
  handler(c, argv) {
    const id = intArg(c, argv[1]!);
    if (id === null) return;
    if (clusterEnabled(c.server) && id !== 0) { c.error(ERR_SELECT_CLUSTER); return; }
    const db = dbAt(c.server, id);
    if (db === undefined) { c.error(ERR_DB_INDEX); return; }
    c.db = db;
    c.ok();
  },
} as const satisfies CommandDef;

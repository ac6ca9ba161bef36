/* SET key value (options come with the string group work). */
import type { CommandDef } from '../registry.js';
import { keyRange } from '../registry.js';
import { NOTIFY_STRING } from '../../keyspace/notify.js';

export const SET = {
  name: 'set', group: 'string', summary: 'Set the string value of a key', since: '1.0.0', complexity: 'O(1)',
  arity: -3, flags: ['write', 'denyoom'], acl: ['string'],
  keySpecs: [keyRange(1, ['RW', 'access', 'update', 'variable_flags'])],
  handler(c, argv) {
    if (argv.length !== 3) { c.error('ERR syntax error'); return; }
    c.db.set(argv[1]!, argv[2]!);
    c.server.recorder.keyWritten(c.db, argv[1]!, NOTIFY_STRING, 'set');
    c.ok();
  },
} as const satisfies CommandDef;

/* SMOVE source destination member: moves a member ("srem" on the source, "del" if emptied, "sadd" on the destination when added). */
import type { CommandDef } from '../registry.js';
import { NOTIFY_SET } from '../../keyspace/notify.js';
import { ERR_WRONGTYPE } from '../../protocol/errors.js';
import { setFor, type SetValue } from '../../types/set.js';
import { notifyDel } from '../hash/common.js';
import { addKey, maxIntset } from './common.js';

export const SMOVE = {
  name: 'smove', group: 'set', summary: 'Move a member from one set to another', since: '1.0.0',
  complexity: 'O(1)',
  arity: 4, flags: ['write', 'fast'], acl: ['set'],
  keySpecs: [{ flags: ['RW', 'access', 'delete'], begin: { index: 1 }, find: { range: [0, 1, 0] } }, { flags: ['RW', 'insert'], begin: { index: 2 }, find: { range: [0, 1, 0] } }],
  arguments: [{ name: 'source', type: 'key', key_spec_index: 0 }, { name: 'destination', type: 'key', key_spec_index: 1 }, { name: 'member', type: 'string' }],
  handler(c, argv) {
    const srcKey = argv[1]!;
    const dstKey = argv[2]!;
    const m = argv[3]!;
    const db = c.db;
    const srcV = db.get(srcKey);
    const dstV = db.get(dstKey);
    if (srcV === undefined) { c.int(0); return; }
    if (typeof srcV === 'string' || srcV.type !== 'set' || (dstV !== undefined && (typeof dstV === 'string' || dstV.type !== 'set'))) {
      c.error(ERR_WRONGTYPE);
      return;
    }
    const src = srcV as SetValue;
    let dst = dstV === undefined ? null : (dstV as SetValue);
    if (src === dst) { c.int(src.has(m) ? 1 : 0); return; }
    if (!src.delete(m)) { c.int(0); return; }
    const rec = c.server.recorder;
    rec.keyWritten(db, srcKey, NOTIFY_SET, 'srem');
    if (src.size === 0) { db.delete(srcKey); notifyDel(c, srcKey); }
    if (dst === null) { dst = setFor(m); addKey(c, dstKey, dst); }
    if (dst.add(m, maxIntset(c))) rec.keyWritten(db, dstKey, NOTIFY_SET, 'sadd');
    c.int(1);
  },
} as const satisfies CommandDef;

/*
 * PFSELFTEST: Redis's internal self-test of the register code and the
 * estimator (10M elements into a dense and a sparse HLL); +OK or a
 * TESTFAILED error. Blocks the server for about a second, as in Redis.
 */
import type { CommandDef } from '../registry.js';
import { selfTest } from '../../types/hyperloglog.js';
import { sparseMaxBytes } from './common.js';

export const PFSELFTEST = {
  name: 'pfselftest', group: 'hyperloglog', summary: 'An internal command for testing HyperLogLog values', since: '2.8.9',
  complexity: 'N/A', docFlags: ['syscmd'],
  arity: 1, flags: ['admin'], acl: ['hyperloglog'],
  handler(c) {
    const err = selfTest(sparseMaxBytes(c));
    if (err === null) c.ok(); else c.error(err);
  },
} as const satisfies CommandDef;

/* INFO [section ...]: the server report (src/server/info.ts), as a verbatim string in RESP3. */
import type { CommandDef } from '../registry.js';
import { infoString } from '../../server/info.js';

export const INFO = {
  name: 'info', group: 'server', summary: 'Get information and statistics about the server', since: '1.0.0',
  complexity: 'O(1)',
  arity: -1, flags: ['loading', 'stale', 'sentinel'], acl: ['dangerous'],
  tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  history: [['7.0.0', 'Added support for taking multiple section arguments.']],
  arguments: [{ name: 'section', type: 'string', optional: true, multiple: true }],
  handler(c, argv) { c.verbatim(infoString(c.server, argv.slice(1))); },
} as const satisfies CommandDef;

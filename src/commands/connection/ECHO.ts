/* ECHO message. */
import type { CommandDef } from '../registry.js';

export const ECHO = {
  name: 'echo', group: 'connection', summary: 'Echo the given string', since: '1.0.0', complexity: 'O(1)',
  arity: 2, flags: ['loading', 'stale', 'fast'], acl: ['connection'],
  arguments: [{ name: 'message', type: 'string' }],
  handler(c, argv) { c.bulk(argv[1]!); },
} as const satisfies CommandDef;

/*
 * FUNCTION FLUSH [ASYNC|SYNC]: Nodis has no functions yet, so flushing the
 * (empty) library set always succeeds. The other FUNCTION subcommands come
 * with scripting.
 */
import type { CommandDef } from '../registry.js';
import { is } from '../args.js';

export const FUNCTION = {
  name: 'function', group: 'scripting', summary: 'A container for function commands', since: '7.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2, flags: [],
  subcommands: [
    {
      name: 'flush', group: 'scripting', summary: 'Deleting all functions', since: '7.0.0',
      complexity: 'O(N) where N is the number of functions deleted',
      arity: -2, flags: ['noscript', 'write'], acl: ['scripting'],
      tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
      arguments: [{ name: 'async', type: 'oneof', optional: true, arguments: [{ name: 'async', type: 'pure-token', token: 'ASYNC' }, { name: 'sync', type: 'pure-token', token: 'SYNC' }] }],
      handler(c, argv) {
        if (argv.length > 3) { c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try FUNCTION HELP.`); return; }
        if (argv.length === 3 && !is(argv[2], 'async') && !is(argv[2], 'sync')) {
          c.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
          return;
        }
        const flush = c.server.ext.get('function-flush') as (() => void) | undefined;
        flush?.();
        c.server.recorder.dirty++;
        c.ok();
      },
    },
  ],
} as const satisfies CommandDef;

/*
 * SCRIPT EXISTS / FLUSH / KILL / LOAD / HELP (eval.c scriptCommand). The
 * cache and the kill switch live in the engine (scripting/engine.ts).
 * SCRIPT DEBUG (the Lua debugger) is not implemented, so not registered.
 */
import type { CommandDef } from '../registry.js';
import { is } from '../args.js';
import { scriptEngineOf } from '../../scripting/engine.js';

export const SCRIPT = {
  name: 'script', group: 'scripting', summary: 'A container for Lua scripts management commands', since: '2.6.0',
  complexity: 'Depends on subcommand.',
  arity: -2, flags: [],
  subcommands: [
    {
      name: 'exists', group: 'scripting', summary: 'Check existence of scripts in the script cache.', since: '2.6.0',
      complexity: 'O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).',
      arity: -3, flags: ['noscript'], acl: ['scripting'],
      tips: ['request_policy:all_shards', 'response_policy:agg_logical_and'],
      arguments: [{ name: 'sha1', type: 'string', multiple: true }],
      handler(c, argv) {
        const scripts = scriptEngineOf(c.server).scripts;
        c.array(argv.length - 2);
        for (let j = 2; j < argv.length; j++) c.int(scripts.has(argv[j]!) ? 1 : 0);
      },
    },
    {
      name: 'flush', group: 'scripting', summary: 'Remove all the scripts from the script cache.', since: '2.6.0',
      complexity: 'O(N) with N being the number of scripts in cache',
      history: [['6.2.0', 'Added the `ASYNC` and `SYNC` flushing mode modifiers.']],
      arity: -2, flags: ['noscript'], acl: ['scripting'],
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      arguments: [{ name: 'async', type: 'oneof', optional: true, since: '6.2.0', arguments: [{ name: 'async', type: 'pure-token', token: 'ASYNC' }, { name: 'sync', type: 'pure-token', token: 'SYNC' }] }],
      handler(c, argv) {
        if (!(argv.length === 2 || (argv.length === 3 && (is(argv[2], 'sync') || is(argv[2], 'async'))))) {
          c.error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
          return;
        }
        scriptEngineOf(c.server).flush();
        c.ok();
      },
    },
    {
      name: 'kill', group: 'scripting', summary: 'Kill the script currently in execution.', since: '2.6.0',
      complexity: 'O(1)',
      arity: 2, flags: ['noscript', 'allow_busy'], acl: ['scripting'],
      tips: ['request_policy:all_shards', 'response_policy:one_succeeded'],
      handler(c) { scriptEngineOf(c.server).kill(c); },
    },
    {
      name: 'load', group: 'scripting', summary: 'Load the specified Lua script into the script cache.', since: '2.6.0',
      complexity: 'O(N) with N being the length in bytes of the script body.',
      arity: 3, flags: ['noscript', 'stale'], acl: ['scripting'],
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      arguments: [{ name: 'script', type: 'string' }],
      handler(c, argv) {
        const sha = scriptEngineOf(c.server).createFunction(c, argv[2]!);
        if (sha !== null) c.bulk(sha);
      },
    },
    {
      name: 'help', group: 'scripting', summary: 'Show helpful text about the different subcommands', since: '5.0.0',
      complexity: 'O(1)',
      arity: 2, flags: ['loading', 'stale'], acl: ['scripting'],
      handler(c) {
        c.help('SCRIPT', [
          'DEBUG (YES|SYNC|NO)',
          '    Set the debug mode for subsequent scripts executed.',
          'EXISTS <sha1> [<sha1> ...]',
          '    Return information about the existence of the scripts in the script cache.',
          'FLUSH [ASYNC|SYNC]',
          '    Flush the Lua scripts cache. Very dangerous on replicas.',
          '    When called without the optional mode argument, the behavior is determined by the',
          '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
          '    * ASYNC: Asynchronously flush the scripts cache.',
          '    * SYNC: Synchronously flush the scripts cache.',
          'KILL',
          '    Kill the currently executing Lua script.',
          'LOAD <script>',
          '    Load a script into the scripts cache without executing it.',
        ]);
      },
    },
  ],
} as const satisfies CommandDef;

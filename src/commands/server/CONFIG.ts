/*
 * CONFIG GET/SET/RESETSTAT/REWRITE/HELP: the container and its subcommands;
 * the work is in config-ops.ts.
 */
import type { CommandDef } from '../registry.js';
import { configGet, configSet, configRewrite } from './config-ops.js';
import { resetStats } from '../../server/info.js';

export const CONFIG = {
  name: 'config', group: 'server', summary: 'A container for server configuration commands', since: '2.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2, flags: [],
  subcommands: [
    {
      name: 'get', group: 'server', summary: 'Get the values of configuration parameters', since: '2.0.0',
      complexity: 'O(N) when N is the number of configuration parameters provided',
      arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'],
      history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
      arguments: [{ name: 'parameter', type: 'block', multiple: true, arguments: [{ name: 'parameter', type: 'string' }] }],
      handler(c, argv) { configGet(c, argv.slice(2)); },
    },
    {
      name: 'set', group: 'server', summary: 'Set configuration parameters to the given values', since: '2.0.0',
      complexity: 'O(N) when N is the number of configuration parameters provided',
      arity: -4, flags: ['admin', 'noscript', 'loading', 'stale'],
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
      arguments: [{ name: 'parameter_value', type: 'block', multiple: true, arguments: [{ name: 'parameter', type: 'string' }, { name: 'value', type: 'string' }] }],
      handler(c, argv) { configSet(c, argv); },
    },
    {
      name: 'resetstat', group: 'server', summary: 'Reset the stats returned by INFO', since: '2.0.0',
      complexity: 'O(1)',
      arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'],
      handler(c) {
        resetStats(c.server);
        c.ok();
      },
    },
    {
      name: 'rewrite', group: 'server', summary: 'Rewrite the configuration file with the in memory configuration', since: '2.8.0',
      complexity: 'O(1)',
      arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'],
      handler(c) {
        const err = configRewrite(c.server);
        if (err) c.error(err);
        else c.ok();
      },
    },
    {
      name: 'help', group: 'server', summary: 'Show helpful text about the different subcommands', since: '5.0.0',
      complexity: 'O(1)',
      arity: 2, flags: ['loading', 'stale'],
      handler(c) {
        c.help('CONFIG', [
          'GET <pattern>',
          '    Return parameters matching the glob-like <pattern> and their values.',
          'SET <directive> <value>',
          '    Set the configuration <directive> to <value>.',
          'RESETSTAT',
          '    Reset statistics reported by the INFO command.',
          'REWRITE',
          '    Rewrite the configuration file.',
        ]);
      },
    },
  ],
} as const satisfies CommandDef;

/* SLOWLOG GET [count] | LEN | RESET | HELP over src/server/slowlog.ts. */
import type { CommandDef } from '../registry.js';
import { slowlogOf } from '../../server/slowlog.js';
import { toInt } from '../args.js';

export const SLOWLOG = {
  name: 'slowlog', group: 'server', summary: 'A container for slow log commands', since: '2.2.12',
  complexity: 'Depends on subcommand.',
  arity: -2, flags: [],
  subcommands: [
    {
      name: 'get', group: 'server', summary: 'Get the slow log\'s entries', since: '2.2.12',
      complexity: 'O(N) where N is the number of entries returned',
      arity: -2, flags: ['admin', 'loading', 'stale'],
      tips: ['request_policy:all_nodes', 'nondeterministic_output'],
      history: [['4.0.0', 'Added client IP address, port and name to the reply.']],
      arguments: [{ name: 'count', type: 'integer', optional: true }],
      handler(c, argv) {
        const log = slowlogOf(c.server).entries;
        let count = 10;
        if (argv.length === 3) {
          const n = toInt(argv[2]!);
          if (n === null || n < -1) { c.error('ERR count should be greater than or equal to -1'); return; }
          count = n === -1 ? log.length : n;
        }
        const out = log.slice(0, count);
        c.array(out.length);
        for (const e of out) {
          c.array(6);
          c.int(e.id);
          c.int(e.time);
          c.int(e.duration);
          c.bulks(e.argv);
          c.bulk(e.peer);
          c.bulk(e.name);
        }
      },
    },
    {
      name: 'len', group: 'server', summary: 'Get the slow log\'s length', since: '2.2.12',
      complexity: 'O(1)',
      arity: 2, flags: ['admin', 'loading', 'stale'],
      tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
      handler(c) { c.int(slowlogOf(c.server).entries.length); },
    },
    {
      name: 'reset', group: 'server', summary: 'Clear all entries from the slow log', since: '2.2.12',
      complexity: 'O(N) where N is the number of entries in the slowlog',
      arity: 2, flags: ['admin', 'loading', 'stale'],
      tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      handler(c) { slowlogOf(c.server).entries.length = 0; c.ok(); },
    },
    {
      name: 'help', group: 'server', summary: 'Show helpful text about the different subcommands', since: '6.2.0',
      complexity: 'O(1)',
      arity: 2, flags: ['loading', 'stale'],
      handler(c) {
        c.help('SLOWLOG', [
          'GET [<count>]',
          '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
          '    Entries are made of:',
          '    id, timestamp, time in microseconds, arguments array, client IP and port,',
          '    client name',
          'LEN',
          '    Return the length of the slowlog.',
          'RESET',
          '    Reset the slowlog.',
        ]);
      },
    },
  ],
} as const satisfies CommandDef;

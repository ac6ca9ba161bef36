/*
 * COMMAND [COUNT|LIST|INFO|DOCS|GETKEYS|GETKEYSANDFLAGS|HELP]: answered from
 * the command table (command-ops.ts renders Redis's reply shapes).
 */
import type { CommandDef } from '../registry.js';
import { is } from '../args.js';
import { globMatch } from '../../keyspace/glob.js';
import { aclCategories, getKeysReply, lookupByName, replyCommandDocs, replyCommandInfo } from './command-ops.js';

export const COMMAND = {
  name: 'command', group: 'server', summary: 'Get array of Redis command details', since: '2.8.13',
  complexity: 'O(N) where N is the total number of Redis commands',
  arity: -1, flags: ['loading', 'stale', 'sentinel'], acl: ['connection'],
  tips: ['nondeterministic_output_order'],
  handler(c) {
    const cmds = [...c.server.table.commands.values()];
    c.array(cmds.length);
    for (const cmd of cmds) replyCommandInfo(c, cmd);
  },
  subcommands: [
    {
      name: 'count', group: 'server', summary: 'Get total number of Redis commands', since: '2.8.13',
      complexity: 'O(1)',
      arity: 2, flags: ['loading', 'stale', 'sentinel'], acl: ['connection'],
      handler(c) { c.int(c.server.table.commands.size); },
    },
    {
      name: 'list', group: 'server', summary: 'Get an array of Redis command names', since: '7.0.0',
      complexity: 'O(N) where N is the total number of Redis commands',
      arity: -2, flags: ['loading', 'stale', 'sentinel'], acl: ['connection'],
      tips: ['nondeterministic_output_order'],
      arguments: [{ name: 'filterby', type: 'oneof', token: 'FILTERBY', optional: true, arguments: [{ name: 'module-name', type: 'string', token: 'MODULE' }, { name: 'category', type: 'string', token: 'ACLCAT' }, { name: 'pattern', type: 'pattern', token: 'PATTERN' }] }],
      handler(c, argv) {
        let filter: ((name: string, acl: string[]) => boolean) | null = null;
        for (let i = 2; i < argv.length; i++) {
          if (is(argv[i], 'filterby') && argv.length - 1 - i === 2) {
            const type = argv[i + 1]!;
            const arg = argv[i + 2]!;
            if (is(type, 'module')) filter = () => false;
            else if (is(type, 'aclcat')) filter = (_n, acl) => acl.includes('@' + arg.toLowerCase());
            else if (is(type, 'pattern')) filter = (n) => globMatch(arg, n, true);
            else { c.error('ERR syntax error'); return; }
            i += 2;
          } else {
            c.error('ERR syntax error');
            return;
          }
        }
        const out: string[] = [];
        for (const cmd of c.server.table.all()) {
          if (!filter || filter(cmd.fullname, aclCategories(cmd))) out.push(cmd.fullname);
        }
        c.bulks(out);
      },
    },
    {
      name: 'info', group: 'server', summary: 'Get array of specific Redis command details, or all when no argument is given.', since: '2.8.13',
      complexity: 'O(N) where N is the number of commands to look up',
      arity: -2, flags: ['loading', 'stale', 'sentinel'], acl: ['connection'],
      tips: ['nondeterministic_output_order'],
      history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
      arguments: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
      handler(c, argv) {
        if (argv.length === 2) {
          const cmds = [...c.server.table.commands.values()];
          c.array(cmds.length);
          for (const cmd of cmds) replyCommandInfo(c, cmd);
          return;
        }
        c.array(argv.length - 2);
        for (const name of argv.slice(2)) replyCommandInfo(c, lookupByName(c.server, name));
      },
    },
    {
      name: 'docs', group: 'server', summary: 'Get array of specific Redis command documentation', since: '7.0.0',
      complexity: 'O(N) where N is the number of commands to look up',
      arity: -2, flags: ['loading', 'stale', 'sentinel'], acl: ['connection'],
      tips: ['nondeterministic_output_order'],
      arguments: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
      handler(c, argv) {
        const cmds = argv.length === 2 ? [...c.server.table.commands.values()]
          : argv.slice(2).map((n) => lookupByName(c.server, n)).filter((x) => x !== undefined);
        c.map(cmds.length);
        for (const cmd of cmds) { c.bulk(cmd.fullname); replyCommandDocs(c, cmd); }
      },
    },
    {
      name: 'getkeys', group: 'server', summary: 'Extract keys given a full Redis command', since: '2.8.13',
      complexity: 'O(N) where N is the number of arguments to the command',
      arity: -4, flags: ['loading', 'stale', 'sentinel'], acl: ['connection'],
      handler(c, argv) { getKeysReply(c, argv, false); },
    },
    {
      name: 'getkeysandflags', group: 'server', summary: 'Extract keys and access flags given a full Redis command', since: '7.0.0',
      complexity: 'O(N) where N is the number of arguments to the command',
      arity: -4, flags: ['loading', 'stale', 'sentinel'], acl: ['connection'],
      handler(c, argv) { getKeysReply(c, argv, true); },
    },
    {
      name: 'help', group: 'server', summary: 'Show helpful text about the different subcommands', since: '5.0.0',
      complexity: 'O(1)',
      arity: 2, flags: ['loading', 'stale', 'sentinel'], acl: ['connection'],
      handler(c) {
        c.help('COMMAND', [
          '(no subcommand)',
          '    Return details about all Redis commands.',
          'COUNT',
          '    Return the total number of commands in this Redis server.',
          'LIST',
          '    Return a list of all commands in this Redis server.',
          'INFO [<command-name> ...]',
          '    Return details about multiple Redis commands.',
          '    If no command names are given, documentation details for all',
          '    commands are returned.',
          'DOCS [<command-name> ...]',
          '    Return documentation details about multiple Redis commands.',
          '    If no command names are given, documentation details for all',
          '    commands are returned.',
          'GETKEYS <full-command>',
          '    Return the keys from a full Redis command.',
          'GETKEYSANDFLAGS <full-command>',
          '    Return the keys and the access flags from a full Redis command.',
        ]);
      },
    },
  ],
} as const satisfies CommandDef;

/*
 * ACL CAT/DELUSER/DRYRUN/GENPASS/GETUSER/HELP/LIST/LOAD/LOG/SAVE/SETUSER/
 * USERS/WHOAMI (aclCommand in redis/src/acl.c); the work is in src/acl/.
 * Arity is checked per subcommand by dispatch; the extra argument counts
 * aclCommand refuses get its "unknown subcommand or wrong number" reply.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '../../server/client.js';
import type { CommandDef, CommandFlag } from '../registry.js';
import { toInt } from '../args.js';
import { ERR_NOT_INTEGER, errArity } from '../../protocol/errors.js';
import { ACL_OK, DENIED_CMD, DENIED_KEY } from '../../acl/acl.js';
import { CATEGORIES, hasSpaces, type Selector } from '../../acl/selector.js';
import { USER_FLAGS } from '../../acl/user.js';

const subSyntax = (c: Client, argv: string[]): void =>
  c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try ACL HELP.`);

const ADMIN: readonly CommandFlag[] = ['admin', 'noscript', 'loading', 'stale', 'sentinel'];
const PLAIN: readonly CommandFlag[] = ['noscript', 'loading', 'stale', 'sentinel'];

/** aclAddReplySelectorDescription: commands, keys, channels. */
function replySelector(c: Client, s: Selector): void {
  c.bulk('commands'); c.bulk(s.describeCommands());
  c.bulk('keys'); c.bulk(s.allKeys ? '~*' : s.keyRules().join(' '));
  c.bulk('channels'); c.bulk(s.allChannels ? '&*' : s.channels.map((ch) => '&' + ch).join(' '));
}

/** LONG parse as getLongFromObjectOrReply */
function longArg(s: string): number | null {
  const n = toInt(s);
  return n === null || n < -9223372036854775808 || n > 9223372036854775807 ? null : n;
}

export const ACL = {
  name: 'acl', group: 'server', summary: 'A container for Access List Control commands ', since: '6.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2, flags: ['sentinel'],
  subcommands: [
    {
      name: 'cat', group: 'server', summary: 'List the ACL categories or the commands inside a category', since: '6.0.0',
      complexity: 'O(1) since the categories and commands are a fixed set.',
      arity: -2, flags: PLAIN,
      arguments: [{ name: 'categoryname', type: 'string', optional: true }],
      handler(c, argv) {
        if (argv.length === 2) { c.array(CATEGORIES.length); for (const k of CATEGORIES) c.bulk(k); return; }
        if (argv.length !== 3) { subSyntax(c, argv); return; }
        const acl = c.server.acl;
        const idx = acl.cmds.categoryIndex(argv[2]!);
        if (idx < 0) { c.error(`ERR Unknown category '${argv[2]!.slice(0, 128)}'`); return; }
        const names: string[] = [];
        for (const cmd of acl.cmds.all) if (acl.cmds.catMask[cmd.id]! & (1 << idx)) names.push(cmd.fullname);
        c.bulks(names);
      },
    },
    {
      name: 'deluser', group: 'server', summary: 'Remove the specified ACL users and the associated rules', since: '6.0.0',
      complexity: 'O(1) amortized time considering the typical user.',
      arity: -3, flags: ADMIN,
      arguments: [{ name: 'username', type: 'string', multiple: true }],
      handler(c, argv) {
        for (let j = 2; j < argv.length; j++) {
          if (argv[j] === 'default') { c.error("ERR The 'default' user cannot be removed"); return; }
        }
        let deleted = 0;
        for (let j = 2; j < argv.length; j++) if (c.server.acl.deleteUser(argv[j]!)) deleted++;
        c.int(deleted);
      },
    },
    {
      name: 'dryrun', group: 'server', summary: 'Returns whether the user can execute the given command without executing the command.', since: '7.0.0',
      complexity: 'O(1).',
      arity: -4, flags: ADMIN, history: [],
      arguments: [{ name: 'username', type: 'string' }, { name: 'command', type: 'string' }, { name: 'arg', type: 'string', optional: true, multiple: true }],
      handler(c, argv) {
        const acl = c.server.acl;
        const u = acl.users.get(argv[2]!);
        if (u === undefined) { c.error(`ERR User '${argv[2]}' not found`); return; }
        const args = argv.slice(3);
        const cmd = c.server.table.lookup(args);
        if (cmd === undefined) { c.error(`ERR Command '${argv[3]}' not found`); return; }
        if ((cmd.arity > 0 && cmd.arity !== args.length) || args.length < -cmd.arity) { c.error(errArity(cmd.fullname)); return; }
        const r = acl.checkCommand(u, cmd, args);
        if (r === ACL_OK) { c.ok(); return; }
        if (r === DENIED_CMD) c.bulk(`This user has no permissions to run the '${cmd.fullname}' command`);
        else if (r === DENIED_KEY) c.bulk(`This user has no permissions to access the '${args[acl.lastPos]}' key`);
        else c.bulk(`This user has no permissions to access the '${args[acl.lastPos]}' channel`);
      },
    },
    {
      name: 'genpass', group: 'server', summary: 'Generate a pseudorandom secure password to use for ACL users', since: '6.0.0',
      complexity: 'O(1)',
      arity: -2, flags: PLAIN,
      arguments: [{ name: 'bits', type: 'integer', optional: true }],
      handler(c, argv) {
        if (argv.length > 3) { subSyntax(c, argv); return; }
        let bits = 256;
        if (argv.length === 3) {
          const n = longArg(argv[2]!);
          if (n === null) { c.error(ERR_NOT_INTEGER); return; }
          bits = n;
        }
        if (bits <= 0 || bits > 4096) {
          c.error('ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096');
          return;
        }
        const chars = Math.floor((bits + 3) / 4);
        c.bulk(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
      },
    },
    {
      name: 'getuser', group: 'server', summary: 'Get the rules for a specific ACL user', since: '6.0.0',
      complexity: 'O(N). Where N is the number of password, command and pattern rules that the user has.',
      arity: 3, flags: ADMIN,
      history: [['6.2.0', 'Added Pub/Sub channel patterns.'], ['7.0.0', 'Added selectors and changed the format of key and channel patterns from a list to their rule representation.']],
      arguments: [{ name: 'username', type: 'string' }],
      handler(c, argv) {
        const u = c.server.acl.users.get(argv[2]!);
        if (u === undefined) { c.null(); return; }
        c.map(6);
        c.bulk('flags');
        const flags = USER_FLAGS.filter(([, f]) => (u.flags & f) !== 0);
        c.set(flags.length);
        for (const [name] of flags) c.bulk(name);
        c.bulk('passwords');
        c.bulks(u.passwords);
        replySelector(c, u.root);
        c.bulk('selectors');
        c.array(u.selectors.length - 1);
        for (let i = 1; i < u.selectors.length; i++) {
          c.map(3);
          replySelector(c, u.selectors[i]!);
        }
      },
    },
    {
      name: 'help', group: 'server', summary: 'Show helpful text about the different subcommands', since: '6.0.0',
      complexity: 'O(1)',
      arity: 2, flags: ['loading', 'stale', 'sentinel'],
      handler(c) {
        c.help('ACL', [
          'CAT [<category>]',
          '    List all commands that belong to <category>, or all command categories',
          '    when no category is specified.',
          'DELUSER <username> [<username> ...]',
          '    Delete a list of users.',
          'DRYRUN <username> <command> [<arg> ...]',
          '    Returns whether the user can execute the given command without executing the command.',
          'GETUSER <username>',
          "    Get the user's details.",
          'GENPASS [<bits>]',
          '    Generate a secure 256-bit user password. The optional `bits` argument can',
          '    be used to specify a different size.',
          'LIST',
          '    Show users details in config file format.',
          'LOAD',
          '    Reload users from the ACL file.',
          'LOG [<count> | RESET]',
          '    Show the ACL log entries.',
          'SAVE',
          '    Save the current config to the ACL file.',
          'SETUSER <username> <attribute> [<attribute> ...]',
          '    Create or modify a user with the specified attributes.',
          'USERS',
          '    List all the registered usernames.',
          'WHOAMI',
          '    Return the current connection username.',
        ]);
      },
    },
    {
      name: 'list', group: 'server', summary: 'List the current ACL rules in ACL config file format', since: '6.0.0',
      complexity: 'O(N). Where N is the number of configured users.',
      arity: 2, flags: ADMIN,
      handler(c) {
        c.bulks(c.server.acl.sortedUsers().map((u) => `user ${u.name} ${u.describe()}`));
      },
    },
    {
      name: 'load', group: 'server', summary: 'Reload the ACLs from the configured ACL file', since: '6.0.0',
      complexity: 'O(N). Where N is the number of configured users.',
      arity: 2, flags: ADMIN,
      handler(c) {
        const file = c.server.config.str('aclfile') ?? '';
        if (file === '') { c.error(NO_ACLFILE); return; }
        const errors = c.server.acl.loadFromFile(file);
        if (errors === null) c.ok();
        else c.error('ERR ' + errors);
      },
    },
    {
      name: 'log', group: 'server', summary: 'List latest events denied because of ACLs in place', since: '6.0.0',
      complexity: 'O(N) with N being the number of entries shown.',
      arity: -2, flags: ADMIN,
      arguments: [{ name: 'operation', type: 'oneof', optional: true, arguments: [{ name: 'count', type: 'integer' }, { name: 'reset', type: 'pure-token', token: 'RESET' }] }],
      handler(c, argv) {
        if (argv.length > 3) { subSyntax(c, argv); return; }
        let count = 10;
        if (argv.length === 3) {
          if (argv[2]!.toLowerCase() === 'reset') { c.server.acl.log.length = 0; c.ok(); return; }
          const n = longArg(argv[2]!);
          if (n === null) { c.error(ERR_NOT_INTEGER); return; }
          count = Math.max(0, n);
        }
        c.server.acl.replyLog(c, count);
      },
    },
    {
      name: 'save', group: 'server', summary: 'Save the current ACL rules in the configured ACL file', since: '6.0.0',
      complexity: 'O(N). Where N is the number of configured users.',
      arity: 2, flags: ADMIN,
      handler(c) {
        const file = c.server.config.str('aclfile') ?? '';
        if (file === '') { c.error(NO_ACLFILE); return; }
        if (c.server.acl.saveToFile(file)) c.ok();
        else c.error('ERR There was an error trying to save the ACLs. Please check the server logs for more information');
      },
    },
    {
      name: 'setuser', group: 'server', summary: 'Modify or create the rules for a specific ACL user', since: '6.0.0',
      complexity: 'O(N). Where N is the number of rules provided.',
      arity: -3, flags: ADMIN,
      history: [['6.2.0', 'Added Pub/Sub channel patterns.'], ['7.0.0', 'Added selectors and key based permissions.']],
      arguments: [{ name: 'username', type: 'string' }, { name: 'rule', type: 'string', optional: true, multiple: true }],
      handler(c, argv) {
        const name = argv[2]!;
        if (hasSpaces(name)) { c.error("ERR Usernames can't contain spaces or null characters"); return; }
        const err = c.server.acl.setUser(name, argv.slice(3));
        if (err === null) c.ok();
        else c.error('ERR ' + err.replace(/[\r\n]/g, ' '));
      },
    },
    {
      name: 'users', group: 'server', summary: 'List the username of all the configured ACL rules', since: '6.0.0',
      complexity: 'O(N). Where N is the number of configured users.',
      arity: 2, flags: ADMIN,
      handler(c) { c.bulks(c.server.acl.sortedUsers().map((u) => u.name)); },
    },
    {
      name: 'whoami', group: 'server', summary: 'Return the name of the user associated to the current connection', since: '6.0.0',
      complexity: 'O(1)',
      arity: 2, flags: PLAIN,
      handler(c) {
        if (c.user === c.server.acl.superuser) c.null();
        else c.bulk(c.user.name);
      },
    },
  ],
} as const satisfies CommandDef;

const NO_ACLFILE = 'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

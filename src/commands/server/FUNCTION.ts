/*
 * FUNCTION LOAD / DELETE / LIST / STATS / KILL / FLUSH / DUMP / RESTORE / HELP
 * (redis/src/functions.c). The libraries live in scripting/functions.ts; each
 * subcommand that changes them counts one change, so it is propagated and
 * persisted as itself.
 */
import type { CommandDef } from '../registry.js';
import type { Client } from '../../server/client.js';
import { is } from '../args.js';
import { functionsOf } from '../../scripting/functions.js';
import { scriptEngineOf } from '../../scripting/engine.js';
import { globMatch } from '../../keyspace/glob.js';
import { performance } from 'node:perf_hooks';

const ALL_SHARDS = ['request_policy:all_shards', 'response_policy:all_succeeded'];
const subSyntax = (c: Client, argv: string[]): void => c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]}'. Try FUNCTION HELP.`);

export const FUNCTION = {
  name: 'function', group: 'scripting', summary: 'A container for function commands', since: '7.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2, flags: [],
  subcommands: [
    {
      name: 'load', group: 'scripting', summary: 'Create a function with the given arguments (name, code, description)', since: '7.0.0',
      complexity: 'O(1) (considering compilation time is redundant)',
      arity: -3, flags: ['noscript', 'write', 'denyoom'], acl: ['scripting'], tips: ALL_SHARDS,
      arguments: [{ name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true }, { name: 'function-code', type: 'string' }],
      handler(c, argv) {
        let replace = false;
        let i = 2;
        while (i < argv.length - 1) {
          const a = argv[i++]!;
          if (is(a, 'replace')) { replace = true; continue; }
          c.error(`ERR Unknown option given: ${a}`);
          return;
        }
        if (i >= argv.length) { c.error('ERR Function code is missing'); return; }
        // a master's stream or the AOF load with no time limit (mustObeyClient)
        const r = functionsOf(c.server).create(argv[i]!, replace, !c.isMaster && c.id < Number.MAX_SAFE_INTEGER - 2);
        if ('err' in r) { c.error(`ERR ${r.err}`.replace(/[\r\n]/g, ' ')); return; }
        c.server.recorder.dirty++;
        c.bulk(r.name);
      },
    },
    {
      name: 'delete', group: 'scripting', summary: 'Delete a function by name', since: '7.0.0', complexity: 'O(1)',
      arity: 3, flags: ['noscript', 'write'], acl: ['scripting'], tips: ALL_SHARDS,
      arguments: [{ name: 'library-name', type: 'string' }],
      handler(c, argv) {
        if (!functionsOf(c.server).delete(argv[2]!)) { c.error('ERR Library not found'); return; }
        c.server.recorder.dirty++;
        c.ok();
      },
    },
    {
      name: 'list', group: 'scripting', summary: 'List information about all the functions', since: '7.0.0',
      complexity: 'O(N) where N is the number of functions',
      arity: -2, flags: ['noscript'], acl: ['scripting'], tips: ['nondeterministic_output_order'],
      arguments: [{ name: 'library-name-pattern', type: 'string', token: 'LIBRARYNAME', optional: true }, { name: 'withcode', type: 'pure-token', token: 'WITHCODE', optional: true }],
      handler(c, argv) {
        let withCode = false;
        let pattern: string | null = null;
        for (let i = 2; i < argv.length; i++) {
          const a = argv[i]!;
          if (!withCode && is(a, 'withcode')) { withCode = true; continue; }
          if (pattern === null && is(a, 'libraryname')) {
            if (i >= argv.length - 1) { c.error('ERR library name argument was not given'); return; }
            pattern = argv[++i]!;
            continue;
          }
          c.error(`ERR Unknown argument ${a}`);
          return;
        }
        functionsOf(c.server).list(c, withCode, pattern, (p, s) => globMatch(p, s, true));
      },
    },
    {
      name: 'stats', group: 'scripting', summary: 'Return information about the function currently running (name, description, duration)', since: '7.0.0',
      complexity: 'O(1)',
      arity: 2, flags: ['noscript', 'allow_busy'], acl: ['scripting'], tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
      handler(c) {
        const engine = scriptEngineOf(c.server);
        const run = engine.running;
        if (run !== null && !run.isFn) { c.error('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.'); return; }
        const f = functionsOf(c.server);
        c.map(2);
        c.bulk('running_script');
        if (run === null) c.null();
        else {
          c.map(3);
          c.bulk('name'); c.bulk(run.sha);
          c.bulk('command'); c.bulks(run.caller.argv);
          c.bulk('duration_ms'); c.int(Math.round(performance.now() - run.start));
        }
        c.bulk('engines');
        c.map(1);
        c.bulk('LUA');
        c.map(2);
        c.bulk('libraries_count'); c.int(f.libraries.size);
        c.bulk('functions_count'); c.int(f.functions.size);
      },
    },
    {
      name: 'kill', group: 'scripting', summary: 'Kill the function currently in execution.', since: '7.0.0', complexity: 'O(1)',
      arity: 2, flags: ['noscript', 'allow_busy'], acl: ['scripting'], tips: ['request_policy:all_shards', 'response_policy:one_succeeded'],
      handler(c) { scriptEngineOf(c.server).kill(c, false); },
    },
    {
      name: 'flush', group: 'scripting', summary: 'Deleting all functions', since: '7.0.0',
      complexity: 'O(N) where N is the number of functions deleted',
      arity: -2, flags: ['noscript', 'write'], acl: ['scripting'], tips: ALL_SHARDS,
      arguments: [{ name: 'async', type: 'oneof', optional: true, arguments: [{ name: 'async', type: 'pure-token', token: 'ASYNC' }, { name: 'sync', type: 'pure-token', token: 'SYNC' }] }],
      handler(c, argv) {
        if (argv.length > 3) { subSyntax(c, argv); return; }
        if (argv.length === 3 && !is(argv[2]!, 'async') && !is(argv[2]!, 'sync')) {
          c.error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
          return;
        }
        functionsOf(c.server).flush();
        c.server.recorder.dirty++;
        c.ok();
      },
    },
    {
      name: 'dump', group: 'scripting', summary: 'Dump all functions into a serialized binary payload', since: '7.0.0',
      complexity: 'O(N) where N is the number of functions',
      arity: 2, flags: ['noscript'], acl: ['scripting'],
      handler(c) { c.bulkBuffer(functionsOf(c.server).dump()); },
    },
    {
      name: 'restore', group: 'scripting', summary: 'Restore all the functions on the given payload', since: '7.0.0',
      complexity: 'O(N) where N is the number of functions on the payload',
      arity: -3, flags: ['noscript', 'write', 'denyoom'], acl: ['scripting'], tips: ALL_SHARDS,
      arguments: [{ name: 'serialized-value', type: 'string' }, { name: 'policy', type: 'oneof', optional: true, arguments: [{ name: 'flush', type: 'pure-token', token: 'FLUSH' }, { name: 'append', type: 'pure-token', token: 'APPEND' }, { name: 'replace', type: 'pure-token', token: 'REPLACE' }] }],
      handler(c, argv) {
        if (argv.length > 4) { subSyntax(c, argv); return; }
        let policy: 'flush' | 'append' | 'replace' = 'append';
        if (argv.length === 4) {
          const p = argv[3]!.toLowerCase();
          if (p !== 'flush' && p !== 'append' && p !== 'replace') { c.error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.'); return; }
          policy = p;
        }
        const err = functionsOf(c.server).restore(Buffer.from(argv[2]!, 'latin1'), policy);
        if (err !== null) { c.error(`ERR ${err}`); return; }
        c.server.recorder.dirty++;
        c.ok();
      },
    },
    {
      name: 'help', group: 'scripting', summary: 'Show helpful text about the different subcommands', since: '7.0.0', complexity: 'O(1)',
      arity: 2, flags: ['loading', 'stale'], acl: ['scripting'],
      handler(c) {
        c.help('FUNCTION', [
          'LOAD [REPLACE] <FUNCTION CODE>',
          '    Create a new library with the given library name and code.',
          'DELETE <LIBRARY NAME>',
          '    Delete the given library.',
          'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
          '    Return general information on all the libraries:',
          '    * Library name',
          '    * The engine used to run the Library',
          '    * Library description',
          '    * Functions list',
          '    * Library code (if WITHCODE is given)',
          '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
          'STATS',
          '    Return information about the current function running:',
          '    * Function name',
          '    * Command used to run the function',
          '    * Duration in MS that the function is running',
          '    If no function is running, return nil',
          '    In addition, returns a list of available engines.',
          'KILL',
          '    Kill the current running function.',
          'FLUSH [ASYNC|SYNC]',
          '    Delete all the libraries.',
          '    When called without the optional mode argument, the behavior is determined by the',
          '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
          '    * ASYNC: Asynchronously flush the libraries.',
          '    * SYNC: Synchronously flush the libraries.',
          'DUMP',
          '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
          'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
          '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
          '    control how to handle existing libraries (default APPEND):',
          '    * FLUSH: delete all existing libraries.',
          '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
          '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
          '      libraries with the new libraries (notice that even on this option there is a chance of failure',
          '      in case of functions name collision with another library).',
        ]);
      },
    },
  ],
} as const satisfies CommandDef;

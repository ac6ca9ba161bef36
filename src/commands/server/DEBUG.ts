/*
 * DEBUG <subcommand>: the testing helpers of redis/src/debug.c that make sense
 * for Nodis (behind enable-debug-command, checked by dispatch): HELP, SLEEP,
 * SET-ACTIVE-EXPIRE, PAUSE-CRON, SET-SKIP-CHECKSUM-VALIDATION, SET-DISABLE-DENY-SCRIPTS, LOG, OBJECT, POPULATE, DIGEST, DIGEST-VALUE, PROTOCOL,
 * JMAP, CHANGE-REPL-ID, QUICKLIST-PACKED-THRESHOLD, STRINGMATCH-TEST.
 * Others answer Redis's "unknown subcommand or wrong number of arguments".
 * DEBUG RELOAD and friends belong to persistence, which installs them in
 * server.ext 'debug-subcommands' (name -> handler).
 */
import type { CommandDef, Handler } from '../registry.js';
import type { Client } from '../../server/client.js';
import { ERR_LOADING } from '../../protocol/errors.js';
import { datasetDigest, keyDigestHex, objectLine } from './debug-ops.js';
import { memtoull } from '../../server/config-params.js';

/** Block the whole process like nanosleep in Redis's event loop. */
function sleepSync(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const HELP = [
  'AOF-FLUSH-SLEEP <microsec>', '    Server will sleep before flushing the AOF, this is used for testing.',
  'ASSERT', '    Crash by assertion failed.',
  'CHANGE-REPL-ID', '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'CONFIG-REWRITE-FORCE-ALL', '    Like CONFIG REWRITE but writes all configuration options, including',
  '    keywords not listed in original configuration file or default values.',
  'CRASH-AND-RECOVER [<milliseconds>]', '    Hard crash and restart after a <milliseconds> delay (default 0).',
  'DIGEST', '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]', '    Output a hex signature of the values of all the specified keys.',
  'ERROR <string>', '    Return a Redis protocol error with <string> as message. Useful for clients',
  '    unit tests to simulate Redis errors.',
  'LEAK <string>', '    Create a memory leak of the input string.',
  'LOG <message>', '    Write <message> to the server log.',
  'HTSTATS <dbid>', '    Return hash table statistics of the specified Redis database.',
  'HTSTATS-KEY <key>', "    Like HTSTATS but for the hash table stored at <key>'s value.",
  'LOADAOF', '    Flush the AOF buffers on disk and reload the AOF in memory.',
  'REPLICATE <string>', '    Replicates the provided string to replicas, allowing data divergence.',
  'MALLCTL <key> [<val>]', '    Get or set a malloc tuning integer.',
  'MALLCTL-STR <key> [<val>]', '    Get or set a malloc tuning string.',
  'OBJECT <key>', '    Show low level info about `key` and associated value.',
  'DROP-CLUSTER-PACKET-FILTER <packet-type>', '    Drop all packets that match the filtered type. Set to -1 allow all packets.',
  'OOM', '    Crash the server simulating an out-of-memory error.',
  'PANIC', '    Crash the server simulating a panic.',
  'POPULATE <count> [<prefix>] [<size>]', '    Create <count> string keys named key:<num>. If <prefix> is specified then',
  '    it is used instead of the \'key\' prefix. These are not propagated to',
  '    replicas. Cluster slots are not respected so keys not belonging to the',
  '    current node can be created in cluster mode.',
  'PROTOCOL <type>', '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,', '    true, false.',
  'RELOAD [option ...]', '    Save the RDB on disk and reload it back to memory. Valid <option> values:',
  '    * MERGE: conflicting keys will be loaded from RDB.',
  '    * NOFLUSH: the existing database will not be removed before load, but',
  '      conflicting keys will generate an exception and kill the server.',
  '    * NOSAVE: the database will be loaded from an existing RDB file.', '    Examples:',
  '    * DEBUG RELOAD: verify that the server is able to persist, flush and reload', '      the database.',
  '    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an', '      existing RDB file.',
  '    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB', '      file to the database.',
  'RESTART [<milliseconds>]', '    Graceful restart: save config, db, restart after a <milliseconds> delay (default 0).',
  'SDSLEN <key>', '    Show low level SDS string info representing `key` and value.',
  'SEGFAULT', '    Crash the server with sigsegv.',
  'SET-ACTIVE-EXPIRE <0|1>', '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the', '    default.',
  'QUICKLIST-PACKED-THRESHOLD <size>', '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'SET-SKIP-CHECKSUM-VALIDATION <0|1>', "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
  'SLEEP <seconds>', '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST', '    Run a fuzz tester against the stringmatchlen() function.',
  'STRUCTSIZE', '    Return the size of different Redis core C structures.',
  'LISTPACK <key>', '    Show low level info about the listpack encoding of <key>.',
  'QUICKLIST <key> [<0|1>]', '    Show low level info about the quicklist encoding of <key>.',
  '    The optional argument (0 by default) sets the level of detail',
  'CLIENT-EVICTION', '    Show low level client eviction pools info (maxmemory-clients).',
  'PAUSE-CRON <0|1>', '    Stop periodic cron job processing.',
  'REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>', '    Sets the time (in milliseconds) to wait between client reply buffer peak resets.',
  '    In case NEVER is provided the last observed peak will never be reset',
  '    In case RESET is provided the peak reset time will be restored to the default value',
  'REPLYBUFFER RESIZING <0|1>', '    Enable or disable the reply buffer resize cron job',
  'CLUSTERLINK KILL <to|from|all> <node-id>', '    Kills the link based on the direction to/from (both) with the provided node.',
];

/** atoi: leading spaces, sign, digits; 0 when none. */
const atoi = (s: string): number => { const m = /^\s*([+-]?\d+)/.exec(s); return m ? parseInt(m[1]!, 10) : 0; };

/** strtod prefix parse (DEBUG SLEEP ignores trailing junk). */
const strtod = (s: string): number => { const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s); return m ? Number(m[0]) : 0; };

const handlers: Record<string, { argc: (n: number) => boolean; run: Handler }> = {
  help: { argc: (n) => n === 2, run: (c) => c.help('DEBUG', HELP) },
  log: {
    argc: (n) => n === 3,
    run(c, argv) { c.server.log.warning(`DEBUG LOG: ${argv[2]}`); c.ok(); },
  },
  sleep: {
    argc: (n) => n === 3,
    run(c, argv) { sleepSync(Math.floor(strtod(argv[2]!) * 1e6) / 1000); c.ok(); },
  },
  'set-skip-checksum-validation': {
    argc: (n) => n === 3,
    run(c, argv) { c.server.skipChecksumValidation = atoi(argv[2]!) !== 0; c.ok(); },
  },
  'set-disable-deny-scripts': {
    argc: (n) => n === 3,
    run(c, argv) { c.server.scriptDisableDenyScript = atoi(argv[2]!) !== 0; c.ok(); },
  },
  'pause-cron': {
    argc: (n) => n === 3,
    run(c, argv) { c.server.pauseCron = atoi(argv[2]!) !== 0; c.ok(); },
  },
  'set-active-expire': {
    argc: (n) => n === 3,
    run(c, argv) { c.server.activeExpireEnabled = atoi(argv[2]!) !== 0; c.ok(); },
  },
  object: {
    argc: (n) => n === 3,
    run(c, argv) {
      // the key as stored, expired or not (Redis looks it up with dictFind)
      const v = c.db.hint(argv[2]!);
      if (v === undefined) { c.error('ERR no such key'); return; }
      c.simple(objectLine(c, argv[2]!, v));
    },
  },
  populate: {
    argc: (n) => n >= 3 && n <= 5,
    run(c, argv) {
      const count = toPositive(argv[2]!);
      if (count === null) { c.error('ERR value is out of range, must be positive'); return; }
      let size = 0;
      if (argv.length === 5) {
        const s = toPositive(argv[4]!);
        if (s === null) { c.error('ERR value is out of range, must be positive'); return; }
        size = s;
      }
      const prefix = argv.length >= 4 ? argv[3]! : 'key';
      const db = c.db;
      for (let j = 0; j < count; j++) {
        const key = `${prefix}:${j}`;
        if (db.has(key)) continue;
        let val = `value:${j}`;
        if (size > 0) val = size <= val.length ? val.slice(0, size) : val + '\0'.repeat(size - val.length);
        db.set(key, val);
        c.server.recorder.keyModified(db, key);
      }
      c.ok();
    },
  },
  digest: { argc: (n) => n === 2, run(c) { c.simple(datasetDigest(c)); } },
  'digest-value': {
    argc: (n) => n >= 2,
    run(c, argv) {
      c.array(argv.length - 2);
      for (const key of argv.slice(2)) c.simple(keyDigestHex(c.db, key));
    },
  },
  protocol: {
    argc: (n) => n === 3,
    run(c, argv) {
      switch (argv[2]!.toLowerCase()) {
        case 'string': c.bulk('Hello World'); break;
        case 'integer': c.int(12345); break;
        case 'double': c.double(3.141); break;
        case 'bignum': c.bigNumber('1234567999999999999999999999999999999'); break;
        case 'null': c.null(); break;
        case 'array': c.array(3); for (let j = 0; j < 3; j++) c.int(j); break;
        case 'set': c.set(3); for (let j = 0; j < 3; j++) c.int(j); break;
        case 'map': c.map(3); for (let j = 0; j < 3; j++) { c.int(j); c.bool(j === 1); } break;
        case 'attrib':
          if (c.resp >= 3) c.raw('|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n');
          c.bulk('Some real reply following the attribute');
          break;
        case 'push':
          if (c.resp < 3) { c.error('ERR RESP2 is not supported by this command'); return; }
          c.push(2); c.bulk('server-cpu-usage'); c.int(42);
          c.bulk('Some real reply following the push reply');
          break;
        case 'true': c.bool(true); break;
        case 'false': c.bool(false); break;
        case 'verbatim': c.verbatim('This is a verbatim\nstring'); break;
        default:
          c.error('ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false');
      }
    },
  },
  jmap: {
    argc: (n) => n === 2,
    run(c) {
      const m = process.memoryUsage();
      c.server.log.warning(`DEBUG JMAP: heapUsed=${m.heapUsed} heapTotal=${m.heapTotal} external=${m.external} rss=${m.rss}`);
      c.ok();
    },
  },
  'change-repl-id': {
    argc: (n) => n === 2,
    run(c) {
      c.server.log.warning('Changing replication IDs after receiving DEBUG change-repl-id');
      const change = c.server.ext.get('change-repl-id') as (() => void) | undefined;
      change?.();
      c.ok();
    },
  },
  'quicklist-packed-threshold': {
    argc: (n) => n === 3,
    run(c, argv) {
      const sz = memtoull(argv[2]!);
      if (sz === null || sz >= 4n * 1024n * 1024n * 1024n) {
        c.error('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
        return;
      }
      c.server.ext.set('quicklist-packed-threshold', sz === 0n ? 1 << 30 : Number(sz));
      c.ok();
    },
  },
  // the CLI installs the crash handler (server/crash.ts): a bug report, then death by the signal, as Redis
  segfault: { argc: (n) => n === 2, run(c) { crash(c, 'SIGSEGV'); } },
  panic: { argc: (n) => n === 2, run(c) { crash(c, 'SIGABRT'); } },
  'stringmatch-test': { argc: (n) => n === 2, run(c) { c.simple('Apparently Redis did not crash: test passed'); } },
};

/** DEBUG SEGFAULT / PANIC: crash through the CLI's handler; an embedded server does not take its host down. */
function crash(c: Client, sig: 'SIGSEGV' | 'SIGABRT'): void {
  const h = c.server.ext.get('crash') as ((sig: 'SIGSEGV' | 'SIGABRT') => never) | undefined;
  if (h === undefined) { c.error('ERR DEBUG SEGFAULT and PANIC are not available in an embedded server'); return; }
  h(sig);
}

/** getPositiveLongFromObjectOrReply: an integer >= 0, or null. */
function toPositive(s: string): number | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s)) return null;
  const n = Number(s);
  return n < 0 || !Number.isSafeInteger(n) ? null : n;
}

export const DEBUG = {
  name: 'debug', group: 'server', summary: 'A container for debugging commands', since: '1.0.0',
  complexity: 'Depends on subcommand.',
  arity: -2, flags: ['admin', 'noscript', 'loading', 'stale', 'protected'],
  docFlags: ['syscmd'],
  handler(c, argv) {
    const sub = argv[1]!.toLowerCase();
    // DEBUG may run while loading (its loading flag), but not load again over a load in progress
    // (DEBUG LOADAOF loads in slices: another client's RELOAD or LOADAOF would land in the middle of it)
    if ((sub === 'reload' || sub === 'loadaof') && c.server.persistence.loading) { c.error(ERR_LOADING); return; }
    const ext = (c.server.ext.get('debug-subcommands') as Map<string, Handler> | undefined)?.get(sub);
    if (ext) { ext(c, argv); return; }
    const h = handlers[sub];
    if (h && h.argc(argv.length)) { h.run(c, argv); return; }
    c.error(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try DEBUG HELP.`);
  },
} as const satisfies CommandDef;

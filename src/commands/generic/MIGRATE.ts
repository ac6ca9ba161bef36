/*
 * MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE]
 * [AUTH password | AUTH2 username password] [KEYS key ...]
 * (redis/src/cluster.c migrateCommand; the connections, the request and the
 * replies are in src/cluster/migrate-worker.ts).
 *
 * As Redis: options are parsed first (AUTH/AUTH2 arguments are redacted from
 * SLOWLOG and MONITOR: server/redact.ts), then the timeout and the db
 * (timeout <= 0 means 1000 ms); the keys are looked up as reads and the
 * missing ones skipped (+NOKEY when none is left); each remaining key goes
 * as RESTORE key ttl payload [REPLACE] (RESTORE-ASKING in cluster mode),
 * preceded by AUTH and by SELECT when the cached connection's db differs.
 * Keys the target acknowledged are deleted unless COPY (dirty, signal,
 * "del" event each) and the command propagates as DEL of those keys; +OK
 * when the target acknowledged everything, else its first error as
 * "Target instance replied with error: ...", or an IOERR.
 *
 * Not blocking the server (Redis blocks it for the whole transfer): at
 * command time the keys' DUMP payloads and expire times are taken (the
 * snapshot that is sent), the client waits (blocked, like BLPOP: its next
 * commands wait too) and every other client is served meanwhile. When the
 * outcome comes, a key acknowledged by the target is deleted only if nothing
 * wrote it since the snapshot: a key written meanwhile (changed, deleted,
 * expired, renamed over, flushed) keeps its newer local value, and the
 * target holds the value as it was at command time; the reply is what the
 * target said either way. So no write is ever lost, and when nothing
 * touches the keys during the transfer the outcome is exactly Redis's. A
 * client that disconnects meanwhile still gets its keys deleted (the target
 * has them) but no reply; a server that became a replica meanwhile deletes
 * nothing. While clients are paused for writes the deletion (and the reply)
 * waits for the pause to end. Inside MULTI/EXEC or a script, which cannot
 * wait, MIGRATE runs synchronously and blocks the server as in Redis.
 *
 * Seen from outside, the waiting client is blocked (CLIENT LIST flag b,
 * INFO blocked_clients; CLIENT UNBLOCK does not end the wait, as MIGRATE is
 * not a blocking command in Redis); INFO commandstats counts the whole wait
 * in the call's time, while SLOWLOG and LATENCY see only the command's own
 * run (the snapshot), not the transfer.
 */
import type { CommandDef } from '../registry.js';
import type { Client } from '../../server/client.js';
import type { Db } from '../../keyspace/db.js';
import { toBigInt } from '../args.js';
import {
  ERR_MIGRATE_CONNECT, ERR_MIGRATE_KEYS_NOT_EMPTY, ERR_NOT_INTEGER, ERR_SYNTAX, errMigrateIo, errMigrateTarget,
} from '../../protocol/errors.js';
import { NOTIFY_GENERIC } from '../../keyspace/notify.js';
import { dumpPayload, saveOptionsOf } from '../../persistence/rdb/index.js';
import { migratorOf, type MigrateRequest, type MigrateResult, type TouchedKeys } from '../../cluster/migrate.js';
import { clusterEnabled } from './common.js';
import { performance } from 'node:perf_hooks';

/** migrateGetKeys: the key argument, or with KEYS (and an empty key argument) every argument after it. */
function migrateKeys(argv: readonly string[]): number[] {
  let first = 3;
  let num = 1;
  const skip: Record<string, number> = { copy: 0, replace: 0, auth: 1, auth2: 2 };
  for (let i = 6; i < argv.length; i++) {
    const a = argv[i]!.toLowerCase();
    if (a === 'keys') {
      if (argv[3]!.length > 0) num = 0; // a syntax error, left to the command
      else { first = i + 1; num = argv.length - first; }
      break;
    }
    if (a in skip) i += skip[a]!;
  }
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(first + i);
  return out;
}

export const MIGRATE = {
  name: 'migrate', group: 'generic', summary: 'Atomically transfer a key from a Redis instance to another one.', since: '2.6.0',
  complexity: 'This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.',
  arity: -6, flags: ['write'], acl: ['keyspace', 'dangerous'], tips: ['nondeterministic_output'],
  keySpecs: [
    { flags: ['RW', 'access', 'delete'], begin: { index: 3 }, find: { range: [0, 1, 0] } },
    { flags: ['RW', 'access', 'delete', 'incomplete'], begin: { keyword: 'KEYS', startfrom: -2 }, find: { range: [-1, 1, 0] } },
  ],
  history: [
    ['3.0.0', 'Added the `COPY` and `REPLACE` options.'], ['3.0.6', 'Added the `KEYS` option.'],
    ['4.0.7', 'Added the `AUTH` option.'], ['6.0.0', 'Added the `AUTH2` option.'],
  ],
  arguments: [
    { name: 'host', type: 'string' },
    { name: 'port', type: 'integer' },
    {
      name: 'key_or_empty_string', type: 'oneof', arguments: [
        { name: 'key', type: 'key', key_spec_index: 0 },
        // migrate.json's token "\"\"" is the C literal """" in commands.c: an empty string
        { name: 'empty_string', type: 'pure-token', token: '' },
      ],
    },
    { name: 'destination-db', type: 'integer' },
    { name: 'timeout', type: 'integer' },
    { name: 'copy', type: 'pure-token', token: 'COPY', optional: true, since: '3.0.0' },
    { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true, since: '3.0.0' },
    {
      name: 'authentication', type: 'oneof', optional: true, arguments: [
        { name: 'password', type: 'string', token: 'AUTH', optional: true, since: '4.0.7' },
        {
          name: 'username_password', type: 'block', token: 'AUTH2', optional: true, since: '6.0.0', arguments: [
            { name: 'username', type: 'string' },
            { name: 'password', type: 'string' },
          ],
        },
      ],
    },
    { name: 'key', type: 'key', token: 'KEYS', optional: true, multiple: true, since: '3.0.6', key_spec_index: 1 },
  ],
  getKeys: migrateKeys,
  handler(c, argv) {
    const server = c.server;
    let copy = false;
    let replace = false;
    let username: string | null = null;
    let password: string | null = null;
    let firstKey = 3;
    let numKeys = 1;
    for (let j = 6; j < argv.length; j++) {
      const opt = argv[j]!.toLowerCase();
      const moreargs = argv.length - 1 - j;
      if (opt === 'copy') copy = true;
      else if (opt === 'replace') replace = true;
      else if (opt === 'auth') {
        if (moreargs < 1) { c.error(ERR_SYNTAX); return; }
        password = argv[++j]!;
      } else if (opt === 'auth2') {
        if (moreargs < 2) { c.error(ERR_SYNTAX); return; }
        username = argv[++j]!;
        password = argv[++j]!;
      } else if (opt === 'keys') {
        if (argv[3]!.length !== 0) { c.error(ERR_MIGRATE_KEYS_NOT_EMPTY); return; }
        firstKey = j + 1;
        numKeys = argv.length - j - 1;
        break;
      } else { c.error(ERR_SYNTAX); return; }
    }
    const timeoutArg = toBigInt(argv[5]!);
    if (timeoutArg === null) { c.error(ERR_NOT_INTEGER); return; }
    const dbid = toBigInt(argv[4]!);
    if (dbid === null) { c.error(ERR_NOT_INTEGER); return; }
    const timeout = timeoutArg <= 0n ? 1000 : Number(timeoutArg);

    // the keys that are here (lookupKeyRead), with the snapshot sent: DUMP payload and expire time
    const db = c.db;
    const keys: string[] = [];
    const expireAt: number[] = [];
    const payloads: Buffer[] = [];
    const opts = saveOptionsOf(server.config);
    for (let j = 0; j < numKeys; j++) {
      const key = argv[firstKey + j]!;
      const v = db.get(key);
      if (v === undefined) { server.keyMiss(db, key); continue; }
      server.stats.keyspaceHits++;
      keys.push(key);
      expireAt.push(db.getExpire(key));
      payloads.push(dumpPayload(v, opts));
    }
    if (keys.length === 0) { c.simple('NOKEY'); return; }

    const req: MigrateRequest = {
      host: argv[1]!, port: argv[2]!, timeout, dbid: dbid.toString(), username, password, replace, copy,
      // Redis sends RESTORE-ASKING in cluster mode (the target may be importing the slot); RESTORE otherwise
      restore: clusterEnabled(server) ? 'RESTORE-ASKING' : 'RESTORE',
      keys, expireAt, payloads,
    };
    const migrator = migratorOf(server);
    if (server.nestedCalls === 1 && !c.inMulti && !c.isScript && !c.isMaster) {
      const cmd = c.cmd!;
      const started = performance.now();
      const wasReplica = server.masterhost !== null;
      c.blocked = true;
      migrator.start(req, db, (r, touched) => {
        // turned into a replica meanwhile: its data is the master's now, nothing of ours to delete
        const keep = !wasReplica && server.masterhost !== null;
        finishWaiting(c, db, keys, copy || keep, r, touched, cmd, started);
      });
      return;
    }
    // MULTI/EXEC, scripts: nothing can wait, the transfer blocks the server as in Redis
    const r = migrator.runSync(req);
    const deleted = deleteAcked(c, db, keys, copy, r, () => false);
    if (deleted.length > 0) c.propagateArgv = ['DEL', ...deleted];
    reply(c, r);
  },
} as const satisfies CommandDef;

/**
 * Delete the keys the target acknowledged (unless COPY), as Redis does for
 * each: dbDelete, signal, "del" event, dirty. Keys written since the snapshot
 * stay. Returns the keys for the propagated DEL.
 */
function deleteAcked(c: Client, db: Db, keys: readonly string[], copy: boolean, r: MigrateResult, touched: TouchedKeys): string[] {
  if (copy) return [];
  const server = c.server;
  // the db was replaced (a full resync or DEBUG RELOAD loaded other data): nothing here is what was sent
  if (server.dbs[db.id] !== db) return [];
  const out: string[] = [];
  for (const i of r.acked) {
    const key = keys[i]!;
    if (touched(key)) continue;
    db.delete(key);
    server.recorder.keyWritten(db, key, NOTIFY_GENERIC, 'del');
    out.push(key);
  }
  return out;
}

function reply(c: Client, r: MigrateResult): void {
  switch (r.outcome) {
    case 'ok': c.ok(); break;
    case 'target': c.error(errMigrateTarget(r.text)); break;
    case 'connect': c.error(ERR_MIGRATE_CONNECT); break;
    case 'read': c.error(errMigrateIo('reading')); break;
    case 'write': c.error(errMigrateIo('writing')); break;
    default: c.error(`ERR internal error in 'migrate': ${r.text}`.replace(/[\r\n]/g, ' '));
  }
}

/**
 * The outcome of a MIGRATE whose client waited: the deletions go out as one
 * DEL (as the rewritten command would), then the reply, under the client's
 * CLIENT REPLY mode; the command's stats take the wait and a failure.
 */
function finishWaiting(c: Client, db: Db, keys: readonly string[], copy: boolean, r: MigrateResult, touched: TouchedKeys,
  cmd: NonNullable<Client['cmd']>, started: number): void {
  const server = c.server;
  const rec = server.recorder;
  const prev = server.currentClient;
  // the client's own write: WAIT counts its DEL (replication sets the client's woff from current_client)
  server.currentClient = c;
  try {
    const deleted = deleteAcked(c, db, keys, copy, r, touched);
    if (deleted.length > 0) rec.propagate(db.id, ['DEL', ...deleted]);
    rec.flush(true);
  } finally {
    server.currentClient = prev;
  }
  server.blocking.handleReadyKeys();
  cmd.stats.usec += Math.round((performance.now() - started) * 1000);
  if (r.outcome !== 'ok') cmd.stats.failed++;
  c.blocked = false;
  if (c.closed) return;
  const before = c.outLen;
  reply(c, r);
  if (c.replyOff || c.replySkip) c.truncateOutput(before);
  c.replySkip = c.replySkipNext;
  c.replySkipNext = false;
  c.flush();
  queueMicrotask(() => { if (!c.closed && !c.blocked) c.processInput(); });
}

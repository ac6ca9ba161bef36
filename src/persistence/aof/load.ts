/*
 * Loading the AOF at start-up (loadAppendOnlyFiles / loadSingleAppendOnlyFile):
 * the base (an RDB, or commands) then every incr file in manifest order.
 * Commands are replayed through the command table on a fake client (Redis's
 * AOF client: no replies kept, never blocked, no dispatcher checks); MULTI ...
 * EXEC blocks are gathered and run only once their EXEC is read, so a file
 * cut inside a transaction loses the whole transaction, never half of it.
 *
 * Loading is written as generators that yield every few thousand commands (or
 * 64 KB of an RDB base): runSync drives them in one go (small files, DEBUG
 * LOADAOF); runSliced pauses at a yield once a time slice is used, so a big
 * start-up load runs across event-loop turns while the server answers
 * -LOADING, with INFO's loading_* progress (Redis processes events while it
 * loads, processEventsWhileBlocked).
 *
 * Outcomes per file: ok, truncated (aof-load-truncated yes: cut at the last
 * complete command, warn and carry on; allowed only for the last file), empty,
 * not_exist, failed (format error, unknown command, truncation refused). The
 * caller stops start-up on failed, with the file and offset in the message.
 */
import { readFileSync, statSync, truncateSync, type Stats } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { loadFunction } from '../loading.js';
import type { Server } from '../../server/server.js';
import { Client } from '../../server/client.js';
import { RdbLoader } from '../rdb/index.js';
import { debugDelay, rdbSteps, runSync, stepBytes, type LoadSteps } from '../loading.js';
import { AofReader } from './reader.js';
import type { Manifest } from './manifest.js';

export type LoadResult = 'ok' | 'truncated' | 'empty' | 'not_exist' | 'open_err' | 'failed';

/**
 * Start-up stops on this. Redis's own log lines for the failure are written
 * before it is thrown (then Redis just exits 1), so `logged` tells the
 * start-up code not to log it again; the message adds file and offset for
 * embedders.
 */
export class AofLoadError extends Error {
  readonly logged = true;
}

/** A client that no socket backs: replies accumulate in `out` and are dropped. */
export function fakeClient(server: Server): Client {
  const sock = { remoteAddress: '', remotePort: 0, localAddress: '', localPort: 0, writableLength: 0, write: () => true } as unknown as Socket;
  const c = new Client(server, sock, Number.MAX_SAFE_INTEGER);
  c.authenticated = true;
  c.user = server.acl.superuser;
  return c;
}

/** Run one command the way the AOF loader does (the handler, then propagation bookkeeping). */
export function replay(server: Server, c: Client, argv: string[]): boolean {
  const cmd = server.table.lookup(argv);
  if (cmd === undefined) return false;
  server.setClock(Date.now());
  server.nestedCalls++;
  const prev = server.currentClient;
  server.currentClient = c;
  c.cmd = cmd;
  c.argv = argv;
  try {
    cmd.handler(c, argv);
  } catch (e) {
    server.log.warning(`Error replaying ${cmd.fullname} from the AOF: ${(e as Error).message}`);
  } finally {
    server.nestedCalls--;
    server.currentClient = prev;
  }
  c.propagateArgv = null;
  c.preventPropagation = false;
  c.outLen = 0;
  server.recorder.flush();
  return true;
}

/** The end of the replayed script still running (a load in slices, persistence.scriptsMayYield). */
function scriptEnd(server: Server): Promise<void> {
  const wait = server.persistence.scriptWait;
  if (wait === null) throw new Error('a replayed command blocked with no script running');
  return wait();
}

/** Commands replayed between two yields. */
const CMDS_PER_STEP = 1024;

export function loadSingle(server: Server, aofDir: string, name: string): LoadResult {
  return runSync(loadSingleSteps(server, aofDir, name));
}

/** Load one AOF file (an RDB base, commands, or an RDB preamble followed by commands). `onPos` reports bytes read. */
export function* loadSingleSteps(server: Server, aofDir: string, name: string, onPos?: (pos: number) => void): LoadSteps<LoadResult> {
  const path = join(aofDir, name);
  const log = server.log;
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') { log.warning(`The append log file ${name} doesn't exist: No such file or directory`); return 'not_exist'; }
    log.warning(`Fatal error: can't open the append log file ${name} for reading: ${err.message}`);
    return 'open_err';
  }
  if (data.length === 0) return 'empty';
  let start = 0;
  if (data.length >= 5 && data.toString('latin1', 0, 5) === 'REDIS') {
    log.notice('Reading RDB base file on AOF loading...');
    const fail = (e: unknown): never => {
      log.warning(`Error reading the RDB base file ${name}, AOF loading aborted: ${(e as Error).message}`);
      throw new AofLoadError(`Bad RDB base file ${name}: ${(e as Error).message}`);
    };
    let loader: RdbLoader | null = null;
    try {
      loader = new RdbLoader(data, (dbid, key, v, expireMs) => {
        const db = server.dbs[dbid];
        if (!db) throw new Error(`database ${dbid} out of range`);
        db.delete(key);
        db.insert(key, v, server.accessClock(0));
        if (expireMs !== -1) db.setExpire(key, expireMs);
      }, { dbnum: server.dbs.length, onFunction: (code) => loadFunction(server, code, false) });
    } catch (e) { fail(e); }
    try { yield* rdbSteps(loader!, onPos, stepBytes(server)); } catch (e) { fail(e); }
    // an old-style AOF (or a Redis < 7 rewrite) continues with commands after the RDB preamble
    start = loader!.pos;
  }
  const r = new AofReader(data, start);
  const c = fakeClient(server);
  let validUpTo = start;
  let multi: string[][] | null = null;
  let validBeforeMulti = start;
  let n = 0;
  const delayUs = server.config.num('key-load-delay');
  for (;;) {
    const argv = r.next();
    if (argv === null) break;
    if (++n === CMDS_PER_STEP) { n = 0; onPos?.(r.pos); yield; }
    const name0 = argv[0]!.toLowerCase();
    if (server.table.lookup(argv) === undefined) {
      log.warning(`Unknown command '${argv[0]}' reading the append only file ${name}`);
      throw new AofLoadError(`Unknown command '${argv[0]}' reading the append only file ${name} at offset ${r.cmdStart}`);
    }
    if (name0 === 'multi') {
      validBeforeMulti = validUpTo;
      multi = [];
    } else if (name0 === 'exec' && multi !== null) {
      for (const a of multi) {
        replay(server, c, a);
        if (c.blocked) yield scriptEnd(server);
      }
      multi = null;
    } else if (multi !== null) {
      multi.push(argv);
    } else {
      replay(server, c, argv);
      // a script past busy-reply-threshold goes on in the background (clients get -LOADING): the load waits for it
      if (c.blocked) yield scriptEnd(server);
    }
    validUpTo = r.pos;
    if (delayUs !== 0) debugDelay(delayUs);
  }
  if (r.status === 'format') {
    log.warning(`Bad file format reading the append only file ${name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`);
    throw new AofLoadError(`Bad file format reading the append only file ${name} at offset ${r.errorOffset}: make a backup of your AOF file, then use nodis-check-aof --fix <filename.manifest>`);
  }
  if (r.status === 'ok' && multi === null) return 'ok';
  if (r.status === 'ok') {
    log.warning(`Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
    validUpTo = validBeforeMulti;
  } else if (multi !== null) {
    validUpTo = validBeforeMulti;
  }
  // unexpected end of file
  if (server.config.bool('aof-load-truncated')) {
    log.warning(`!!! Warning: short read while loading the AOF file ${name}!!!`);
    log.warning(`!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
    try {
      truncateSync(path, validUpTo);
      log.warning(`AOF ${name} loaded anyway because aof-load-truncated is enabled`);
      return 'truncated';
    } catch (e) {
      log.warning(`Error truncating the AOF file ${name}: ${(e as Error).message}`);
    }
  }
  log.warning(`Unexpected end of file reading the append only file ${name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`);
  throw new AofLoadError(`Unexpected end of file reading the append only file ${name} (last valid command ends at offset ${validUpTo})`);
}

function fileSize(path: string): number | null {
  let st: Stats;
  try { st = statSync(path); } catch { return null; }
  return st.size;
}

/** Total bytes of the files a manifest lists (null when one is missing). */
export function manifestBytes(aofDir: string, am: Manifest): number | null {
  let total = 0;
  for (const f of [...(am.base ? [am.base] : []), ...am.incrs]) {
    const s = fileSize(join(aofDir, f.name));
    if (s === null) return null;
    total += s;
  }
  return total;
}

export interface LoadAllResult { result: LoadResult; total: number; base: number }

/** Load base then incrs; returns the sizes for aof_current_size / aof_base_size. */
export function loadAll(server: Server, aofDir: string, am: Manifest): LoadAllResult {
  return runSync(loadAllSteps(server, aofDir, am));
}

/** loadAll as steps; `onProgress` gets the bytes loaded so far over all files. */
export function* loadAllSteps(server: Server, aofDir: string, am: Manifest, onProgress?: (loaded: number) => void): LoadSteps<LoadAllResult> {
  const files = [...(am.base ? [am.base] : []), ...am.incrs];
  if (files.length === 0) return { result: 'not_exist', total: 0, base: 0 };
  let total = 0;
  for (const f of files) {
    const s = fileSize(join(aofDir, f.name));
    if (s === null) {
      server.log.warning(`Unable to obtain the AOF file ${f.name} length. stat: No such file or directory`);
      throw new AofLoadError(`The AOF file ${f.name} listed in the manifest does not exist`);
    }
    total += s;
  }
  if (total === 0) return { result: 'empty', total: 0, base: 0 };
  const baseSize = am.base ? fileSize(join(aofDir, am.base.name)) ?? 0 : 0;
  const dirtyBefore = server.recorder.dirty;
  let done = 0;
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const last = i === files.length - 1;
    const t0 = Date.now();
    const r = yield* loadSingleSteps(server, aofDir, f.name, (pos) => onProgress?.(done + pos));
    done += fileSize(join(aofDir, f.name)) ?? 0;
    onProgress?.(done);
    if (r === 'ok' || (r === 'truncated' && last)) {
      server.log.notice(`DB loaded from ${f === am.base ? 'base' : 'incr'} file ${f.name}: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
    }
    if (r === 'truncated' && !last) {
      server.log.warning('Fatal error: the truncated file is not the last file');
      throw new AofLoadError(`The AOF file ${f.name} is truncated but is not the last file`);
    }
    if (r === 'open_err' || r === 'failed') throw new AofLoadError(`Failed to load the AOF file ${f.name}`);
  }
  server.recorder.dirty = dirtyBefore;
  return { result: 'ok', total, base: baseSize };
}

/*
 * The scripting engine (main thread side): the script cache (SHA1 -> body and
 * shebang flags), the Lua worker (lua-worker.ts) and the run of one script
 * (Redis's eval.c + script.c).
 *
 * A run posts {t:'run'} to the worker and waits synchronously (Atomics.wait
 * with the time left to busy-reply-threshold) serving each redis.call the
 * worker sends: the command runs through dispatch's call() on a fake script
 * client (nested: one clock, propagation gathered), its raw RESP reply goes
 * back to the worker. Scripts that end in time never leave this call stack.
 *
 * Past the threshold (a top-level EVAL from a real client, or one the AOF
 * replays during a load in slices) the run goes on in slices of the event
 * loop (pump): the caller is blocked, other
 * clients get -BUSY except for allow-busy commands (Server.busyCheck), the
 * cron is held (Server.scriptBusy: no active expiry, frozen clock), and
 * SCRIPT KILL raises the kill flag the worker's count hook polls. Nesting is
 * held (server.nestedCalls) until the script ends, then the writes go out
 * (wrapped in MULTI/EXEC when more than one) and blocked clients are served.
 */
import { constants as bufferConstants } from 'node:buffer';
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { Client } from '../server/client.js';
import type { Server, ScriptCmdFlags } from '../server/server.js';
import { call, diskError } from '../server/dispatch.js';
import { CallLane, LANE_CALL } from './call-lane.js';
import { trackingOf } from '../server/tracking.js';
import { setInfoFields } from '../server/info.js';
import { ACL_OK } from '../acl/acl.js';
import {
  ERR_BUSY_SCRIPT, ERR_OOM, ERR_READONLY,
} from '../protocol/errors.js';
import { performance } from 'node:perf_hooks';

export const FLAG_NO_WRITES = 1;
export const FLAG_ALLOW_OOM = 2;
export const FLAG_ALLOW_STALE = 4;
export const FLAG_NO_CLUSTER = 8;
export const FLAG_ALLOW_CROSS_SLOT = 16;
/** no shebang: Redis's SCRIPT_FLAG_EVAL_COMPAT_MODE */
export const FLAG_COMPAT = 32;

const FLAG_NAMES: Record<string, number> = {
  'no-writes': FLAG_NO_WRITES, 'allow-oom': FLAG_ALLOW_OOM, 'allow-stale': FLAG_ALLOW_STALE,
  'no-cluster': FLAG_NO_CLUSTER, 'allow-cross-slot-keys': FLAG_ALLOW_CROSS_SLOT,
};

/** a script past its threshold is served this long between two turns of the event loop (pump) */
const BUSY_SLICE_MS = 10;

/** looks at the worker's message counter before sleeping on it (see recv) */
const SPIN = 20000;


export interface Script { body: string; flags: number }

interface Run {
  caller: Client;
  sha: string;
  readOnly: boolean;
  allowOom: boolean;
  preOom: boolean;
  writeDirty: boolean;
  timedOut: boolean;
  topLevel: boolean;
  start: number;
  keys: string[];
  /** a function (FCALL), not an EVAL script */
  isFn: boolean;
  /** allow-cross-slot-keys: a cluster does not hold the script's keys to one slot */
  crossSlot: boolean;
}

/** A function to run (FCALL): its name, its library's load generation in the worker, its flags. */
export interface FnTarget { name: string; gen: number; flags: number }

export const sha1hex = (s: string): string => createHash('sha1').update(s, 'latin1').digest('hex');

/** evalExtractShebangFlags: flags and the shebang's length, or an error text. */
export function shebangFlags(body: string): { flags: number; len: number } | { err: string } {
  if (!body.startsWith('#!')) return { flags: FLAG_COMPAT, len: 0 };
  const end = body.indexOf('\n');
  if (end < 0) return { err: 'Invalid script shebang' };
  const parts = body.slice(0, end).split(/[ \t\r\v\f]+/).filter((p) => p !== '');
  if (parts.length === 0) return { err: 'Invalid engine in script shebang' };
  if (parts[0] !== '#!lua') return { err: `Unexpected engine in script shebang: ${parts[0]}` };
  let flags = 0;
  for (let j = 1; j < parts.length; j++) {
    const p = parts[j]!;
    if (!p.startsWith('flags=')) return { err: `Unknown lua shebang option: ${p}` };
    const list = p.slice(6);
    if (list === '') continue;
    for (const f of list.split(',')) {
      const v = FLAG_NAMES[f];
      if (v === undefined) return { err: `Unexpected flag in script shebang: ${f}` };
      flags |= v;
    }
  }
  return { flags, len: end };
}

/** The longest reply a script can receive (V8's string limit). */
const MAX_JS_REPLY = bufferConstants.MAX_STRING_LENGTH;

export class ScriptEngine {
  readonly scripts = new Map<string, Script>();
  /** bytes of script bodies (INFO used_memory_scripts_eval) */
  scriptsMemory = 0;
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private ctl: Int32Array | null = null;
  /** redis.call and its reply by shared memory (call-lane.ts) */
  private lane: CallLane | null = null;
  running: Run | null = null;
  private readonly fake: Client;
  /** the AOF loader waiting for the script that went on past its threshold (persistence.scriptWait) */
  private endWaiters: (() => void)[] = [];

  constructor(private readonly server: Server) {
    const sock = { remoteAddress: '', remotePort: 0, localAddress: '', localPort: 0, writableLength: 0, write: () => true, destroy: () => undefined, end: () => undefined } as unknown as Socket;
    this.fake = new Client(server, sock, Number.MAX_SAFE_INTEGER - 1);
    this.fake.name = '';
    this.fake.isScript = true;
    setInfoFields(server, 'memory', () => ({ number_of_cached_scripts: this.scripts.size }));
    server.persistence.scriptWait = () => new Promise<void>((resolve) => {
      if (this.running === null) resolve(); else this.endWaiters.push(resolve);
    });
  }

  // ---- worker plumbing -------------------------------------------------------------

  private ensureWorker(): void {
    if (this.worker !== null) return;
    const sab = new SharedArrayBuffer(16);
    const ctl = new Int32Array(sab);
    const { port1, port2 } = new MessageChannel();
    const lane = CallLane.create();
    const w = new Worker(new URL('./lua-worker.js', import.meta.url), { workerData: { sab, port: port2, lane: lane.sab }, transferList: [port2] });
    w.unref();
    port1.unref();
    w.on('error', (e) => this.server.log.warning(`Lua worker failed: ${e.message}`));
    const t0 = Date.now();
    while (Atomics.load(ctl, 3) !== 1) {
      if (Date.now() - t0 > 30000) throw new Error('Lua VM did not start');
      Atomics.wait(ctl, 3, 0, 50);
    }
    this.worker = w;
    this.port = port1;
    this.ctl = ctl;
    this.lane = lane;
  }

  private post(msg: unknown): void {
    this.port!.postMessage(msg);
    this.announce();
  }

  private announce(): void {
    Atomics.add(this.ctl!, 0, 1);
    Atomics.notify(this.ctl!, 0);
  }

  /** Next message from the worker, or undefined once `deadline` (performance.now() ms) passed. */
  private recv(deadline: number): any { // eslint-disable-line @typescript-eslint/no-explicit-any
    const ctl = this.ctl!;
    for (;;) {
      const seen = Atomics.load(ctl, 1);
      const r = receiveMessageOnPort(this.port!);
      if (r !== undefined) return r.message;
      if (this.lane!.waiting === LANE_CALL) {
        // a message the worker posted before it put the call in the lane goes first
        const first = receiveMessageOnPort(this.port!);
        return first !== undefined ? first.message : this.lane!.takeCall();
      }
      // the script's next redis.call usually comes within microseconds: spin a little before sleeping
      let spin = SPIN;
      while (spin-- > 0 && Atomics.load(ctl, 1) === seen);
      if (spin >= 0) continue;
      if (deadline === Infinity) { Atomics.wait(ctl, 1, seen); continue; }
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      Atomics.wait(ctl, 1, seen, left);
    }
  }

  /** After a fatal error the worker rebuilt its Lua state: compile the cached scripts again. */
  private reload(): void {
    for (const [sha, sc] of this.scripts) {
      const sb = shebangFlags(sc.body);
      this.post({ t: 'load', sha, body: sc.body.slice('len' in sb ? sb.len : 0) });
      this.recv(Infinity);
    }
    this.onReload?.();
  }

  /** the function libraries load again after the worker rebuilt its states (functions.ts) */
  onReload: (() => void) | null = null;

  // ---- function libraries (the worker's functions state) ----------------------------------

  /** luaEngineCreate: run a library's code; its functions (under load generation `gen`) or the error text. */
  loadLib(code: string, timeout: boolean): { gen: number; fns: { name: string; desc: string | null; flags: string[] }[] } | { err: string } {
    this.ensureWorker();
    this.post({ t: 'fload', code, timeout });
    let r: { t: string; gen?: number; fns?: { name: string; desc: string | null; flags: string[] }[]; err?: string; level?: number; msg?: string };
    // redis.log while loading comes first
    while ((r = this.recv(Infinity)).t === 'log') {
      const lvl = (['debug', 'verbose', 'notice', 'warning'] as const)[r.level!]!;
      this.server.log[lvl](r.msg!);
    }
    if (r.err !== undefined) return { err: r.err };
    return { gen: r.gen!, fns: r.fns! };
  }

  /** Forget the callbacks of a load generation. */
  dropLib(gen: number, names: string[]): void {
    if (this.worker === null) return;
    this.post({ t: 'fdrop', gen, names });
    this.recv(Infinity);
  }

  /** FUNCTION FLUSH: a new functions state. */
  flushLibs(): void {
    if (this.worker === null) return;
    this.post({ t: 'fflush' });
    this.recv(Infinity);
  }

  /** Stop the worker (server shutdown). */
  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }

  // ---- the cache -----------------------------------------------------------------

  /** luaCreateFunction: the SHA of body, compiled and cached; null after replying the error to c. */
  createFunction(c: Client | null, body: string): string | null {
    const sha = sha1hex(body);
    if (this.scripts.has(sha)) return sha;
    const sb = shebangFlags(body);
    if ('err' in sb) { c?.error('ERR ' + sb.err); return null; }
    this.ensureWorker();
    this.post({ t: 'load', sha, body: body.slice(sb.len) });
    const r = this.recv(Infinity) as { err: string | null };
    if (r.err !== null) { c?.error(('ERR ' + r.err).replace(/[\r\n]/g, ' ')); return null; }
    this.scripts.set(sha, { body, flags: sb.flags });
    this.scriptsMemory += body.length + 40;
    return sha;
  }

  /** SCRIPT FLUSH: a new Lua state, an empty cache. */
  flush(): void {
    this.scripts.clear();
    this.scriptsMemory = 0;
    if (this.worker === null) return;
    this.post({ t: 'flush' });
    this.recv(Infinity);
  }

  // ---- running -------------------------------------------------------------------

  /** scriptPrepareForRun + luaCallFunction for EVAL*: replies to c (now or when the script ends). */
  run(c: Client, sha: string, keys: string[], args: string[], ro: boolean, fn?: FnTarget): void {
    const server = this.server;
    const flags = fn !== undefined ? fn.flags : this.scripts.get(sha)!.flags;
    const compat = (flags & FLAG_COMPAT) !== 0;
    const preOom = server.config.maxmemory > 0 && server.performEvictions();
    if (!compat) {
      if ((flags & FLAG_NO_CLUSTER) && server.config.bool('cluster-enabled')) { c.error("ERR Can not run script on cluster, 'no-cluster' flag is set."); return; }
      // scriptPrepareForRun: a stale replica runs only allow-stale scripts
      if (!(flags & FLAG_ALLOW_STALE) && server.staleCheck !== null && server.masterhost !== null && !c.isMaster && c.cmd !== null) {
        const stale = server.staleCheck(c, c.cmd, false);
        if (stale !== null) { c.error(stale); return; }
      }
      if (!(flags & FLAG_NO_WRITES)) {
        if (server.isReadonlyReplica && !c.isMaster) { c.error('READONLY Can not run script with write flag on readonly replica'); return; }
        const p = server.persistence;
        if (!c.isMaster && p.rdbDiskError && server.config.bool('stop-writes-on-bgsave-error') && server.config.str('save') !== '') {
          c.error("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.");
          return;
        }
        if (!c.isMaster && p.aofDiskError !== null) {
          c.error(`MISCONF Redis is configured to persist data to AOF, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts. AOF error: ${p.aofDiskError.replace(/^.*AOF error: /, '')}`);
          return;
        }
        if (ro) { c.error('ERR Can not execute a script with write flag using *_ro command.'); return; }
      }
      if (preOom && !(flags & (FLAG_ALLOW_OOM | FLAG_NO_WRITES))) {
        c.error("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
        return;
      }
    }
    const run: Run = {
      caller: c, sha: fn !== undefined ? fn.name : sha, readOnly: ro || (!compat && (flags & FLAG_NO_WRITES) !== 0),
      allowOom: !compat && (flags & FLAG_ALLOW_OOM) !== 0, preOom, writeDirty: false, timedOut: false,
      topLevel: server.nestedCalls === 1, start: performance.now(), keys, isFn: fn !== undefined,
      crossSlot: !compat && (flags & FLAG_ALLOW_CROSS_SLOT) !== 0,
    };
    const fake = this.fake;
    fake.db = c.db;
    fake.resp = 2;
    fake.user = c.user;
    this.running = run;
    c.preventPropagation = true;
    this.post(fn !== undefined ? { t: 'run', sha: fn.name, keys, args, resp: c.resp, fn: fn.name, gen: fn.gen } : { t: 'run', sha, keys, args, resp: c.resp });
    const threshold = server.config.num('busy-reply-threshold');
    // a real client's script, or one the AOF replays while the load runs in slices (the load then waits for it)
    const aofReplay = c.id === Number.MAX_SAFE_INTEGER && server.persistence.loading && server.persistence.scriptsMayYield;
    const canYield = run.topLevel && threshold > 0 && !c.isMaster && (c.id < Number.MAX_SAFE_INTEGER - 1 || aofReplay) && !c.inMulti;
    const deadline = canYield ? run.start + threshold : Infinity;
    for (;;) {
      const msg = this.recv(deadline);
      if (msg === undefined) { this.goBusy(run); return; }
      if (this.handle(run, msg)) return;
    }
  }

  /** One message from the worker during a run; true once the script is done (replied). */
  private handle(run: Run, msg: any): boolean { // eslint-disable-line @typescript-eslint/no-explicit-any
    switch (msg.t) {
      case 'call': {
        const r = this.scriptCall(run, msg.argv as string[], msg.resp as 2 | 3, msg.repl as number);
        if (this.lane!.putReply(r.reply, r.err)) this.announce();
        else this.post({ t: 'reply', reply: r.reply, err: r.err });
        return false;
      }
      case 'aclcheck': {
        // luaRedisAclCheckCmdPermissionsCommand: the caller's user, no arity check (lookupCommand)
        const cmd = this.server.table.lookup(msg.argv as string[]);
        if (cmd === undefined) this.post({ t: 'acl', ok: false, err: 'Invalid command passed to redis.acl_check_cmd()' });
        else this.post({ t: 'acl', ok: this.server.acl.checkCommand(run.caller.user, cmd, msg.argv as string[]) === ACL_OK, err: null });
        return false;
      }
      case 'log': {
        const lvl = ['debug', 'verbose', 'notice', 'warning'][msg.level as number] as 'debug' | 'verbose' | 'notice' | 'warning';
        this.server.log[lvl](msg.msg as string);
        return false;
      }
      case 'done':
        if (msg.fatal === true) this.reload();
        this.finish(run, msg.out as string, msg.errs as (string | null)[]);
        return true;
      default:
        return false;
    }
  }

  /** scriptCall: the checks Redis makes on a command called from a script, then call(). */
  private scriptCall(run: Run, argv: string[], resp: 2 | 3, repl: number): { reply: string; err: string | null } {
    const server = this.server;
    const fake = this.fake;
    const cmd = server.table.lookup(argv);
    const fail = (err: string): { reply: string; err: string | null } => {
      server.stats.countError(err.startsWith('-') ? err.slice(1) : 'ERR ' + err);
      if (server.stats.errorsSinceLastLook() && cmd !== undefined) cmd.stats.rejected++;
      return { reply: '', err };
    };
    if (cmd === undefined) return fail('Unknown Redis command called from script');
    if ((cmd.arity > 0 && cmd.arity !== argv.length) || argv.length < -cmd.arity) return fail('Wrong number of args calling Redis command from script');
    if (!server.scriptDisableDenyScript && cmd.flags.has('noscript')) return fail('This Redis command is not allowed from script');
    if (!fake.user.unrestricted) {
      // scriptVerifyACL: the script runs as its caller's user
      fake.cmd = cmd;
      fake.argv = argv;
      const denied = server.acl.scriptDenyText(fake, run.caller, cmd, argv);
      if (denied !== null) return fail(denied);
    }
    const writes = cmd.isWrite || cmd.flags.has('may_replicate');
    if (run.readOnly && writes) return fail('Write commands are not allowed from read-only scripts.');
    if (cmd.isWrite && !run.writeDirty) {
      if (server.isReadonlyReplica && !run.caller.isMaster) return fail('-' + ERR_READONLY);
      const disk = diskError(server);
      if (disk !== null) return fail('-' + disk);
    }
    // scriptVerifyWriteCommandAllow: not enough good replicas (only a script without flags gets here)
    if (cmd.isWrite && server.minReplicasCheck !== null && !run.caller.isMaster) {
      const err = server.minReplicasCheck(run.caller, cmd);
      if (err !== null) return fail('-' + err);
    }
    if (!run.allowOom && server.config.maxmemory > 0 && !run.caller.isMaster && !run.writeDirty && run.preOom && cmd.denyOom) return fail('-' + ERR_OOM);
    if (cmd.isWrite) run.writeDirty = true;
    if (server.scriptClusterCheck !== null) {
      const err = server.scriptClusterCheck(run.caller, cmd, argv, run.crossSlot);
      if (err !== null) return fail(err);
    }
    fake.resp = resp;
    fake.outLen = 0;
    fake.propagateTarget = repl;
    call(server, fake, cmd, argv);
    if (cmd.isReadonly) this.trackDeclaredKeys(run);
    if (fake.outLen > MAX_JS_REPLY) {
      // a reply past V8's string limit (a big string value) cannot cross to the Lua VM as a string
      fake.outLen = 0;
      return fail(`-ERR reply of ${cmd.fullname} too long for a script (more than ${MAX_JS_REPLY} bytes)`);
    }
    const reply = fake.out;
    fake.outLen = 0;
    return { reply, err: null };
  }

  /**
   * Client side caching (call() in server.c): a script that runs a read-only
   * command makes its tracking caller remember the script's declared keys.
   */
  private trackDeclaredKeys(run: Run): void {
    const t = trackingOf(this.server);
    const st = t?.states.get(run.caller);
    if (st === undefined || st.bcast || (st.optin && !st.caching) || (st.optout && st.caching)) return;
    const id = run.caller.id;
    for (const key of run.keys) {
      let ids = t.table.get(key);
      if (ids === undefined) { ids = new Set(); t.table.set(key, ids); }
      if (!ids.has(id)) { ids.add(id); t.totalItems++; }
    }
  }

  /** The script is done: reply, propagate, and end the busy state. */
  private finish(run: Run, out: string, errs: (string | null)[]): void {
    const server = this.server;
    const c = run.caller;
    this.running = null;
    for (const e of errs) {
      if (e !== null) server.stats.countError(e);
      else if (c.cmd !== null) c.cmd.stats.failed++; // afterErrorReply with ERR_REPLY_FLAG_NO_STATS_UPDATE
    }
    if (!run.timedOut) { c.raw(out); return; }
    server.scriptBusy = false;
    server.busyCheck = null;
    if (!c.replyOff && !c.replySkip) c.raw(out);
    c.replySkip = c.replySkipNext;
    c.replySkipNext = false;
    c.blocked = false;
    server.nestedCalls--;
    if (server.nestedCalls === 0) {
      server.recorder.flush(true);
      server.blocking.handleReadyKeys();
    }
    for (const w of this.endWaiters.splice(0)) w();
    if (c.closed) return;
    c.flush();
    queueMicrotask(() => { if (!c.closed && !c.blocked) c.processInput(); });
  }

  /** Past busy-reply-threshold: keep the caller blocked, answer BUSY to others, serve the worker asynchronously. */
  private goBusy(run: Run): void {
    const server = this.server;
    const elapsed = Math.round(performance.now() - run.start);
    server.log.warning(`Slow script detected: still in execution after ${elapsed} milliseconds. You can try killing the script using the SCRIPT KILL command. Script name is: ${run.sha}.`);
    run.timedOut = true;
    run.caller.blocked = true;
    server.nestedCalls++;
    server.scriptBusy = true;
    const busy = run.isFn ? 'BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.' : ERR_BUSY_SCRIPT;
    server.busyCheck = (_c, cmd) => (cmd.flags.has('allow_busy') ? null : busy);
    this.pump(run);
  }

  /**
   * Serve the busy script's messages synchronously for up to
   * BUSY_SLICE_MS, then give the event loop a turn (other clients get
   * -BUSY or -LOADING, SCRIPT KILL gets in) and go on: as Redis's script
   * hook processes events now and then while a script is past its threshold.
   * (Waiting for each message with Atomics.waitAsync cost an event-loop hop
   * per redis.call: ~3x slower.)
   */
  private pump(run: Run): void {
    const until = performance.now() + BUSY_SLICE_MS;
    for (;;) {
      const msg = this.recv(until);
      if (msg === undefined) break;
      if (this.handle(run, msg)) return;
    }
    setImmediate(() => this.pump(run));
  }

  /** SCRIPT KILL. */
  kill(c: Client, isEval = true): void {
    const run = this.running;
    if (run === null || !run.timedOut) { c.error('NOTBUSY No scripts in execution right now.'); return; }
    if (run.caller.isMaster) { c.error('UNKILLABLE The busy script was sent by a master instance in the context of replication and cannot be killed.'); return; }
    if (run.writeDirty) {
      c.error('UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.');
      return;
    }
    if (isEval && run.isFn) { c.error('BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.'); return; }
    if (!isEval && !run.isFn) { c.error('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.'); return; }
    Atomics.store(this.ctl!, 2, 1);
    c.ok();
  }
}

export function scriptEngineOf(server: Server): ScriptEngine {
  let e = server.ext.get('scripting') as ScriptEngine | undefined;
  if (e === undefined) { e = new ScriptEngine(server); server.ext.set('scripting', e); }
  return e;
}

/** Installer (features.ts): the engine and its shutdown. */
/**
 * scriptFlagsToCmdFlags: declared script flags replace the command's write / denyoom / stale, and clear
 * may-replicate (a script that declares flags says whether it writes; a no-writes one is not held by CLIENT PAUSE WRITE).
 */
export function scriptFlagsToCmd(flags: number): ScriptCmdFlags {
  return { write: !(flags & FLAG_NO_WRITES), denyOom: !(flags & (FLAG_ALLOW_OOM | FLAG_NO_WRITES)), stale: (flags & FLAG_ALLOW_STALE) !== 0, mayReplicate: false };
}

export function installScripting(server: Server): void {
  const e = scriptEngineOf(server);
  // evalGetCommandFlags: the script's shebang flags (cached, or parsed from the body); a script without one keeps EVAL's
  server.scriptCommandFlags ??= (cmd, argv) => {
    if (!cmd.name.startsWith('eval') || argv.length < 2) return null;
    let flags: number;
    if (cmd.name.startsWith('evalsha')) {
      const sc = e.scripts.get(argv[1]!.toLowerCase());
      if (sc === undefined) return null;
      flags = sc.flags;
    } else {
      const sc = e.scripts.get(sha1hex(argv[1]!));
      if (sc !== undefined) flags = sc.flags;
      else { const sb = shebangFlags(argv[1]!); if ('err' in sb) return null; flags = sb.flags; }
    }
    return (flags & FLAG_COMPAT) !== 0 ? null : scriptFlagsToCmd(flags);
  };
  server.shutdownHooks.push(() => e.close());
}

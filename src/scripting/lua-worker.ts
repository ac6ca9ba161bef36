/*
 * The Lua 5.1 VM thread (worker_threads): the redis.* API, the sandbox, the
 * run of one script and the protocol with the main thread. The VM itself and
 * its heap helpers are in lua-vm.ts, RESP <-> Lua conversions in lua-resp.ts.
 *
 * Protocol with the main thread (engine.ts): messages on a MessagePort read
 * synchronously with receiveMessageOnPort, each one announced by bumping a
 * counter in a SharedArrayBuffer (ctl[0] main->worker, ctl[1] worker->main)
 * and Atomics.notify; the receiver blocks in Atomics.wait. ctl[2] is the kill
 * flag (SCRIPT KILL) polled by the count hook; ctl[3] says the VM is ready.
 * During a run, redis.call sends {t:'call'} and blocks for {t:'reply'} (the
 * command's raw RESP reply, parsed here into Lua values as script_lua.c does),
 * both through the shared-memory lane of call-lane.ts when they fit in it.
 *
 * Sandbox as Redis 7.0: base/table/string/math (+ debug only to build the
 * error handler), cjson/struct/cmsgpack/bit (lua-libs/), no
 * io/os/package/loadfile/dofile/print. Globals protection
 * is emulated (stock Lua has no readonly tables): scripts run with a proxy
 * environment whose __index raises "Script attempted to access nonexistent
 * global variable" and whose __newindex raises "Attempt to modify a readonly
 * table"; library tables are proxied the same way (reads pass through).
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import {
  LUA_GLOBALSINDEX, LUA_REGISTRYINDEX, MASK_COUNT, MASK_LINE, T_LIGHTUSERDATA, T_NIL, T_NUMBER, T_STRING, T_TABLE, cfn, cstr, getfield, luaError, m, pop, pushErrorTable, pushStr, setfield, toHeap, toStr, type,
} from './lua-vm.js';
import { type Out, errorInfo, fmt17g, mapNl, pushResp, replyOf } from './lua-resp.js';
import { openCjson } from './lua-libs/cjson.js';
import { openStruct } from './lua-libs/struct.js';
import { openCmsgpack } from './lua-libs/cmsgpack.js';
import { openBit } from './lua-libs/bit.js';
import { CallLane, LANE_REPLY } from './call-lane.js';

const T_FUNCTION = 6;

/* eslint-disable @typescript-eslint/no-explicit-any */
const { sab, port, lane: laneSab } = workerData as { sab: SharedArrayBuffer; port: MessagePort; lane: SharedArrayBuffer };
const ctl = new Int32Array(sab);
/** redis.call and its reply by shared memory (call-lane.ts) */
const lane = new CallLane(laneSab);

function announce(): void {
  Atomics.add(ctl, 1, 1);
  Atomics.notify(ctl, 1);
}

function send(msg: unknown): void {
  port.postMessage(msg);
  announce();
}

/** a reply to redis.call usually comes within microseconds: spin this many looks at the counter before sleeping */
const SPIN = 20000;

function recv(): any {
  for (;;) {
    const seen = Atomics.load(ctl, 0);
    const r = receiveMessageOnPort(port);
    if (r !== undefined) return r.message;
    if (lane.waiting === LANE_REPLY) {
      // a message posted before the reply was put in the lane goes first
      const first = receiveMessageOnPort(port);
      return first !== undefined ? first.message : lane.takeReply();
    }
    let spin = SPIN;
    while (spin-- > 0 && Atomics.load(ctl, 0) === seen);
    if (spin < 0) Atomics.wait(ctl, 0, seen);
  }
}

// ---- run state ---------------------------------------------------------------

interface Run { resp: 2 | 3; repl: number; sha: string }
/** FUNCTION LOAD in progress on the functions state: its generation and the functions registered so far */
let loading: { gen: number; fns: { name: string; desc: string | null; flags: string[] }[]; start: number } | null = null;
const LOAD_TIMEOUT_MS = 500;
let run: Run | null = null;

/** redisLrand48: the 48-bit LCG Redis uses for math.random (shared across scripts, like 7.0). */
let rngState = 0x1234ABCD330En;
function lrand48(): number {
  rngState = (rngState * 0x5DEECE66Dn + 0xBn) & 0xFFFFFFFFFFFFn;
  return Number(rngState >> 17n);
}

// ---- the redis.* API -------------------------------------------------------------

/** luaArgsToRedisArgv: strings and numbers; null + the error table pushed otherwise. */
function argsOf(L: number): string[] | null {
  const argc = m._lua_gettop(L) as number;
  if (argc === 0) {
    pushErrorTable(L, 'Please specify at least one argument for this redis lib call');
    return null;
  }
  const argv: string[] = [];
  let ok = true;
  for (let j = 1; j <= argc; j++) {
    const t = type(L, j);
    if (t === T_NUMBER) argv.push(fmt17g(m._lua_tonumber(L, j)));
    else if (t === T_STRING) argv.push(toStr(L, j)!);
    else { ok = false; break; }
  }
  pop(L, argc);
  if (!ok) {
    pushErrorTable(L, 'Lua redis lib command arguments must be strings or integers');
    return null;
  }
  return argv;
}

function genericCall(L: number, raise: boolean): number {
  if (run === null) {
    pushErrorTable(L, 'redis.call/pcall can only be called inside a script invocation');
    return m._lua_error(L);
  }
  const argv = argsOf(L);
  if (argv === null) return raise ? m._lua_error(L) : 1;
  if (lane.putCall(argv, run.resp, run.repl)) announce();
  else send({ t: 'call', argv, resp: run.resp, repl: run.repl });
  const r = recv() as { t: 'reply'; reply: string; err: string | null };
  if (r.err !== null) {
    pushErrorTable(L, r.err);
    m._lua_pushboolean(L, 1); setfield(L, -2, 'ignore_error_stats_update');
    return raise ? m._lua_error(L) : 1;
  }
  const reply = r.reply;
  pushResp(L, reply, 0);
  if (raise && reply.charCodeAt(0) === 45 /* - */) return m._lua_error(L);
  return 1;
}

const redisApi: Record<string, (L: number) => number> = {
  call: (L) => genericCall(L, true),
  pcall: (L) => genericCall(L, false),
  acl_check_cmd: (L) => {
    if (run === null) { pushErrorTable(L, 'redis.acl_check_cmd can only be called inside a script invocation'); return m._lua_error(L); }
    const argv = argsOf(L);
    if (argv === null) return m._lua_error(L);
    send({ t: 'aclcheck', argv });
    const r = recv() as { t: 'acl'; ok: boolean; err: string | null };
    if (r.err !== null) { pushErrorTable(L, r.err); return m._lua_error(L); }
    m._lua_pushboolean(L, r.ok ? 1 : 0);
    return 1;
  },
  sha1hex: (L) => {
    if (m._lua_gettop(L) !== 1) { pushErrorTable(L, 'wrong number of arguments'); return m._lua_error(L); }
    const s = toStr(L, 1) ?? '';
    pushStr(L, createHash('sha1').update(s, 'latin1').digest('hex'));
    return 1;
  },
  error_reply: (L) => {
    if (m._lua_gettop(L) !== 1 || type(L, -1) !== T_STRING) { pushErrorTable(L, 'wrong number or type of arguments'); return 1; }
    const e = toStr(L, -1)!;
    pushErrorTable(L, e.startsWith('-') ? e : '-' + e);
    return 1;
  },
  status_reply: (L) => {
    if (m._lua_gettop(L) !== 1 || type(L, -1) !== T_STRING) { pushErrorTable(L, 'wrong number or type of arguments'); return 1; }
    m._lua_createtable(L, 0, 1);
    m._lua_pushvalue(L, -2);
    setfield(L, -2, 'ok');
    return 1;
  },
  log: (L) => {
    const argc = m._lua_gettop(L) as number;
    if (argc < 2) { pushErrorTable(L, 'redis.log() requires two arguments or more.'); return m._lua_error(L); }
    if (!m._lua_isnumber(L, 1)) { pushErrorTable(L, 'First argument must be a number (log level).'); return m._lua_error(L); }
    const level = Math.trunc(m._lua_tonumber(L, 1));
    if (level < 0 || level > 3) { pushErrorTable(L, 'Invalid debug level.'); return m._lua_error(L); }
    const parts: string[] = [];
    for (let j = 2; j <= argc; j++) { const s = toStr(L, j); if (s !== null) parts.push(s); }
    send({ t: 'log', level, msg: parts.join(' ') });
    return 0;
  },
  setresp: (L) => {
    if (run === null) { pushErrorTable(L, 'redis.setresp can only be called inside a script invocation'); return m._lua_error(L); }
    if (m._lua_gettop(L) !== 1) { pushErrorTable(L, 'redis.setresp() requires one argument.'); return m._lua_error(L); }
    const v = Math.trunc(m._lua_tonumber(L, 1));
    if (v !== 2 && v !== 3) { pushErrorTable(L, 'RESP version must be 2 or 3.'); return m._lua_error(L); }
    run.resp = v;
    return 0;
  },
  set_repl: (L) => {
    if (run === null) { pushErrorTable(L, 'redis.set_repl can only be called inside a script invocation'); return m._lua_error(L); }
    if (m._lua_gettop(L) !== 1) { pushErrorTable(L, 'redis.set_repl() requires two arguments.'); return m._lua_error(L); }
    const v = Math.trunc(m._lua_tonumber(L, -1));
    if ((v & ~3) !== 0) { pushErrorTable(L, 'Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.'); return m._lua_error(L); }
    run.repl = v;
    return 0;
  },
  replicate_commands: (L) => { m._lua_pushboolean(L, 1); return 1; },
  breakpoint: (L) => { m._lua_pushboolean(L, 0); return 1; },
  debug: () => 0,
};

const FN_FLAGS = new Set(['no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys']);
const validName = (n: string): boolean => /^[A-Za-z0-9_]+$/.test(n);

/** redis.register_function(name, callback) / redis.register_function{function_name=, callback=, flags=, description=} (function_lua.c) */
function registerFunction(L: number): number {
  if (loading === null) { pushErrorTable(L, 'redis.register_function can only be called on FUNCTION LOAD command'); return m._lua_error(L); }
  const argc = m._lua_gettop(L) as number;
  const fail = (e: string): number => { pushErrorTable(L, e); return m._lua_error(L); };
  if (argc < 1 || argc > 2) return fail('wrong number of arguments to redis.register_function');
  let name: string | null = null;
  let desc: string | null = null;
  let flags: string[] = [];
  let cbIdx = 0;
  if (argc === 2) {
    if (type(L, 1) !== T_STRING && type(L, 1) !== T_NUMBER) return fail('first argument to redis.register_function must be a string');
    name = toStr(L, 1)!;
    if (m._lua_type(L, 2) !== T_FUNCTION) return fail('second argument to redis.register_function must be a function');
    cbIdx = 2;
  } else {
    if (type(L, 1) !== T_TABLE) return fail('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).');
    m._lua_pushnil(L);
    while (m._lua_next(L, 1)) {
      if (!m._lua_isstring(L, -2)) return fail('named argument key given to redis.register_function is not a string');
      const key = (toStr(L, -2) ?? '').toLowerCase();
      if (key === 'function_name') {
        if (type(L, -1) !== T_STRING && type(L, -1) !== T_NUMBER) return fail('function_name argument given to redis.register_function must be a string');
        name = toStr(L, -1)!;
      } else if (key === 'description') {
        if (type(L, -1) !== T_STRING && type(L, -1) !== T_NUMBER) return fail('description argument given to redis.register_function must be a string');
        desc = toStr(L, -1)!;
      } else if (key === 'callback') {
        if (m._lua_type(L, -1) !== T_FUNCTION) return fail('callback argument given to redis.register_function must be a function');
        m._lua_pushvalue(L, -1);
        setfield(L, LUA_REGISTRYINDEX, '__fn_cb_pending');
        cbIdx = -1;
      } else if (key === 'flags') {
        if (type(L, -1) !== T_TABLE) return fail('flags argument to redis.register_function must be a table representing function flags');
        const got: string[] = [];
        for (let j = 1; ; j++) {
          m._lua_pushnumber(L, j);
          m._lua_gettable(L, -2);
          const t = type(L, -1);
          if (t === T_NIL) { pop(L, 1); break; }
          if (!m._lua_isstring(L, -1)) { pop(L, 1); return fail('unknown flag given'); }
          const f = (toStr(L, -1) ?? '').toLowerCase();
          pop(L, 1);
          if (!FN_FLAGS.has(f)) return fail('unknown flag given');
          got.push(f);
        }
        flags = got;
      } else {
        return fail('unknown argument given to redis.register_function');
      }
      pop(L, 1);
    }
    if (name === null) return fail('redis.register_function must get a function name argument');
    if (cbIdx === 0) return fail('redis.register_function must get a callback argument');
  }
  // functionLibCreateFunction (its name check says "Library names" in 7.0)
  if (!validName(name!)) return fail('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long');
  if (loading.fns.some((f) => f.name === name)) return fail('Function already exists in the library');
  if (cbIdx === 2) m._lua_pushvalue(L, 2); else getfield(L, LUA_REGISTRYINDEX, '__fn_cb_pending');
  setfield(L, LUA_REGISTRYINDEX, `__fn:${loading.gen}:${name}`);
  loading.fns.push({ name: name!, desc, flags });
  return 0;
}

/** Redis's pcall: an error table thrown by redis.call comes back as its err string. */
function luaPcall(L: number): number {
  const argc = m._lua_gettop(L) as number;
  m._lua_pushboolean(L, 1);
  m._lua_insert(L, 1);
  if (m._lua_pcall(L, argc - 1, -1, 0)) {
    m._lua_remove(L, 1);
    if (type(L, -1) === T_TABLE) {
      getfield(L, -1, 'err');
      if (m._lua_isstring(L, -1)) m._lua_replace(L, -2); else pop(L, 1);
    }
    m._lua_pushboolean(L, 0);
    m._lua_insert(L, 1);
  }
  return m._lua_gettop(L);
}

function mathRandom(L: number): number {
  if (run === null) return luaError(L, 'math.random can only be called inside a script invocation');
  const r = (lrand48() % 2147483647) / 2147483647;
  switch (m._lua_gettop(L)) {
    case 0: m._lua_pushnumber(L, r); break;
    case 1: {
      const u = m._luaL_checkinteger(L, 1) | 0;
      if (!(1 <= u)) return m._luaL_argerror(L, 1, cstr('interval is empty'));
      m._lua_pushnumber(L, Math.floor(r * u) + 1);
      break;
    }
    case 2: {
      const l = m._luaL_checkinteger(L, 1) | 0;
      const u = m._luaL_checkinteger(L, 2) | 0;
      if (!(l <= u)) return m._luaL_argerror(L, 2, cstr('interval is empty'));
      m._lua_pushnumber(L, Math.floor(r * (u - l + 1)) + l);
      break;
    }
    default: return luaError(L, 'wrong number of arguments');
  }
  return 1;
}

function mathRandomseed(L: number): number {
  if (run === null) return luaError(L, 'math.randomseed can only be called inside a script invocation');
  const seed = BigInt.asUintN(32, BigInt(m._luaL_checkinteger(L, 1) | 0));
  rngState = (seed << 16n) | 0x330En;
  return 0;
}

// ---- state setup ---------------------------------------------------------------------

const fns = {
  pcall: cfn(luaPcall),
  random: cfn(mathRandom),
  randomseed: cfn(mathRandomseed),
  api: Object.fromEntries(Object.entries(redisApi).map(([k, f]) => [k, cfn(f)])) as Record<string, number>,
  globalIndex: cfn((L) => {
    // (proxy, key): look the key up in the real globals (upvalue), or fail as luaProtectedTableError
    m._lua_pushvalue(L, 2);
    m._lua_rawget(L, LUA_GLOBALSINDEX - 1); // lua_upvalueindex(1)
    if (type(L, -1) !== T_NIL) return 1;
    return luaError(L, `Script attempted to access nonexistent global variable '${toStr(L, 2) ?? ''}'`);
  }),
  readonly: cfn((L) => luaError(L, 'Attempt to modify a readonly table')),
  // setmetatable / rawset refuse the protected tables, else call the original (upvalue 1)
  guarded: cfn((L) => {
    getfield(L, LUA_REGISTRYINDEX, PROTECTED_KEY);
    m._lua_pushvalue(L, 1);
    m._lua_rawget(L, -2);
    const locked = type(L, -1) !== T_NIL;
    pop(L, 2);
    if (locked) { pushStr(L, 'Attempt to modify a readonly table'); return m._lua_error(L); } // raised in the C API: no position
    const n = m._lua_gettop(L) as number;
    m._lua_pushvalue(L, LUA_GLOBALSINDEX - 1);
    m._lua_insert(L, 1);
    m._lua_call(L, n, -1);
    return m._lua_gettop(L);
  }),
  // loadstring refuses binary chunks (Redis's Lua is built without them)
  loadstring: cfn((L) => {
    const s = type(L, 1) === T_STRING ? toStr(L, 1)! : '';
    if (s.charCodeAt(0) === 27) { m._lua_pushnil(L); pushStr(L, 'binary chunks are not allowed'); return 2; }
    const n = m._lua_gettop(L) as number;
    m._lua_pushvalue(L, LUA_GLOBALSINDEX - 1);
    m._lua_insert(L, 1);
    m._lua_call(L, n, -1);
    return m._lua_gettop(L);
  }),
  // tostring shows a NULL light userdata (cjson.null) as glibc's %p does: "userdata: (nil)"
  tostring: cfn((L) => {
    m._luaL_checkany(L, 1);
    if (type(L, 1) === T_LIGHTUSERDATA && m._lua_touserdata(L, 1) === 0) { pushStr(L, 'userdata: (nil)'); return 1; }
    m._lua_settop(L, 1);
    m._lua_pushvalue(L, LUA_GLOBALSINDEX - 1);
    m._lua_insert(L, 1);
    m._lua_call(L, 1, 1);
    return 1;
  }),
  registerFunction: cfn(registerFunction),
  loadHook: m.addFunction((L: number) => {
    if (loading !== null && Date.now() - loading.start > LOAD_TIMEOUT_MS) {
      m._lua_sethook(L, fns.loadHook, MASK_LINE, 0);
      pushErrorTable(L, 'FUNCTION LOAD timeout');
      m._lua_error(L);
    }
  }, 'vii'),
  hook: m.addFunction((L: number) => {
    if (Atomics.load(ctl, 2) === 1 && run !== null) {
      m._lua_sethook(L, fns.hook, MASK_LINE, 0);
      pushErrorTable(L, 'Script killed by user with SCRIPT KILL...');
      m._lua_error(L);
    }
  }, 'vii'),
};

/** Proxy for a table: reads pass through to it, writes fail (readonly). Leaves the proxy on the stack. */
function pushReadonlyProxy(L: number, tableIdx: number, strictGlobals: boolean): void {
  const abs = tableIdx < 0 ? m._lua_gettop(L) + tableIdx + 1 : tableIdx;
  m._lua_createtable(L, 0, 0); // proxy
  m._lua_createtable(L, 0, 3); // metatable
  if (strictGlobals) {
    m._lua_pushvalue(L, abs);
    m._lua_pushcclosure(L, fns.globalIndex, 1);
  } else {
    m._lua_pushvalue(L, abs);
  }
  setfield(L, -2, '__index');
  m._lua_pushcclosure(L, fns.readonly, 0);
  setfield(L, -2, '__newindex');
  getfield(L, LUA_REGISTRYINDEX, PROTECTED_KEY + '_mt');
  setfield(L, -2, '__metatable');
  m._lua_setmetatable(L, -2);
  getfield(L, LUA_REGISTRYINDEX, PROTECTED_KEY);
  m._lua_pushvalue(L, -2);
  m._lua_pushboolean(L, 1);
  m._lua_rawset(L, -3);
  pop(L, 1);
}

let L = 0;
/** registry field of the sandbox environment (the globals proxy) */
const ENV_KEY = '__nodis_env';
/** registry field of the set of protected proxies (setmetatable / rawset refuse them) */
const PROTECTED_KEY = '__nodis_protected';

function newState(): void {
  if (L !== 0) m._lua_close(L);
  L = buildState();
}

/** A sandboxed state: the libraries, the redis API, the error handler, the protected globals (scriptingInit). */
function buildState(): number {
  const L = m._luaL_newstate() as number;
  for (const open of ['_luaopen_base', '_luaopen_table', '_luaopen_string', '_luaopen_math', '_luaopen_debug']) {
    m[open](L);
    m._lua_settop(L, 0);
  }
  // the libraries Redis bundles (luaLoadLibraries, in its order)
  for (const open of [openCjson, openStruct, openCmsgpack, openBit]) { open(L); m._lua_settop(L, 0); }
  for (const g of ['dofile', 'loadfile', 'print']) { m._lua_pushnil(L); setfield(L, LUA_GLOBALSINDEX, g); }
  m._lua_createtable(L, 0, 0);
  setfield(L, LUA_REGISTRYINDEX, PROTECTED_KEY);
  // what getmetatable() returns for a protected table: an empty table that refuses writes
  m._lua_createtable(L, 0, 0);
  m._lua_createtable(L, 0, 2);
  m._lua_pushcclosure(L, fns.readonly, 0);
  setfield(L, -2, '__newindex');
  m._lua_pushboolean(L, 0);
  setfield(L, -2, '__metatable');
  m._lua_setmetatable(L, -2);
  setfield(L, LUA_REGISTRYINDEX, PROTECTED_KEY + '_mt');
  for (const [g, f] of [['setmetatable', fns.guarded], ['rawset', fns.guarded], ['loadstring', fns.loadstring], ['tostring', fns.tostring]] as const) {
    getfield(L, LUA_GLOBALSINDEX, g);
    m._lua_pushcclosure(L, f, 1);
    setfield(L, LUA_GLOBALSINDEX, g);
  }
  m._lua_pushcclosure(L, fns.pcall, 0);
  setfield(L, LUA_GLOBALSINDEX, 'pcall');
  // redis table
  m._lua_createtable(L, 0, 32);
  for (const [k, p] of Object.entries(fns.api)) { m._lua_pushcclosure(L, p, 0); setfield(L, -2, k); }
  const nums: [string, number][] = [['LOG_DEBUG', 0], ['LOG_VERBOSE', 1], ['LOG_NOTICE', 2], ['LOG_WARNING', 3],
    ['REPL_NONE', 0], ['REPL_AOF', 1], ['REPL_SLAVE', 2], ['REPL_REPLICA', 2], ['REPL_ALL', 3], ['REDIS_VERSION_NUM', 0x07000f]];
  for (const [k, v] of nums) { m._lua_pushnumber(L, v); setfield(L, -2, k); }
  pushStr(L, '7.0.15'); setfield(L, -2, 'REDIS_VERSION');
  setfield(L, LUA_GLOBALSINDEX, 'redis');
  getfield(L, LUA_GLOBALSINDEX, 'math');
  m._lua_pushcclosure(L, fns.random, 0); setfield(L, -2, 'random');
  m._lua_pushcclosure(L, fns.randomseed, 0); setfield(L, -2, 'randomseed');
  pop(L, 1);
  const errh = "local dbg = debug\ndebug = nil\nfunction __redis__err__handler(err)\n  local i = dbg.getinfo(2,'nSl')\n  if i and i.what == 'C' then\n    i = dbg.getinfo(3,'nSl')\n  end\n  if type(err) ~= 'table' then\n    err = {err='ERR ' .. tostring(err)}  end  if i then\n    err['source'] = i.source\n    err['line'] = i.currentline\n  end  return err\nend\n";
  m._luaL_loadbuffer(L, toHeap(errh), errh.length, cstr('@err_handler_def'));
  m._lua_pcall(L, 0, 0, 0);
  // protect the libraries: each becomes a readonly proxy of itself
  for (const lib of ['string', 'table', 'math', 'redis', 'coroutine', 'cjson', 'struct', 'cmsgpack', 'bit']) {
    getfield(L, LUA_GLOBALSINDEX, lib);
    if (type(L, -1) !== T_TABLE) { pop(L, 1); continue; }
    pushReadonlyProxy(L, -1, false);
    setfield(L, LUA_GLOBALSINDEX, lib);
    pop(L, 1);
  }
  // the scripts' environment: a strict readonly proxy of the globals; _G points to it
  m._lua_pushvalue(L, LUA_GLOBALSINDEX);
  pushReadonlyProxy(L, -1, true);
  m._lua_pushvalue(L, -1);
  setfield(L, LUA_GLOBALSINDEX, '_G');
  setfield(L, LUA_REGISTRYINDEX, ENV_KEY);
  pop(L, 1);
  return L;
}

// ---- the functions state (function_lua.c) ------------------------------------------------

/** the functions' own Lua state, as Redis's functions engine has its own */
let F = 0;
let loadGen = 0;

/**
 * A new functions state. While a library loads, the environment's __index
 * resolves only the load API (redis.register_function, redis.log, the
 * versions); while a function runs, the full globals.
 */
function newFnState(): void {
  if (F !== 0) m._lua_close(F);
  F = buildState();
  const L = F;
  // the load API: { redis = { register_function, log, LOG_*, REDIS_VERSION(_NUM) } }, protected
  m._lua_createtable(L, 0, 1);
  m._lua_createtable(L, 0, 8);
  m._lua_pushcclosure(L, fns.registerFunction, 0); setfield(L, -2, 'register_function');
  m._lua_pushcclosure(L, fns.api['log']!, 0); setfield(L, -2, 'log');
  for (const [k, v] of [['LOG_DEBUG', 0], ['LOG_VERBOSE', 1], ['LOG_NOTICE', 2], ['LOG_WARNING', 3], ['REDIS_VERSION_NUM', 0x07000f]] as const) { m._lua_pushnumber(L, v); setfield(L, -2, k); }
  pushStr(L, '7.0.15'); setfield(L, -2, 'REDIS_VERSION');
  // protected with the error metatable: a missing field is an error, not nil (luaSetErrorMetatable)
  pushReadonlyProxy(L, -1, true);
  setfield(L, -3, 'redis');
  pop(L, 1);
  // the strict __index over the load API, beside the one over the globals
  m._lua_pushcclosure(L, fns.globalIndex, 1);
  setfield(L, LUA_REGISTRYINDEX, '__nodis_load_index');
  getfield(L, LUA_REGISTRYINDEX, ENV_KEY);
  m._lua_getmetatable(L, -1);
  getfield(L, -1, '__index');
  setfield(L, LUA_REGISTRYINDEX, '__nodis_globals_index');
  pop(L, 2);
  // functions see the full API: redis.register_function is for loads only
}

/** Point the environment's __index at the load API or the globals. */
function fnEnv(load: boolean): void {
  const L = F;
  getfield(L, LUA_REGISTRYINDEX, ENV_KEY);
  m._lua_getmetatable(L, -1);
  getfield(L, LUA_REGISTRYINDEX, load ? '__nodis_load_index' : '__nodis_globals_index');
  setfield(L, -2, '__index');
  pop(L, 2);
}

/** luaEngineCreate: compile and run a library's code (after its shebang line); its functions, or the error. */
function loadLib(code: string, timeout: boolean): { gen: number; fns: { name: string; desc: string | null; flags: string[] }[] } | { err: string } {
  if (F === 0) newFnState();
  const L = F;
  const top = m._lua_gettop(L);
  if (m._luaL_loadbuffer(L, toHeap(code), code.length, cstr('@user_function')) !== 0) {
    const err = toStr(L, -1) ?? '';
    m._lua_settop(L, top);
    return { err: `Error compiling function: ${err}` };
  }
  getfield(L, LUA_REGISTRYINDEX, ENV_KEY);
  m._lua_setfenv(L, -2);
  const gen = ++loadGen;
  loading = { gen, fns: [], start: timeout ? Date.now() : Infinity };
  fnEnv(true);
  m._lua_sethook(L, fns.loadHook, MASK_COUNT, 100000);
  const failed = m._lua_pcall(L, 0, 0, 0) !== 0;
  m._lua_sethook(L, 0, 0, 0);
  fnEnv(false);
  const got = loading;
  loading = null;
  if (failed) {
    const info = errorInfo(L);
    m._lua_settop(L, top);
    dropFns(gen, got.fns.map((f) => f.name));
    return { err: `Error registering functions: ${info.msg}` };
  }
  m._lua_settop(L, top);
  return { gen, fns: got.fns };
}

/** Forget a load generation's callbacks. */
function dropFns(gen: number, names: string[]): void {
  if (F === 0) return;
  for (const n of names) { m._lua_pushnil(F); setfield(F, LUA_REGISTRYINDEX, `__fn:${gen}:${n}`); }
}

// ---- commands from the main thread ------------------------------------------------------

function load(sha: string, body: string): string | null {
  const top = m._lua_gettop(L);
  if (m._luaL_loadbuffer(L, toHeap(body), body.length, cstr('@user_script')) !== 0) {
    const err = toStr(L, -1) ?? '';
    m._lua_settop(L, top);
    return `Error compiling script (new function): ${err}`;
  }
  getfield(L, LUA_REGISTRYINDEX, ENV_KEY);
  m._lua_setfenv(L, -2);
  setfield(L, LUA_REGISTRYINDEX, 'f_' + sha);
  return null;
}

function pushArray(items: string[]): void { pushArrayOn(L, items); }

function pushArrayOn(L: number, items: string[]): void {
  m._lua_createtable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) { pushStr(L, items[i]!); m._lua_rawseti(L, -2, i + 1); }
}

const evalState = (): number => L;

function exec(msg: { sha: string; keys: string[]; args: string[]; resp: 2 | 3; fn?: string; gen?: number }): { out: string; errs: (string | null)[] } {
  run = { resp: 2, repl: 3, sha: msg.sha };
  Atomics.store(ctl, 2, 0);
  const isFn = msg.fn !== undefined;
  const L = isFn ? F : evalState();
  getfield(L, LUA_GLOBALSINDEX, '__redis__err__handler');
  let nargs = 0;
  if (isFn) {
    // a function gets (keys, args)
    getfield(L, LUA_REGISTRYINDEX, `__fn:${msg.gen}:${msg.fn}`);
    pushArrayOn(L, msg.keys);
    pushArrayOn(L, msg.args);
    nargs = 2;
  } else {
    getfield(L, LUA_REGISTRYINDEX, 'f_' + msg.sha);
    pushArray(msg.keys); setfield(L, LUA_GLOBALSINDEX, 'KEYS');
    pushArray(msg.args); setfield(L, LUA_GLOBALSINDEX, 'ARGV');
  }
  m._lua_sethook(L, fns.hook, MASK_COUNT, 100000);
  const err = m._lua_pcall(L, nargs, 1, -2 - nargs);
  const out: Out = { o: '', errs: [] };
  if (err) {
    if (type(L, -1) !== T_TABLE) {
      const s = m._lua_isstring(L, -1) ? toStr(L, -1)! : 'execution failure';
      const line = mapNl(`ERR Error running script ${msg.sha}, ${s.slice(0, 100)}\n`);
      out.o = '-' + line + '\r\n';
      out.errs.push(line);
    } else {
      const info = errorInfo(L);
      let line = info.msg;
      if (info.line !== null && info.source !== null) line += ` script: ${msg.sha}, on ${info.source}:${info.line}.`;
      line = mapNl(line);
      out.o = '-' + line + '\r\n';
      out.errs.push(info.ignore ? null : line);
    }
    pop(L, 1);
  } else {
    replyOf(L, msg.resp, run.resp, out);
  }
  m._lua_sethook(L, 0, 0, 0);
  m._lua_settop(L, 0);
  m._lua_gc(L, 5 /* LUA_GCSTEP */, 50);
  run = null;
  return { out: out.o, errs: out.errs };
}

newState();
newFnState();
Atomics.store(ctl, 3, 1);
Atomics.notify(ctl, 3);

for (;;) {
  const msg = recv();
  try {
    switch (msg.t) {
      case 'load': send({ t: 'loaded', err: load(msg.sha, msg.body) }); break;
      case 'run': send({ t: 'done', ...exec(msg) }); break;
      case 'flush': newState(); send({ t: 'flushed' }); break;
      case 'fload': send({ t: 'floaded', ...loadLib(msg.code, msg.timeout) }); break;
      case 'fdrop': dropFns(msg.gen, msg.names); send({ t: 'fdropped' }); break;
      case 'fflush': newFnState(); send({ t: 'fflushed' }); break;
      case 'memory': send({ t: 'memory', bytes: m._lua_gc(L, 3 /* LUA_GCCOUNT */, 0) * 1024 + m._lua_gc(L, 4, 0) }); break;
    }
  } catch (e) {
    run = null;
    const line = `ERR ${mapNl(String((e as Error)?.message ?? e))}`;
    try { L = 0; newState(); F = 0; newFnState(); } catch { process.exit(1); }
    send({ t: 'done', out: `-${line}\r\n`, errs: [line], fatal: true });
  }
}

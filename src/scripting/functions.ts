/*
 * Redis 7.0 functions (redis/src/functions.c): libraries of Lua functions
 * loaded with FUNCTION LOAD, called with FCALL / FCALL_RO, saved in the RDB
 * (RDB_OPCODE_FUNCTION2: the library's code), rewritten into the AOF as
 * FUNCTION LOAD, propagated as the FUNCTION command itself, and moved with
 * FUNCTION DUMP / RESTORE.
 *
 * The code runs in the script worker's own functions state (lua-worker.ts:
 * while a library loads, its globals resolve to the load API only:
 * redis.register_function, redis.log, the versions). Each load gets a
 * generation number; a library's callbacks live in the worker under it, so
 * a REPLACE that fails leaves the old library whole.
 *
 * Names: libraries and the functions of one library are case-sensitive; the
 * global function namespace is case-insensitive (functionDictType).
 */
import type { Server } from '../server/server.js';
import type { Client } from '../server/client.js';
import { setInfoFields } from '../server/info.js';
import {
  FLAG_ALLOW_CROSS_SLOT, FLAG_ALLOW_OOM, FLAG_ALLOW_STALE, FLAG_NO_CLUSTER, FLAG_NO_WRITES, scriptEngineOf, scriptFlagsToCmd,
} from './engine.js';
import { crc64, ByteWriter, RdbError } from '../persistence/rdb/index.js';
import { RDB_OPCODE_FUNCTION2, RDB_VERSION } from '../persistence/rdb/constants.js';
import { writeString } from '../persistence/rdb/writer-bytes.js';
import { readString, type ByteReader } from '../persistence/rdb/reader-bytes.js';

/** scripts_flags_def, in its order (FUNCTION LIST shows them so) */
const FLAG_DEFS: [string, number][] = [
  ['no-writes', FLAG_NO_WRITES], ['allow-oom', FLAG_ALLOW_OOM], ['allow-stale', FLAG_ALLOW_STALE],
  ['no-cluster', FLAG_NO_CLUSTER], ['allow-cross-slot-keys', FLAG_ALLOW_CROSS_SLOT],
];

export interface FunctionInfo { name: string; desc: string | null; flags: number; lib: Library }
export interface Library { name: string; code: string; gen: number; fns: Map<string, FunctionInfo> }

const NAME_ERR = 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';
const validName = (n: string): boolean => /^[A-Za-z0-9_]+$/.test(n);

/** sdssplitargs for the shebang line: spaces split; "..." (with \\ escapes) and '...' group, also inside a word. */
function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  const sp = (ch: string | undefined): boolean => ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t' || ch === '\0';
  let i = 0;
  for (;;) {
    while (i < line.length && sp(line[i])) i++;
    if (i >= line.length) return out;
    let cur = '';
    let q: string | null = null;
    for (;;) {
      const ch = line[i];
      if (q !== null) {
        if (ch === undefined) return null; // unbalanced quotes
        if (q === '"' && ch === '\\' && i + 1 < line.length) {
          const n = line[i + 1]!;
          cur += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n === 'b' ? '\b' : n === 'a' ? '\x07' : n;
          i += 2;
          continue;
        }
        if (ch === q) {
          // the closing quote must end the word
          if (i + 1 < line.length && !sp(line[i + 1])) return null;
          i++;
          q = null;
          break;
        }
        cur += ch;
        i++;
        continue;
      }
      if (ch === undefined || sp(ch)) break;
      if (ch === '"' || ch === "'") { q = ch; i++; continue; }
      cur += ch;
      i++;
    }
    out.push(cur);
  }
}

export class Functions {
  readonly libraries = new Map<string, Library>();
  /** lowercase function name -> function */
  readonly functions = new Map<string, FunctionInfo>();

  constructor(private readonly server: Server) {
    setInfoFields(server, 'memory', () => ({ number_of_functions: this.functions.size, number_of_libraries: this.libraries.size }));
    // the worker rebuilt its states after a fatal error: load every library again
    scriptEngineOf(server).onReload = () => {
      const engine = scriptEngineOf(server);
      for (const lib of this.libraries.values()) {
        const r = engine.loadLib(lib.code.slice(lib.code.indexOf('\n')), false);
        if ('gen' in r) lib.gen = r.gen;
      }
    };
  }

  /**
   * functionsCreateWithLibraryCtx: parse the metadata, run the code, check the
   * functions, link the library. Returns its name, or an error text (no "ERR ").
   */
  create(code: string, replace: boolean, timeout: boolean): { name: string } | { err: string } {
    if (!code.startsWith('#!')) return { err: 'Missing library metadata' };
    const nl = code.indexOf('\n');
    if (nl < 0) return { err: 'Invalid library metadata' };
    const parts = splitArgs(code.slice(0, nl));
    if (parts === null || parts.length === 0) return { err: 'Invalid library metadata' };
    const engineName = parts[0]!.slice(2);
    let name: string | null = null;
    for (const part of parts.slice(1)) {
      if (part.slice(0, 5).toLowerCase() === 'name=') {
        if (name !== null) return { err: 'Invalid metadata value, name argument was given multiple times' };
        name = part.slice(5);
        continue;
      }
      return { err: `Invalid metadata value given: ${part}` };
    }
    if (name === null) return { err: 'Library name was not given' };
    if (!validName(name)) return { err: NAME_ERR };
    if (engineName.toLowerCase() !== 'lua') return { err: `Engine '${engineName}' not found` };
    const old = this.libraries.get(name);
    if (old !== undefined && !replace) return { err: `Library '${name}' already exists` };
    const engine = scriptEngineOf(this.server);
    const r = engine.loadLib(code.slice(nl), timeout);
    if ('err' in r) return { err: r.err };
    const names = r.fns.map((f) => f.name);
    if (r.fns.length === 0) return { err: 'No functions registered' };
    for (const f of r.fns) {
      const other = this.functions.get(f.name.toLowerCase());
      if (other !== undefined && other.lib !== old) {
        engine.dropLib(r.gen, names);
        return { err: `Function ${f.name} already exists` };
      }
    }
    if (old !== undefined) this.unlink(old);
    const lib: Library = { name, code, gen: r.gen, fns: new Map() };
    for (const f of r.fns) {
      let flags = 0;
      for (const fl of f.flags) flags |= FLAG_DEFS.find(([n]) => n === fl)![1];
      const fi: FunctionInfo = { name: f.name, desc: f.desc, flags, lib };
      lib.fns.set(f.name, fi);
      this.functions.set(f.name.toLowerCase(), fi);
    }
    this.libraries.set(name, lib);
    return { name };
  }

  private unlink(lib: Library): void {
    this.libraries.delete(lib.name);
    for (const f of lib.fns.keys()) this.functions.delete(f.toLowerCase());
    scriptEngineOf(this.server).dropLib(lib.gen, [...lib.fns.keys()]);
  }

  delete(name: string): boolean {
    const lib = this.libraries.get(name);
    if (lib === undefined) return false;
    this.unlink(lib);
    return true;
  }

  flush(): void {
    this.libraries.clear();
    this.functions.clear();
    scriptEngineOf(this.server).flushLibs();
  }

  /** The libraries' codes, for an RDB or an AOF rewrite. */
  codes(): string[] { return [...this.libraries.values()].map((l) => l.code); }

  /** FUNCTION DUMP: each library as RDB_OPCODE_FUNCTION2 + its code, then the RDB version and CRC64 (as DUMP). */
  dump(): Buffer {
    const parts: Buffer[] = [];
    const w = new ByteWriter();
    for (const code of this.codes()) {
      w.byte(RDB_OPCODE_FUNCTION2);
      writeString(w, code, true);
    }
    parts.push(w.take());
    const body = Buffer.concat(parts);
    const out = Buffer.alloc(body.length + 10);
    body.copy(out, 0);
    out.writeUInt16LE(RDB_VERSION, body.length);
    out.writeBigUInt64LE(crc64(out.subarray(0, body.length + 2)), body.length + 2);
    return out;
  }

  /** FUNCTION RESTORE: the libraries of a DUMP payload, by policy; an error text (no "ERR ") or null. */
  restore(payload: Buffer, policy: 'flush' | 'append' | 'replace'): string | null {
    if (payload.length < 10) return 'DUMP payload version or checksum are wrong';
    const bodyLen = payload.length - 10;
    const ver = payload.readUInt16LE(bodyLen);
    const crc = payload.readBigUInt64LE(bodyLen + 2);
    if (ver > RDB_VERSION || (crc !== 0n && crc !== crc64(payload.subarray(0, bodyLen + 2)) && !this.server.skipChecksumValidation)) {
      return 'DUMP payload version or checksum are wrong';
    }
    const codes: string[] = [];
    const r: ByteReader = { buf: payload.subarray(0, bodyLen), pos: 0 };
    try {
      while (r.pos < r.buf.length) {
        const type = r.buf[r.pos++]!;
        if (type !== RDB_OPCODE_FUNCTION2) return 'given type is not a function';
        codes.push(readString(r));
      }
    } catch (e) {
      return e instanceof RdbError ? 'failed loading the given functions payload' : 'can not read data type';
    }
    // build the new set aside, then swap it in (a failure keeps the current libraries)
    const saved = { libs: new Map(this.libraries), fns: new Map(this.functions) };
    const engine = scriptEngineOf(this.server);
    const created: Library[] = [];
    const rollback = (err: string): string => {
      for (const l of created) engine.dropLib(l.gen, [...l.fns.keys()]);
      this.libraries.clear(); this.functions.clear();
      for (const [k, v] of saved.libs) this.libraries.set(k, v);
      for (const [k, v] of saved.fns) this.functions.set(k, v);
      return err;
    };
    const replaced: Library[] = [];
    if (policy === 'flush') { this.libraries.clear(); this.functions.clear(); }
    for (const code of codes) {
      const nameOf = /name=([A-Za-z0-9_]+)/.exec(code.slice(0, code.indexOf('\n') >= 0 ? code.indexOf('\n') : code.length));
      const existing = nameOf !== null ? this.libraries.get(nameOf[1]!) : undefined;
      if (existing !== undefined && policy === 'append') return rollback(`Library ${existing.name} already exists`);
      if (existing !== undefined) { this.libraries.delete(existing.name); for (const f of existing.fns.keys()) this.functions.delete(f.toLowerCase()); replaced.push(existing); }
      const r = this.createDetached(code);
      if ('err' in r) return rollback(r.err);
      created.push(r.lib);
    }
    // committed: what was flushed or replaced goes from the worker
    const kept = new Set(this.libraries.values());
    for (const l of saved.libs.values()) if (!kept.has(l)) engine.dropLib(l.gen, [...l.fns.keys()]);
    return null;
  }

  /** create() without replacing and without touching libraries on failure (restore builds its set step by step). */
  private createDetached(code: string): { lib: Library } | { err: string } {
    const r = this.create(code, false, false);
    if ('err' in r) return r;
    return { lib: this.libraries.get(r.name)! };
  }

  // ---- replies ------------------------------------------------------------------

  list(c: Client, withCode: boolean, pattern: string | null, match: (p: string, s: string) => boolean): void {
    const libs = [...this.libraries.values()].filter((l) => pattern === null || match(pattern, l.name));
    c.array(libs.length);
    for (const l of libs) {
      c.map(withCode ? 4 : 3);
      c.bulk('library_name'); c.bulk(l.name);
      c.bulk('engine'); c.bulk('LUA');
      c.bulk('functions');
      c.array(l.fns.size);
      for (const f of l.fns.values()) {
        c.map(3);
        c.bulk('name'); c.bulk(f.name);
        c.bulk('description'); c.bulkOrNull(f.desc);
        c.bulk('flags');
        const names = FLAG_DEFS.filter(([, v]) => f.flags & v).map(([n]) => n);
        c.set(names.length);
        for (const n of names) c.simple(n);
      }
      if (withCode) { c.bulk('library_code'); c.bulk(l.code); }
    }
  }
}

export function functionsOf(server: Server): Functions {
  let f = server.ext.get('functions') as Functions | undefined;
  if (f === undefined) { f = new Functions(server); server.ext.set('functions', f); }
  return f;
}

/** Installer (features.ts): persistence and replication reach the libraries through the server's hooks. */
export function installFunctions(server: Server): void {
  const f = functionsOf(server);
  server.functionCodes = () => f.codes();
  server.functionLoad = (code, replace) => {
    const r = f.create(code, replace, false);
    return 'err' in r ? r.err : null;
  };
  server.functionFlush = () => f.flush();
  // fcallGetCommandFlags: a function's flags decide; the eval family is the engine's (installScripting)
  const evalFlags = server.scriptCommandFlags;
  server.scriptCommandFlags = (cmd, argv) => {
    if (!cmd.name.startsWith('fcall')) return evalFlags !== null ? evalFlags(cmd, argv) : null;
    const fi = argv.length > 1 ? f.functions.get(argv[1]!.toLowerCase()) : undefined;
    return fi === undefined ? null : scriptFlagsToCmd(fi.flags);
  };
  server.ext.set('function-flush', () => f.flush());
}

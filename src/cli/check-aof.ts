/*
 * nodis-check-aof [--fix] <file.manifest|file.aof>: redis-check-aof
 * (redis/src/redis-check-aof.c) for Nodis. Same input detection (a manifest:
 * a line starting with "file"; an RDB: starts with "REDIS"; else RESP), same
 * checks and messages: each file is walked command by command, the first bad
 * offset is reported as "0x<offset>: <reason>", and "AOF analyzed: ... ok_up_to
 * ... diff ..." gives where the valid part ends. --fix cuts the bad tail of the
 * last file after asking "Continue? [y/N]:" on stdin, exactly like
 * redis-check-aof (pipe "y" to run it unattended). Exit status 0 when valid or
 * fixed, 1 otherwise. RDB parts (base files, preambles) are checked with the
 * RDB codec (helper J's loadRdb).
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ManifestError, parseManifest } from '../persistence/aof/manifest.js';
import { loadRdb } from '../persistence/rdb/index.js';

class Exit extends Error { constructor(readonly code: number) { super(`exit ${code}`); } }

const out = (s: string): void => { process.stdout.write(s); };
const hex16 = (n: number): string => n.toString(16).padStart(16, ' ');

type CheckResult = 'ok' | 'empty' | 'truncated';

/** One pass over a file's RESP part, redis-check-aof's checkSingleAof. */
function checkSingle(name: string, path: string, lastFile: boolean, fix: boolean, preamble: boolean): CheckResult {
  let data: Buffer;
  try { data = readFileSync(path); } catch (e) {
    out(`Cannot open file ${path}: ${(e as Error).message}, aborting...\n`);
    throw new Exit(1);
  }
  const size = data.length;
  if (size === 0) return 'empty';
  let p = 0;
  if (preamble) {
    try {
      const end = loadRdb(data, () => {}) as unknown;
      p = typeof end === 'number' ? end : size;
    } catch (e) {
      out(`${(e as Error).message}\n`);
      out('RDB preamble of AOF file is not sane, aborting.\n');
      throw new Exit(1);
    }
    out('RDB preamble is OK, proceeding with AOF tail...\n');
  }
  let error = '';
  let epos = 0;
  let line = 1;
  let multi = 0;
  let pos = p;
  const ERROR = (msg: string): void => { error = `0x${hex16(epos)}: ${msg}`; };
  /** fgets into a NUL-padded view: the line (max n-1 bytes) or null at EOF */
  const fgets = (n: number): Buffer | null => {
    if (p >= size) return null;
    const nl = data.indexOf(10, p);
    const end = Math.min(nl === -1 ? size : nl + 1, p + n - 1, size);
    const b = Buffer.alloc(end - p + 2);
    data.copy(b, 0, p, end);
    p = end;
    return b;
  };
  const consumeNewline = (b: Buffer, at: number): boolean => {
    if (b[at] !== 13 || b[at + 1] !== 10) {
      ERROR(`Expected \\r\\n, got: ${(b[at] ?? 0).toString(16).padStart(2, '0')}${(b[at + 1] ?? 0).toString(16).padStart(2, '0')}`);
      return false;
    }
    line++;
    return true;
  };
  const readLong = (prefix: string): number | null => {
    epos = p;
    const b = fgets(128);
    if (b === null) return null;
    if (b[0] !== prefix.charCodeAt(0)) { ERROR(`Expected prefix '${prefix}', got: '${String.fromCharCode(b[0]!)}'`); return null; }
    let i = 1;
    while (b[i] === 32 || b[i] === 9) i++;
    let neg = false;
    if (b[i] === 45 || b[i] === 43) { neg = b[i] === 45; i++; }
    let v = 0;
    while (b[i]! >= 48 && b[i]! <= 57) { v = v * 10 + b[i]! - 48; i++; }
    return consumeNewline(b, i) ? (neg ? -v : v) : null;
  };
  const readString = (): string | null => {
    const len = readLong('$');
    if (len === null) return null;
    if (len < 0) { ERROR(`Expected to read string of ${len} bytes, which is not in the suitable range`); return null; }
    epos = p;
    const real = Math.min(len + 2, size - p);
    if (real !== len + 2) { p += real; ERROR(`Expected to read ${len + 2} bytes, got ${real} bytes`); return null; }
    const s = data.toString('latin1', p, p + len);
    const b = data.subarray(p, p + len + 2);
    p += len + 2;
    return consumeNewline(b, len) ? s : null;
  };
  const processRESP = (): boolean => {
    const argc = readLong('*');
    if (argc === null) return false;
    for (let i = 0; i < argc; i++) {
      const s = readString();
      if (s === null) return false;
      if (i === 0) {
        const l = s.toLowerCase();
        if (l === 'multi') {
          if (multi++) { ERROR(`Unexpected MULTI in AOF ${path}`); return false; }
        } else if (l === 'exec') {
          if (--multi) { ERROR(`Unexpected EXEC in AOF ${path}`); return false; }
        }
      }
    }
    return true;
  };
  let eof = false;
  for (;;) {
    if (!multi) pos = p;
    if (p >= size) { eof = true; break; }
    const c = data[p];
    if (c === 35 /* # */) {
      epos = p;
      fgets(1024);
    } else if (c === 42 /* * */) {
      if (!processRESP()) { eof = p >= size; break; }
    } else {
      out(`AOF ${name} format error\n`);
      break;
    }
  }
  if (eof && multi && error === '') ERROR('Reached EOF before reading EXEC for MULTI');
  if (error !== '') out(`${error}\n`);
  const diff = size - pos;
  out(`AOF analyzed: filename=${name}, size=${size}, ok_up_to=${pos}, ok_up_to_line=${line}, diff=${diff}\n`);
  if (diff > 0) {
    if (fix) {
      if (!lastFile) {
        out(`Failed to truncate AOF ${name} because it is not the last file\n`);
        throw new Exit(1);
      }
      out(`This will shrink the AOF ${name} from ${size} bytes, with ${diff} bytes, to ${pos} bytes\n`);
      out('Continue? [y/N]: ');
      const answer = readStdinLine();
      if (answer === null || !/^y/i.test(answer)) { out('Aborting...\n'); throw new Exit(1); }
      const fd = openSync(path, 'r+');
      try { ftruncateSync(fd, pos); } catch {
        out(`Failed to truncate AOF ${name}\n`);
        throw new Exit(1);
      } finally { closeSync(fd); }
      return 'truncated';
    }
    out(`AOF ${name} is not valid. Use the --fix option to try fixing it.\n`);
    throw new Exit(1);
  }
  return 'ok';
}

/** fgets(buf, 2, stdin): the first byte of stdin's first line, or null at EOF. */
function readStdinLine(): string | null {
  const b = Buffer.alloc(1);
  try {
    const n = readSync(0, b, 0, 1, null);
    return n === 0 ? null : b.toString('latin1');
  } catch {
    return null;
  }
}

function fileIsRdb(path: string): boolean {
  const d = readFileSync(path);
  return d.length >= 8 && d.toString('latin1', 0, 5) === 'REDIS';
}

function fileIsManifest(path: string): boolean {
  const d = readFileSync(path, 'latin1');
  if (d.length === 0) return false;
  return d.split('\n').some((l) => !l.startsWith('#') && l.startsWith('file'));
}

function report(kind: string, name: string, r: CheckResult): void {
  if (r === 'ok') out(`${kind}${name} is valid\n`);
  else if (r === 'empty') out(`${kind}${name} is empty\n`);
  else out(`Successfully truncated AOF ${name}\n`);
}

function checkMultiPart(dir: string, manifestPath: string, fix: boolean): void {
  out('Start checking Multi Part AOF\n');
  let am;
  try { am = parseManifest(readFileSync(manifestPath, 'latin1')); } catch (e) {
    if (e instanceof ManifestError) {
      out('\n*** FATAL AOF MANIFEST FILE ERROR ***\n');
      if (e.line !== null) out(`Reading the manifest file, at line ${e.lineno}\n>>> '${e.line}'\n`);
      out(`${e.message}\n`);
      throw new Exit(1);
    }
    throw e;
  }
  const total = (am.base ? 1 : 0) + am.incrs.length;
  let n = 0;
  if (am.base) {
    const path = join(dir, am.base.name);
    const rdb = existsSync(path) && fileIsRdb(path);
    out(`Start to check BASE AOF (${rdb ? 'RDB' : 'RESP'} format).\n`);
    report('BASE AOF ', am.base.name, checkSingle(am.base.name, path, ++n === total, fix, rdb));
  }
  if (am.incrs.length > 0) {
    out('Start to check INCR files.\n');
    for (const ai of am.incrs) {
      report('INCR AOF ', ai.name, checkSingle(ai.name, join(dir, ai.name), ++n === total, fix, false));
    }
  }
  out('All AOF files and manifest are valid\n');
}

export function checkAofMain(argv: string[], prog = 'nodis-check-aof'): number {
  try {
    let fix = false;
    let file: string;
    if (argv.length === 1) file = argv[0]!;
    else if (argv.length === 2 && argv[0] === '--fix') { fix = true; file = argv[1]!; } else {
      out(`Usage: ${prog} [--fix] <file.manifest|file.aof>\n`);
      return 1;
    }
    if (!existsSync(file)) { out(`Cannot open file ${file}: No such file or directory\n`); return 1; }
    if (fileIsManifest(file)) {
      checkMultiPart(dirname(file), file, fix);
    } else {
      const rdb = fileIsRdb(file);
      out('Start checking Old-Style AOF\n');
      const r = checkSingle(file, file, true, fix, rdb);
      report('AOF ', file, r);
    }
    return 0;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    throw e;
  }
}

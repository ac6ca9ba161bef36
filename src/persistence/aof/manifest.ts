/*
 * The multi-part AOF manifest (Redis 7.0 aof.c): one line per file,
 * "file <name> seq <n> type <b|h|i>\n", the base first, then history files,
 * then incr files in order. Parsing is as strict as aofLoadManifestFromFile
 * (same error texts); writing goes to "temp-<appendfilename>.manifest",
 * fsync, rename, fsync of the directory, so a crash leaves the old or the new
 * manifest, never half of one.
 */
import { openSync, writeSync, fsyncSync, closeSync, renameSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitArgs } from '../../protocol/parser.js';
import { repr } from '../../server/config-params.js';

export type AofFileType = 'b' | 'h' | 'i';
export interface AofInfo { name: string; seq: number; type: AofFileType }

export class ManifestError extends Error {
  constructor(message: string, readonly line: string | null, readonly lineno: number) { super(message); }
}

export class Manifest {
  base: AofInfo | null = null;
  incrs: AofInfo[] = [];
  history: AofInfo[] = [];
  baseSeq = 0;
  incrSeq = 0;

  clone(): Manifest {
    const m = new Manifest();
    m.base = this.base ? { ...this.base } : null;
    m.incrs = this.incrs.map((x) => ({ ...x }));
    m.history = this.history.map((x) => ({ ...x }));
    m.baseSeq = this.baseSeq;
    m.incrSeq = this.incrSeq;
    return m;
  }

  /** getAofManifestAsString: base, history, incrs. */
  toString(): string {
    let s = '';
    const line = (ai: AofInfo): string => {
      const name = /^[\x21-\x7e]*$/.test(ai.name) && !/["'\\]/.test(ai.name) ? ai.name : repr(ai.name);
      return `file ${name} seq ${ai.seq} type ${ai.type}\n`;
    };
    if (this.base) s += line(this.base);
    for (const h of this.history) s += line(h);
    for (const i of this.incrs) s += line(i);
    return s;
  }

  /** getNewBaseFileNameAndMarkPreAsHistory */
  newBase(prefix: string, rdb: boolean): string {
    if (this.base) { this.base.type = 'h'; this.history.unshift(this.base); }
    const seq = ++this.baseSeq;
    this.base = { name: `${prefix}.${seq}.base.${rdb ? 'rdb' : 'aof'}`, seq, type: 'b' };
    return this.base.name;
  }

  /** getNewIncrAofName */
  newIncr(prefix: string): string {
    const seq = ++this.incrSeq;
    const ai: AofInfo = { name: `${prefix}.${seq}.incr.aof`, seq, type: 'i' };
    this.incrs.push(ai);
    return ai.name;
  }

  /** markRewrittenIncrAofAsHistory: every incr but the one being written (the last) becomes history. */
  markRewrittenIncrsAsHistory(keepLast: boolean): void {
    const keep = keepLast && this.incrs.length > 0 ? [this.incrs[this.incrs.length - 1]!] : [];
    const old = keepLast ? this.incrs.slice(0, -1) : this.incrs;
    for (let i = old.length - 1; i >= 0; i--) this.history.unshift({ ...old[i]!, type: 'h' });
    this.incrs = keep;
  }
}

/** aofLoadManifestFromFile: throws ManifestError with Redis's texts. */
export function parseManifest(text: string): Manifest {
  const am = new Manifest();
  if (text.length === 0) throw new ManifestError('Found an empty AOF manifest', null, 0);
  let maxseq = 0;
  const lines = text.split('\n');
  // a final line without '\n' is still a line (fgets), the empty remainder after the last '\n' is not
  if (lines[lines.length - 1] === '') lines.pop();
  let lineno = 0;
  for (let li = 0; li < lines.length; li++) {
    const raw = lines[li]!;
    lineno++;
    if (raw.startsWith('#')) continue;
    const hasNl = li < lines.length - 1 || text.endsWith('\n');
    if (!hasNl || raw.length >= 1024) throw new ManifestError('The AOF manifest file contains too long line', null, lineno);
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '') throw new ManifestError('Invalid AOF manifest file format', line, lineno);
    const argv = splitArgs(line);
    if (argv === null || argv.length < 6 || argv.length % 2) throw new ManifestError('Invalid AOF manifest file format', line, lineno);
    let name: string | null = null;
    let seq = 0;
    let type = '';
    for (let i = 0; i < argv.length; i += 2) {
      const k = argv[i]!.toLowerCase();
      const v = argv[i + 1]!;
      if (k === 'file') {
        name = v;
        if (v.includes('/')) throw new ManifestError("File can't be a path, just a filename", line, lineno);
      } else if (k === 'seq') {
        seq = atoll(v);
      } else if (k === 'type') {
        type = v.charAt(0);
      }
    }
    if (!name || !seq || !type) throw new ManifestError('Invalid AOF manifest file format', line, lineno);
    if (type === 'b') {
      if (am.base) throw new ManifestError('Found duplicate base file information', line, lineno);
      am.base = { name, seq, type };
      am.baseSeq = seq;
    } else if (type === 'h') {
      am.history.push({ name, seq, type });
    } else if (type === 'i') {
      if (seq <= maxseq) throw new ManifestError('Found a non-monotonic sequence number', line, lineno);
      am.incrs.push({ name, seq, type });
      am.incrSeq = seq;
      maxseq = seq;
    } else {
      throw new ManifestError('Unknown AOF file type', line, lineno);
    }
  }
  if (lineno === 0) throw new ManifestError('Found an empty AOF manifest', null, 0);
  return am;
}

function atoll(s: string): number {
  const m = /^[ \t]*([+-]?[0-9]+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

export function readManifest(path: string): Manifest {
  return parseManifest(readFileSync(path, 'latin1'));
}

/** writeAofManifestFile: temp file, fsync, rename, fsync the directory. Throws on failure. */
export function writeManifest(dir: string, prefix: string, am: Manifest): void {
  const tmp = join(dir, `temp-${prefix}.manifest`);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, am.toString(), null, 'latin1');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, `${prefix}.manifest`));
  fsyncDir(dir);
}

export function fsyncDir(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch { /* some filesystems refuse fsync on a directory */ } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/*
 * nodes.conf (redis/src/cluster.c clusterLoadConfig, clusterSaveConfig,
 * clusterLockConfig). The file is CLUSTER NODES' text plus a
 * `vars currentEpoch N lastVoteEpoch N` line.
 *
 * Saving rewrites the file in place with one write (padded with newlines when
 * the old file was longer, then truncated), as Redis does, so a crash leaves
 * either the old or the new content; fsync when asked.
 *
 * Locking: Redis holds flock(LOCK_EX) on the file for the life of the process.
 * Node has no flock, so a `flock` child process (util-linux) takes the lock on
 * our behalf and holds it until our process goes (its stdin is our pipe);
 * it waits up to a second for the lock, the time a holder left by a process
 * that just died takes to notice.
 * Being the same kernel lock, it also keeps a redis-server off our file and us
 * off its file. Without the flock tool the file is used unlocked (logged).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { ClusterState } from './state.js';
import { ClusterNode, flagOf, NODE_FAIL, NODE_MYSELF, NODE_SLAVE, validName } from './node.js';
import { splitArgs } from '../protocol/parser.js';

export class ConfigError extends Error {}

/** clusterLoadConfig: false when there is no file or it is empty (a new node); throws ConfigError on a damaged file */
export function loadConfig(state: ClusterState, path: string, shown = path): boolean {
  let text: string;
  try {
    text = fs.readFileSync(path, 'latin1');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return false;
    throw new ConfigError(`Loading the cluster node config from ${shown}: ${err.message}`);
  }
  if (text.length === 0) return false;
  const fmterr = (): never => { throw new ConfigError('Unrecoverable error: corrupted cluster config file.'); };
  const get = (name: string): ClusterNode => {
    let n = state.nodes.get(name);
    if (n === undefined) { n = new ClusterNode(name, 0); state.addNode(n); }
    return n;
  };
  let myself: ClusterNode | null = null;
  for (const line of text.split('\n')) {
    if (line === '' || line === '\r') continue;
    const argv = splitArgs(line);
    if (argv === null) fmterr();
    const a = argv!;
    if (a.length === 0) continue;
    if (a[0]!.toLowerCase() === 'vars') {
      if (a.length % 2 === 0) fmterr();
      for (let j = 1; j < a.length; j += 2) {
        const k = a[j]!.toLowerCase();
        if (k === 'currentepoch') state.currentEpoch = Number.parseInt(a[j + 1]!, 10) || 0;
        else if (k === 'lastvoteepoch') state.lastVoteEpoch = Number.parseInt(a[j + 1]!, 10) || 0;
        else state.host.log.warning(`Skipping unknown cluster config variable '${a[j]}'`);
      }
      continue;
    }
    if (a.length < 8 || !validName(a[0]!)) fmterr();
    const n = get(a[0]!);
    let addr = a[1]!;
    const comma = addr.indexOf(',');
    if (comma >= 0) { n.hostname = addr.slice(comma + 1); addr = addr.slice(0, comma); } else n.hostname = '';
    const colon = addr.lastIndexOf(':');
    if (colon < 0) fmterr();
    n.ip = addr.slice(0, colon);
    const portPart = addr.slice(colon + 1);
    const at = portPart.indexOf('@');
    n.port = Number.parseInt(at >= 0 ? portPart.slice(0, at) : portPart, 10) || 0;
    n.cport = at >= 0 ? Number.parseInt(portPart.slice(at + 1), 10) || 0 : n.port + 10000;
    for (const f of a[2]!.split(',')) {
      const flag = flagOf(f.toLowerCase());
      if (flag === undefined) throw new ConfigError('Unknown flag in redis cluster config file');
      if (flag === NODE_MYSELF) {
        if (myself !== null) fmterr();
        myself = n;
        state.myself = n;
      }
      n.flags |= flag;
      if (flag === NODE_FAIL) n.failTime = Date.now();
    }
    if (a[3]![0] !== '-') {
      if (!validName(a[3]!)) fmterr();
      const master = get(a[3]!);
      n.slaveof = master;
      master.addSlave(n);
    }
    if (Number.parseInt(a[4]!, 10)) n.pingSent = Date.now();
    if (Number.parseInt(a[5]!, 10)) n.pongReceived = Date.now();
    n.configEpoch = n.flags & NODE_SLAVE && n.slaveof !== null ? 0 : Number.parseInt(a[6]!, 10) || 0;
    for (let j = 8; j < a.length; j++) {
      const s = a[j]!;
      if (s[0] === '[') {
        const dash = s.indexOf('-');
        if (dash < 0) fmterr();
        const dir = s[dash + 1];
        const slot = Number.parseInt(s.slice(1, dash), 10);
        if (!(slot >= 0 && slot < 16384)) fmterr();
        const end = s.indexOf(']', dash + 3);
        const id = s.slice(dash + 3, end);
        if (end < 0 || !validName(id)) fmterr();
        const cn = get(id);
        if (dir === '>') state.setMigrating(slot, cn); else state.setImporting(slot, cn);
        continue;
      }
      const dash = s.indexOf('-');
      const start = Number.parseInt(dash >= 0 ? s.slice(0, dash) : s, 10);
      const stop = dash >= 0 ? Number.parseInt(s.slice(dash + 1), 10) : start;
      if (!(start >= 0 && start < 16384 && stop >= 0 && stop < 16384)) fmterr();
      for (let k = start; k <= stop; k++) state.addSlot(n, k);
    }
  }
  if (myself === null) fmterr();
  state.host.log.notice(`Node configuration loaded, I'm ${state.myself.name}`);
  if (state.maxEpoch() > state.currentEpoch) state.currentEpoch = state.maxEpoch();
  return true;
}

/** clusterSaveConfig: one write in place (padded, then truncated), fsync if asked; throws on failure */
export function saveConfig(path: string, text: string, fsync: boolean): void {
  const fd = fs.openSync(path, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o644);
  try {
    const size = fs.fstatSync(fd).size;
    let buf = Buffer.from(text, 'latin1');
    const content = buf.length;
    if (size > content) buf = Buffer.concat([buf, Buffer.alloc(size - content, 0x0a)]);
    let off = 0;
    while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off, off);
    if (fsync) fs.fsyncSync(fd);
    if (content !== buf.length) { try { fs.ftruncateSync(fd, content); } catch { /* not critical, as in Redis */ } }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * clusterLockConfig: resolves to the process holding the lock (kill it to
 * release), null when no flock tool is there; rejects with Redis's line when
 * another process holds the file.
 */
export function lockConfig(path: string, shown = path): Promise<ChildProcess | null> {
  try {
    fs.closeSync(fs.openSync(path, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o644));
  } catch (e) {
    return Promise.reject(new ConfigError(`Can't open ${shown} in order to acquire a lock: ${(e as Error).message}`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn('flock', ['-x', '-w', '1', path, '-c', 'echo locked; exec cat >/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let settled = false;
    child.on('error', () => { if (!settled) { settled = true; resolve(null); } });
    child.stdout!.once('data', () => {
      if (settled) return;
      settled = true;
      child.stdout!.destroy();
      child.unref();
      (child.stdin as unknown as { unref?: () => void }).unref?.();
      resolve(child);
    });
    child.on('exit', (code) => {
      if (settled) return;
      settled = true;
      if (code === 1) {
        reject(new ConfigError(`Sorry, the cluster configuration file ${shown} is already used by a different Redis Cluster node. Please make sure that different nodes use different cluster configuration files.`));
      } else {
        resolve(null);
      }
    });
  });
}

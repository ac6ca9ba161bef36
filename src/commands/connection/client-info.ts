/*
 * One CLIENT LIST / CLIENT INFO line, in Redis 7.0's field order
 * (catClientInfoString in redis/src/networking.c). Memory fields are
 * modelled on Redis's numbers for an equivalent client (a 20474-byte query
 * buffer allocation, a 1024/16384-byte reply buffer, ~774 bytes of client
 * struct) so tools that parse them see plausible values.
 */
import type { Client } from '../../server/client.js';

const QBUF_ALLOC = 20474;
const CLIENT_STRUCT = 774;
const REPLY_CHUNK = 16384;

/** Redis's getClientTypeByName: the TYPE argument of CLIENT LIST / KILL, or null. */
export function clientTypeByName(name: string): 'normal' | 'slave' | 'pubsub' | 'master' | null {
  const n = name.toLowerCase();
  if (n === 'normal') return 'normal';
  if (n === 'slave' || n === 'replica') return 'slave';
  if (n === 'pubsub') return 'pubsub';
  if (n === 'master') return 'master';
  return null;
}

function flagsOf(c: Client): string {
  let f = '';
  if (c.monitor) f += 'O';
  else if (c.isReplica) f += 'S';
  if (c.isMaster) f += 'M';
  if (c.kind === 'pubsub') f += 'P';
  if (c.inMulti) f += 'x';
  if (c.blocked) f += 'b';
  if (c.trackingRedirect >= 0) f += 't';
  if (c.closeAfterReply) f += 'c';
  if (c.isUnix) f += 'U';
  if (c.clusterReadonly) f += 'r';
  if (c.noEvict) f += 'e';
  if (c.noTouch) f += 'T';
  return f === '' ? 'N' : f;
}

export function clientInfoLine(c: Client, nowMs: number): string {
  const running = c.running && c.cmd !== null;
  const qbuf = c.queryBufferLength;
  const qalloc = Math.max(QBUF_ALLOC, qbuf);
  let argvMem = 0;
  if (running) for (const a of c.argv) argvMem += a.length;
  const pending = c.pendingOutput;
  const obl = Math.min(pending, REPLY_CHUNK);
  const omem = pending - obl;
  const oll = omem > 0 ? Math.ceil(omem / REPLY_CHUNK) : 0;
  const age = Math.floor((nowMs - c.createdAt) / 1000);
  const rbs = age < 2 ? REPLY_CHUNK : 1024;
  const rbp = age < 2 ? REPLY_CHUNK : 0;
  const totMem = CLIENT_STRUCT + (argvMem > 0 ? 16 : 0) + rbs + qalloc + argvMem + omem;
  const events = (c.readingPaused ? '' : 'r') + (pending > 0 ? 'w' : '');
  const cmd = running ? c.cmd!.fullname : c.lastCmd?.fullname ?? 'NULL';
  return `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.fd} name=${c.name}` +
    ` age=${age} idle=${Math.max(0, Math.floor((nowMs - c.lastInteraction) / 1000))} flags=${flagsOf(c)} db=${c.db.id}` +
    ` sub=${c.channels.size} psub=${c.patterns.size} ssub=${c.shardChannels.size} multi=${c.inMulti ? c.multiCount : -1}` +
    ` qbuf=${qbuf} qbuf-free=${qalloc - qbuf} argv-mem=${argvMem} multi-mem=0 rbs=${rbs} rbp=${rbp}` +
    ` obl=${obl} oll=${oll} omem=${omem} tot-mem=${totMem} events=${events} cmd=${cmd} user=${c.user.name}` +
    ` redir=${c.trackingRedirect} resp=${c.resp}`;
}

/*
 * The cluster bus message, byte for byte as Redis 7.0 lays out `clusterMsg`
 * (redis/src/cluster.h; every integer big-endian):
 *
 *   0 sig "RCmb" | 4 totlen u32 | 8 ver u16 (1) | 10 port u16 | 12 type u16 |
 *   14 count u16 | 16 currentEpoch u64 | 24 configEpoch u64 | 32 offset u64 |
 *   40 sender[40] | 80 myslots[2048] (bit j = byte j/8, bit j&7) |
 *   2128 slaveof[40] (zeros: a master) | 2168 myip[46] | 2214 extensions u16 |
 *   2216 notused[30] | 2246 pport u16 | 2248 cport u16 | 2250 flags u16 |
 *   2252 state u8 | 2253 mflags[3] | 2256 data
 *
 * data: PING/PONG/MEET: `count` gossip entries of 104 bytes (nodename[40]
 * ping_sent u32 (s) pong_received u32 (s) ip[46] port u16 cport u16 flags u16
 * pport u16 notused u16), then `extensions` extensions (length u32, type u16,
 * pad u16, body padded to 8: type 0 is the hostname, NUL-terminated);
 * FAIL: nodename[40]; PUBLISH(SHARD): channel_len u32, message_len u32, bytes;
 * UPDATE: configEpoch u64, nodename[40], slots[2048]; MODULE: module_id u64,
 * len u32, type u8, bytes; AUTH_REQUEST/ACK, MFSTART: nothing.
 *
 * Names are 40 lowercase hex characters; strings are latin1 here.
 */
export const MSG_PING = 0;
export const MSG_PONG = 1;
export const MSG_MEET = 2;
export const MSG_FAIL = 3;
export const MSG_PUBLISH = 4;
export const MSG_AUTH_REQUEST = 5;
export const MSG_AUTH_ACK = 6;
export const MSG_UPDATE = 7;
export const MSG_MFSTART = 8;
export const MSG_MODULE = 9;
export const MSG_PUBLISHSHARD = 10;
export const MSG_TYPE_COUNT = 11;

export const MSG_TYPE_NAMES = ['ping', 'pong', 'meet', 'fail', 'publish', 'auth-req', 'auth-ack', 'update', 'mfstart', 'module', 'publishshard'];

export const FLAG0_PAUSED = 1;
export const FLAG0_FORCEACK = 2;
export const FLAG0_EXT_DATA = 4;

export const NAMELEN = 40;
export const IPLEN = 46;
export const SLOTS_BYTES = 2048;
/** sizeof(clusterMsg) - sizeof(union clusterMsgData): CLUSTERMSG_MIN_LEN */
export const HDR_LEN = 2256;
export const GOSSIP_LEN = 104;
export const FAIL_LEN = HDR_LEN + NAMELEN;
export const UPDATE_LEN = HDR_LEN + 8 + NAMELEN + SLOTS_BYTES;
const EXT_HOSTNAME = 0;

const O_SIG = 0, O_TOTLEN = 4, O_VER = 8, O_PORT = 10, O_TYPE = 12, O_COUNT = 14, O_CUR = 16, O_CONF = 24, O_OFFSET = 32,
  O_SENDER = 40, O_SLOTS = 80, O_SLAVEOF = 2128, O_MYIP = 2168, O_EXTS = 2214, O_PPORT = 2246, O_CPORT = 2248, O_FLAGS = 2250,
  O_STATE = 2252, O_MFLAGS = 2253;

export interface Gossip {
  name: string;
  pingSent: number;
  pongReceived: number;
  ip: string;
  port: number;
  cport: number;
  flags: number;
  pport: number;
}

/** What a sender says about itself in every message. */
export interface Header {
  type: number;
  totlen: number;
  ver: number;
  port: number;
  count: number;
  currentEpoch: number;
  configEpoch: number;
  offset: number;
  sender: string;
  myslots: Uint8Array;
  /** '' when the sender is a master */
  slaveof: string;
  myip: string;
  extensions: number;
  pport: number;
  cport: number;
  flags: number;
  state: number;
  mflags0: number;
}

/** a NUL-padded fixed field as a string (up to the first NUL) */
function cstr(b: Buffer, at: number, len: number): string {
  let end = at;
  while (end < at + len && b[end] !== 0) end++;
  return b.latin1Slice(at, end);
}

function u64(b: Buffer, at: number): number { return Number(b.readBigUInt64BE(at)); }

export function readHeader(b: Buffer): Header {
  const slaveofZero = b.subarray(O_SLAVEOF, O_SLAVEOF + NAMELEN).every((x) => x === 0);
  return {
    type: b.readUInt16BE(O_TYPE), totlen: b.readUInt32BE(O_TOTLEN), ver: b.readUInt16BE(O_VER), port: b.readUInt16BE(O_PORT),
    count: b.readUInt16BE(O_COUNT), currentEpoch: u64(b, O_CUR), configEpoch: u64(b, O_CONF), offset: u64(b, O_OFFSET),
    sender: b.latin1Slice(O_SENDER, O_SENDER + NAMELEN), myslots: b.subarray(O_SLOTS, O_SLOTS + SLOTS_BYTES),
    slaveof: slaveofZero ? '' : b.latin1Slice(O_SLAVEOF, O_SLAVEOF + NAMELEN), myip: cstr(b, O_MYIP, IPLEN),
    extensions: b.readUInt16BE(O_EXTS), pport: b.readUInt16BE(O_PPORT), cport: b.readUInt16BE(O_CPORT), flags: b.readUInt16BE(O_FLAGS),
    state: b[O_STATE]!, mflags0: b[O_MFLAGS]!,
  };
}

export function readGossip(b: Buffer, i: number): Gossip {
  const at = HDR_LEN + i * GOSSIP_LEN;
  return {
    name: b.latin1Slice(at, at + NAMELEN), pingSent: b.readUInt32BE(at + 40), pongReceived: b.readUInt32BE(at + 44),
    ip: cstr(b, at + 48, IPLEN), port: b.readUInt16BE(at + 94), cport: b.readUInt16BE(at + 96), flags: b.readUInt16BE(at + 98),
    pport: b.readUInt16BE(at + 100),
  };
}

/**
 * The expected length of a message given its fixed part (clusterProcessPacket's
 * explen), or an error line for extensions that do not fit; -1 for an unknown type.
 */
export function expectedLength(b: Buffer, h: Header): number | string {
  const t = h.type;
  if (t === MSG_PING || t === MSG_PONG || t === MSG_MEET) {
    let explen = HDR_LEN + GOSSIP_LEN * h.count;
    // (the bounds checks Debian's 7.0.15 carries for CVE-2026-92925: gossip and extensions must lie inside the message)
    if (explen > h.totlen) return `Received invalid ${MSG_TYPE_NAMES[t]} packet with gossip count ${h.count} that exceeds total packet length (${h.totlen})`;
    if (h.mflags0 & FLAG0_EXT_DATA) {
      let at = explen;
      for (let n = h.extensions; n > 0; n--) {
        if (at + 8 > b.length) return `Received invalid ${MSG_TYPE_NAMES[t]} packet with extension data that exceeds total packet length (${h.totlen})`;
        const extlen = b.readUInt32BE(at);
        if (extlen % 8 !== 0) return `Received a ${MSG_TYPE_NAMES[t]} packet without proper padding (${extlen} bytes)`;
        if (h.totlen - explen < extlen || extlen === 0) return `Received invalid ${MSG_TYPE_NAMES[t]} packet with extension data that exceeds total packet length (${h.totlen})`;
        const type = b.readUInt16BE(at + 4);
        if (type === EXT_HOSTNAME && b.indexOf(0, at + 8) < 0 || (type === EXT_HOSTNAME && b.indexOf(0, at + 8) >= at + extlen)) {
          return `Received ${MSG_TYPE_NAMES[t]} packet with missing null terminator in extension type ${type}`;
        }
        explen += extlen;
        at += extlen;
      }
    }
    return explen;
  }
  if (t === MSG_FAIL) return FAIL_LEN;
  if (t === MSG_PUBLISH || t === MSG_PUBLISHSHARD) {
    if (b.length < HDR_LEN + 8) return HDR_LEN + 8;
    return HDR_LEN + 8 + b.readUInt32BE(HDR_LEN) + b.readUInt32BE(HDR_LEN + 4);
  }
  if (t === MSG_AUTH_REQUEST || t === MSG_AUTH_ACK || t === MSG_MFSTART) return HDR_LEN;
  if (t === MSG_UPDATE) return UPDATE_LEN;
  if (t === MSG_MODULE) {
    if (b.length < HDR_LEN + 13) return HDR_LEN + 13;
    return HDR_LEN + 13 + b.readUInt32BE(HDR_LEN + 8);
  }
  return -1;
}

/** The hostname extension's value, '' when absent (clusterProcessPingExtensions). */
export function readHostnameExt(b: Buffer, h: Header, warn: (type: number) => void): string | null {
  if (!(h.mflags0 & FLAG0_EXT_DATA)) return null;
  let at = HDR_LEN + GOSSIP_LEN * h.count;
  let hostname: string | null = null;
  for (let n = h.extensions; n > 0; n--) {
    const len = b.readUInt32BE(at);
    const type = b.readUInt16BE(at + 4);
    if (type === EXT_HOSTNAME) hostname = cstr(b, at + 8, len - 8);
    else warn(type);
    at += len;
  }
  return hostname;
}

/** Our side of every header (clusterBuildMessageHdr's inputs). */
export interface Self {
  port: number;
  pport: number;
  cport: number;
  currentEpoch: number;
  configEpoch: number;
  offset: number;
  name: string;
  slots: Uint8Array;
  slaveof: string;
  announceIp: string;
  flags: number;
  state: number;
  mflags0: number;
}

/** A message of `totlen` bytes with the header filled in (the data part zeroed). */
export function buildMessage(type: number, me: Self, totlen: number): Buffer {
  const b = Buffer.alloc(totlen);
  b.latin1Write('RCmb', O_SIG);
  b.writeUInt32BE(totlen, O_TOTLEN);
  b.writeUInt16BE(1, O_VER);
  b.writeUInt16BE(me.port, O_PORT);
  b.writeUInt16BE(type, O_TYPE);
  b.writeBigUInt64BE(BigInt(me.currentEpoch), O_CUR);
  b.writeBigUInt64BE(BigInt(me.configEpoch), O_CONF);
  b.writeBigUInt64BE(BigInt(Math.max(0, me.offset)), O_OFFSET);
  b.latin1Write(me.name, O_SENDER, NAMELEN);
  b.set(me.slots, O_SLOTS);
  if (me.slaveof !== '') b.latin1Write(me.slaveof, O_SLAVEOF, NAMELEN);
  if (me.announceIp !== '') b.latin1Write(me.announceIp.slice(0, IPLEN - 1), O_MYIP);
  b.writeUInt16BE(me.pport, O_PPORT);
  b.writeUInt16BE(me.cport, O_CPORT);
  b.writeUInt16BE(me.flags & 0xffff, O_FLAGS);
  b[O_STATE] = me.state;
  b[O_MFLAGS] = me.mflags0;
  return b;
}

export function writeGossip(b: Buffer, i: number, g: Gossip): void {
  const at = HDR_LEN + i * GOSSIP_LEN;
  b.latin1Write(g.name, at, NAMELEN);
  b.writeUInt32BE(Math.floor(g.pingSent / 1000) >>> 0, at + 40);
  b.writeUInt32BE(Math.floor(g.pongReceived / 1000) >>> 0, at + 44);
  b.latin1Write(g.ip.slice(0, IPLEN - 1), at + 48);
  b.writeUInt16BE(g.port, at + 94);
  b.writeUInt16BE(g.cport, at + 96);
  b.writeUInt16BE(g.flags & 0xffff, at + 98);
  b.writeUInt16BE(g.pport, at + 100);
}

/** A PING/PONG/MEET with `gossip` entries and our hostname extension when we announce one. */
export function buildPing(type: number, me: Self, gossip: readonly Gossip[], hostname: string): Buffer {
  const extLen = hostname === '' ? 0 : 8 + Math.ceil((hostname.length + 1) / 8) * 8;
  const totlen = HDR_LEN + GOSSIP_LEN * gossip.length + extLen;
  const b = buildMessage(type, { ...me, mflags0: me.mflags0 | (extLen > 0 ? FLAG0_EXT_DATA : 0) }, totlen);
  b.writeUInt16BE(gossip.length, O_COUNT);
  for (let i = 0; i < gossip.length; i++) writeGossip(b, i, gossip[i]!);
  if (extLen > 0) {
    const at = HDR_LEN + GOSSIP_LEN * gossip.length;
    b.writeUInt32BE(extLen, at);
    b.writeUInt16BE(EXT_HOSTNAME, at + 4);
    b.latin1Write(hostname, at + 8);
    b.writeUInt16BE(1, O_EXTS);
  }
  return b;
}

export function buildFail(me: Self, about: string): Buffer {
  const b = buildMessage(MSG_FAIL, me, FAIL_LEN);
  b.latin1Write(about, HDR_LEN, NAMELEN);
  return b;
}

export function buildUpdate(me: Self, name: string, configEpoch: number, slots: Uint8Array): Buffer {
  const b = buildMessage(MSG_UPDATE, me, UPDATE_LEN);
  b.writeBigUInt64BE(BigInt(configEpoch), HDR_LEN);
  b.latin1Write(name, HDR_LEN + 8, NAMELEN);
  b.set(slots, HDR_LEN + 8 + NAMELEN);
  return b;
}

export function buildPublish(type: number, me: Self, channel: string, message: string): Buffer {
  const b = buildMessage(type, me, HDR_LEN + 8 + channel.length + message.length);
  b.writeUInt32BE(channel.length, HDR_LEN);
  b.writeUInt32BE(message.length, HDR_LEN + 4);
  b.latin1Write(channel, HDR_LEN + 8);
  b.latin1Write(message, HDR_LEN + 8 + channel.length);
  return b;
}

export function readPublish(b: Buffer): [channel: string, message: string] {
  const cl = b.readUInt32BE(HDR_LEN);
  const ml = b.readUInt32BE(HDR_LEN + 4);
  return [b.latin1Slice(HDR_LEN + 8, HDR_LEN + 8 + cl), b.latin1Slice(HDR_LEN + 8 + cl, HDR_LEN + 8 + cl + ml)];
}

export function readUpdate(b: Buffer): { configEpoch: number; name: string; slots: Uint8Array } {
  return { configEpoch: u64(b, HDR_LEN), name: b.latin1Slice(HDR_LEN + 8, HDR_LEN + 8 + NAMELEN), slots: b.subarray(HDR_LEN + 8 + NAMELEN, HDR_LEN + 8 + NAMELEN + SLOTS_BYTES) };
}

export function readFailAbout(b: Buffer): string { return b.latin1Slice(HDR_LEN, HDR_LEN + NAMELEN); }

export function testBit(bits: Uint8Array, pos: number): boolean { return (bits[pos >>> 3]! & (1 << (pos & 7))) !== 0; }
export function setBit(bits: Uint8Array, pos: number): void { bits[pos >>> 3]! |= 1 << (pos & 7); }
export function clearBit(bits: Uint8Array, pos: number): void { bits[pos >>> 3]! &= ~(1 << (pos & 7)); }

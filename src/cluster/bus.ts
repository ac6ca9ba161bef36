/*
 * Cluster bus links (redis/src/cluster.c createClusterLink, clusterReadHandler,
 * clusterSendMessage, clusterAcceptHandler): one TCP connection per direction
 * and peer on the bus port (port + 10000 unless cluster-port says otherwise).
 *
 * Framing as Redis reads it: the first 8 bytes give the signature "RCmb" and
 * the total length; a bad signature or a length below the fixed header drops
 * the link with "Bad message length or signature received from Cluster bus.".
 * A whole message is handed to `onMessage`, which returns false when it freed
 * the link. Sends are queued on the socket; `queued` counts the bytes not yet
 * written (CLUSTER LINKS send-buffer-*, cluster-link-sendbuf-limit).
 */
import net from 'node:net';
import { HDR_LEN, MSG_TYPE_COUNT } from './msg.js';
import type { ClusterNode } from './node.js';

export interface BusHandler {
  onMessage(link: Link, msg: Buffer): boolean;
  onConnected(link: Link): void;
  onClosed(link: Link): void;
  badFrame(): void;
  sent(type: number): void;
}

/** a link's own state (Redis: sizeof(clusterLink) plus the 1 KB receive buffer it starts with) */
const LINK_BASE_BYTES = 1024;

/** links with messages queued this turn, written on the next one */
let toFlush: Link[] = [];
let flushScheduled = false;

function flushLater(l: Link): void {
  toFlush.push(l);
  if (flushScheduled) return;
  flushScheduled = true;
  // setImmediate twice: after this turn's check phase (where client replies are written), in the next one
  setImmediate(() => setImmediate(() => {
    flushScheduled = false;
    const links = toFlush;
    toFlush = [];
    for (const x of links) x.flush();
  }));
}

export class Link {
  readonly ctime = Date.now();
  private rcv: Buffer[] = [];
  private rcvLen = 0;
  /** bytes handed to the socket and not yet written */
  queued = 0;
  freed = false;
  connected: boolean;

  /** `secure`: an outbound TLS link (tls-cluster) is up once its handshake is done */
  constructor(readonly socket: net.Socket, public node: ClusterNode | null, readonly inbound: boolean, private readonly handler: BusHandler, secure = false) {
    this.connected = inbound;
    socket.setNoDelay(true);
    socket.on('data', (d) => this.read(d));
    socket.on('error', () => this.free());
    socket.on('close', () => this.free());
    if (!inbound) {
      socket.once(secure ? 'secureConnect' : 'connect', () => { this.connected = true; handler.onConnected(this); });
    }
  }

  private read(d: Buffer): void {
    this.rcv.push(d);
    this.rcvLen += d.length;
    while (!this.freed && this.rcvLen >= 8) {
      const head = this.rcv.length === 1 ? this.rcv[0]! : (this.rcv = [Buffer.concat(this.rcv)])[0]!;
      const totlen = head.readUInt32BE(4);
      if (head.latin1Slice(0, 4) !== 'RCmb' || totlen < HDR_LEN) {
        this.handler.badFrame();
        this.free();
        return;
      }
      if (this.rcvLen < totlen) return;
      const msg = head.subarray(0, totlen);
      const rest = head.subarray(totlen);
      this.rcv = rest.length > 0 ? [rest] : [];
      this.rcvLen = rest.length;
      if (!this.handler.onMessage(this, msg)) return;
    }
  }

  /**
   * Queue a message (clusterSendMessage): it is written on the next turn of
   * the loop, after the replies of this turn's commands, as Redis's link write
   * handler runs after beforeSleep wrote them. A node that answers CLUSTER
   * SETSLOT ... NODE and broadcasts its new slot answers first, so the client's
   * next SETSLOT can reach the other node before the pong does.
   */
  send(msg: Buffer): void {
    if (this.freed) return;
    const type = msg.readUInt16BE(12);
    if (type < MSG_TYPE_COUNT) this.handler.sent(type);
    this.queued += msg.length;
    this.out.push(msg);
    if (this.out.length === 1) flushLater(this);
  }

  private out: Buffer[] = [];

  /** Hand the queued messages to the socket. */
  flush(): void {
    const out = this.out;
    if (out.length === 0) return;
    this.out = [];
    if (this.freed) return;
    const bytes = out.reduce((n, b) => n + b.length, 0);
    this.socket.write(out.length === 1 ? out[0]! : Buffer.concat(out, bytes), () => { this.queued -= bytes; });
  }

  /** freeClusterLink: close, and tell the owner (it detaches the node) */
  free(): void {
    if (this.freed) return;
    this.freed = true;
    this.socket.destroy();
    this.handler.onClosed(this);
  }

  /** getClusterLinkMemUsage: the link itself, what waits to be sent, what was read and not yet handled */
  get memUsage(): number { return this.freed ? 0 : LINK_BASE_BYTES + this.queued + this.rcvLen; }

  /** the events CLUSTER LINKS shows: r while open, w while output waits */
  get events(): string {
    if (this.freed) return '';
    return 'r' + (this.queued > 0 ? 'w' : '');
  }
}

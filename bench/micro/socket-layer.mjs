#!/usr/bin/env node
/*
 * What Node's socket stream layer costs per request, without any server work: a server that answers every
 * PING (inline or RESP, pipelined) with +PONG, in two forms:
 *   stream: net.Socket 'data' events and socket.write (Readable/Writable: what nodis-server uses today)
 *   handle: the TCP handle itself (handle.onread, handle.writeBuffer with a WriteWrap, no stream objects)
 * Usage: node bench/micro/socket-layer.mjs stream|handle PORT, then compare the two with bench.sh, e.g.
 *   node bench/micro/socket-layer.mjs stream 7041 & A=$!; node bench/micro/socket-layer.mjs handle 7042 & B=$!
 *   A_PID=$A B_PID=$B LABEL_A=stream LABEL_B=handle WORKLOADS=PING_MBULK ../shared/tools/bench/bench.sh 127.0.0.1:7041 127.0.0.1:7042
 * The handle form uses process.binding('stream_wrap') (Node internals): a measurement, not a pattern to ship as is.
 */
import net from 'node:net';

const [mode, portArg] = process.argv.slice(2);
const port = Number(portArg);
if ((mode !== 'stream' && mode !== 'handle') || !Number.isInteger(port)) {
  console.error('usage: socket-layer.mjs stream|handle PORT');
  process.exit(2);
}
const PONG = Buffer.from('+PONG\r\n');

/** replies for the commands in a read: one per 3 LFs of a RESP PING (*1 $4 PING), at least one */
function reply(d) {
  let lf = 0;
  for (let i = 0; i < d.length; i++) if (d[i] === 10) lf++;
  const n = Math.max(1, Math.floor(lf / 3));
  return n === 1 ? PONG : Buffer.from('+PONG\r\n'.repeat(n));
}

if (mode === 'stream') {
  net.createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (d) => s.write(reply(d)));
    s.on('error', () => {});
  }).listen(port, '127.0.0.1');
} else {
  const { WriteWrap, streamBaseState, kReadBytesOrError, kArrayBufferOffset } = process.binding('stream_wrap');
  const done = () => {};
  net.createServer({ pauseOnConnect: true }, (s) => {
    s.setNoDelay(true);
    s.on('error', () => {});
    const h = s._handle;
    h.onread = (ab) => {
      const n = streamBaseState[kReadBytesOrError];
      if (n <= 0) { if (n < 0) { h.readStop(); s.destroy(); } return; }
      const req = new WriteWrap();
      req.handle = h;
      req.oncomplete = done;
      req.async = false;
      h.writeBuffer(req, reply(new Uint8Array(ab, streamBaseState[kArrayBufferOffset], n)));
    };
    h.readStart();
  }).listen(port, '127.0.0.1');
}

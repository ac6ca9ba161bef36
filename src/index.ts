/*
 * The embedded API: start a Nodis server in-process and close it.
 *
 *   const s = await startServer({ port: 0 });   // any free port
 *   s.port; await s.close();
 *
 * Options are redis.conf directives by name ({ port: 0, dir: '/tmp/x', appendonly: true }).
 * Embedded defaults differ from redis-server's in two ways: bind 127.0.0.1, and no
 * snapshot save points (save '') so an embedded server writes nothing to disk unless
 * asked; like redis-server it loads dir/dbfilename at start when that file exists.
 * Several servers may run in one process.
 */
import { Server } from './server/server.js';

export { Server } from './server/server.js';
export { startCluster, type ClusterOptions, type RunningCluster } from './cluster/embedded.js';
export { startSentinel, type SentinelOptions, type RunningSentinel } from './sentinel/embedded.js';

export type ServerOptions = Record<string, string | number | boolean | string[]>;

export interface RunningServer {
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const server = new Server({ bind: '127.0.0.1', save: '', ...options });
  server.anyPort = true; // port 0: any free port (redis-server's port 0 means no TCP listener)
  await server.start();
  return { port: server.port, server, close: () => server.close() };
}

// Consistent-hash rings (src/ring): pure placement, usable client-side.
export {
  TwemproxyRing, KetamaRing, SlotRing, MaglevRing, RendezvousRing, HASHES as RING_HASHES, HASH_NAMES as RING_HASH_NAMES,
  type Ring, type RingServer, type TwemproxyRingOptions, type Distribution as RingDistribution, type HashName as RingHashName,
  type WeightedServer, type KetamaServer,
} from './ring/index.js';

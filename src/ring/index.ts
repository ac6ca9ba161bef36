/*
 * src/ring: consistent-hash placement, pure and usable client-side (no
 * sockets, no server state; imports nothing from the server but
 * keyspace/hashslot.ts).
 *
 * - TwemproxyRing: nutcracker-exact (every hashkit hash; ketama, modula,
 *   random; names, weights, hash tags), checked by golden vectors.
 * - KetamaRing: libketama / node-hashring MD5 placement.
 * - SlotRing: Redis Cluster CRC16 slots.
 * - MaglevRing, RendezvousRing: better balance and minimal movement.
 *
 * Every ring's lookup(key) takes a latin1 string (one char per byte, as keys
 * are held in Nodis) or a Uint8Array, and returns the index of the server in
 * the list the ring was built from. Lookups allocate nothing for string keys.
 */
export * from './hash.js';
export * from './twemproxy.js';
export * from './ketama.js';
export * from './slots.js';
export * from './maglev.js';
export * from './rendezvous.js';

/** what every ring offers */
export interface Ring {
  lookup(key: string | Uint8Array): number;
}

/*
 * Per-server feature installers: each module that needs server state or hooks
 * (slowlog, latency monitor, MONITOR feed, ...) exports an installer, listed
 * here; the Server constructor runs them all. Keeps server.ts free of
 * feature code and lets features attach per-instance state (several servers
 * live in one process).
 */
import type { Server } from './server.js';

export const FEATURES: ((server: Server) => void)[] = [];

/*
 * INFO: Redis 7.0's sections and field names (redis/src/server.c
 * genRedisInfoString), in its order, "# Section" headers, "name:value\r\n"
 * lines and an empty line between sections.
 *
 * Section selection as in genInfoSectionDict: no argument or "default" -> the
 * default sections; "all" -> every section but the module-generated ones;
 * "everything" -> all of them; other words name sections, case-insensitive.
 *
 * Values Nodis has no equivalent for (forks, jemalloc, io-threads ...) are the
 * values an idle Redis reports. Features built later override or add fields
 * through setInfoFields(server, section, provider): the provider's fields
 * replace same-named ones and new ones are appended to the section.
 */
import os from 'node:os';
import type { Server } from './server.js';
import { REDIS_VERSION, NODIS_VERSION } from './server.js';
import type { Command } from '../commands/registry.js';
import { usedMemoryNow } from '../keyspace/evict.js';

type Fields = [string, string | number][];
export type InfoProvider = (server: Server) => Record<string, string | number>;

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list',
  'errorstats', 'cluster', 'keyspace'];

/** Register extra/overriding fields for a section (lowercase section name). */
export function setInfoFields(server: Server, section: string, provider: InfoProvider): void {
  const all = infoProviders(server);
  const list = all.get(section) ?? [];
  list.push(provider);
  all.set(section, list);
}

/** Replace a section's generator (the replication module owns the whole Replication section, in Redis's order). */
export function setInfoSection(server: Server, section: string, gen: InfoProvider): void {
  let m = server.ext.get('info-sections') as Map<string, InfoProvider> | undefined;
  if (!m) { m = new Map(); server.ext.set('info-sections', m); }
  m.set(section, gen);
}

function infoProviders(server: Server): Map<string, InfoProvider[]> {
  let m = server.ext.get('info-providers') as Map<string, InfoProvider[]> | undefined;
  if (!m) { m = new Map(); server.ext.set('info-providers', m); }
  return m;
}

/** bytesToHuman: 100B, 2.00K, 1.50M ... */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let d = n / 1024;
  for (const u of units) {
    if (d < 1024) return `${d.toFixed(2)}${u}`;
    d /= 1024;
  }
  return `${n}B`;
}

/** Per-server state INFO needs that Server does not keep (peak memory, start-up memory, replication ids). */
interface InfoState { startupMemory: number; peak: number; replid: string }

function state(server: Server): InfoState {
  let s = server.ext.get('info-state') as InfoState | undefined;
  if (!s) {
    s = { startupMemory: usedMemory(), peak: 0, replid: randomHex(40) };
    server.ext.set('info-state', s);
  }
  return s;
}

const randomHex = (n: number): string =>
  [...crypto.getRandomValues(new Uint8Array(n / 2))].map((b) => b.toString(16).padStart(2, '0')).join('');

/** Memory in use: the JS heap plus off-heap buffers, as eviction counts it (keyspace/evict.ts). */
export function usedMemory(): number { return usedMemoryNow(); }

/** Installer: fixes the start-up memory baseline when a server is created. */
export function installInfo(server: Server): void { state(server); }

const fmtTime = (sec: number, usec: number): string => `${sec}.${String(usec).padStart(6, '0')}`;
const cpuTime = (micros: number): string => fmtTime(Math.floor(micros / 1e6), Math.floor(micros % 1e6));

function serverSection(server: Server): Fields {
  const now = Date.now();
  const uptime = Math.floor((now - server.startTime) / 1000);
  const hz = server.config.num('hz');
  return [
    ['redis_version', REDIS_VERSION], ['nodis_version', NODIS_VERSION], ['redis_git_sha1', '00000000'], ['redis_git_dirty', 0],
    ['redis_build_id', '0'], ['redis_mode', server.config.bool('cluster-enabled') ? 'cluster' : 'standalone'],
    ['os', `${os.type()} ${os.release()} ${os.machine()}`], ['arch_bits', 64], ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'epoll'], ['atomicvar_api', 'c11-builtin'], ['gcc_version', '0.0.0'],
    ['process_id', process.pid], ['process_supervised', 'no'], ['run_id', server.runId], ['tcp_port', server.announcedPort],
    ['server_time_usec', now * 1000], ['uptime_in_seconds', uptime], ['uptime_in_days', Math.floor(uptime / 86400)],
    ['hz', Math.max(1, Math.min(500, hz))], ['configured_hz', hz], ['lru_clock', Math.floor(now / 1000) & 0xffffff],
    ['executable', process.argv[1] ?? process.execPath], ['config_file', server.configFile], ['io_threads_active', 0],
    ...(server.shutdown.initiated ? [['shutdown_in_milliseconds', server.shutdown.remainingMs(now) ?? 0] as [string, number]] : []),
  ];
}

function clientsSection(server: Server): Fields {
  let blocked = 0;
  let replicas = 0;
  for (const c of server.clients.values()) {
    if (c.blocked) blocked++;
    if (c.isReplica && !c.monitor) replicas++;
  }
  return [
    // replicas are not counted (listLength(server.clients) - listLength(server.slaves))
    ['connected_clients', server.clients.size - replicas], ['cluster_connections', server.clusterConnections?.() ?? 0], ['maxclients', server.config.num('maxclients')],
    ['client_recent_max_input_buffer', 0], ['client_recent_max_output_buffer', 0], ['blocked_clients', blocked],
    ['tracking_clients', 0], ['clients_in_timeout_table', 0],
  ];
}

function memorySection(server: Server): Fields {
  const st = state(server);
  const used = usedMemory();
  if (used > st.peak) st.peak = used;
  const rss = process.memoryUsage.rss();
  const total = os.totalmem();
  const maxmemory = server.config.maxmemory;
  const overhead = st.startupMemory;
  const dataset = Math.max(0, used - overhead);
  const pct = (a: number, b: number): string => `${b === 0 ? '0.00' : ((a * 100) / b).toFixed(2)}%`;
  return [
    ['used_memory', used], ['used_memory_human', bytesToHuman(used)], ['used_memory_rss', rss],
    ['used_memory_rss_human', bytesToHuman(rss)], ['used_memory_peak', st.peak], ['used_memory_peak_human', bytesToHuman(st.peak)],
    ['used_memory_peak_perc', pct(used, st.peak)], ['used_memory_overhead', overhead], ['used_memory_startup', st.startupMemory],
    ['used_memory_dataset', dataset], ['used_memory_dataset_perc', pct(dataset, Math.max(1, used - st.startupMemory))],
    ['allocator_allocated', used], ['allocator_active', used], ['allocator_resident', rss],
    ['total_system_memory', total], ['total_system_memory_human', bytesToHuman(total)],
    ['used_memory_lua', 32768], ['used_memory_vm_eval', 32768], ['used_memory_lua_human', '32.00K'],
    ['used_memory_scripts_eval', 0], ['number_of_cached_scripts', 0], ['number_of_functions', 0], ['number_of_libraries', 0],
    ['used_memory_vm_functions', 32768], ['used_memory_vm_total', 65536], ['used_memory_vm_total_human', '64.00K'],
    ['used_memory_functions', 0], ['used_memory_scripts', 0], ['used_memory_scripts_human', '0B'],
    ['maxmemory', maxmemory], ['maxmemory_human', bytesToHuman(maxmemory)],
    ['maxmemory_policy', server.config.str('maxmemory-policy')],
    ['allocator_frag_ratio', '1.00'], ['allocator_frag_bytes', 0], ['allocator_rss_ratio', (rss / Math.max(1, used)).toFixed(2)],
    ['allocator_rss_bytes', rss - used], ['rss_overhead_ratio', '1.00'], ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', (rss / Math.max(1, used)).toFixed(2)], ['mem_fragmentation_bytes', rss - used],
    ['mem_not_counted_for_evict', 0], ['mem_replication_backlog', 0], ['mem_total_replication_buffers', 0],
    ['mem_clients_slaves', 0], ['mem_clients_normal', 0], ['mem_cluster_links', 0], ['mem_aof_buffer', 0],
    ['mem_allocator', 'libc'], ['active_defrag_running', 0], ['lazyfree_pending_objects', 0], ['lazyfreed_objects', server.stats.lazyfreedObjects],
  ];
}

function persistenceSection(server: Server): Fields {
  return [
    ['loading', server.ext.get('loading') === true ? 1 : 0], ['async_loading', server.persistence.asyncLoading ? 1 : 0], ['current_cow_peak', 0],
    ['current_cow_size', 0], ['current_cow_size_age', 0], ['current_fork_perc', '0.00'],
    ['current_save_keys_processed', 0], ['current_save_keys_total', 0],
    ['rdb_changes_since_last_save', server.recorder.dirty], ['rdb_bgsave_in_progress', 0],
    ['rdb_last_save_time', server.lastSave], ['rdb_last_bgsave_status', 'ok'], ['rdb_last_bgsave_time_sec', -1],
    ['rdb_current_bgsave_time_sec', -1], ['rdb_saves', 0], ['rdb_last_cow_size', 0], ['rdb_last_load_keys_expired', 0],
    ['rdb_last_load_keys_loaded', 0], ['aof_enabled', server.config.bool('appendonly') ? 1 : 0],
    ['aof_rewrite_in_progress', 0], ['aof_rewrite_scheduled', 0], ['aof_last_rewrite_time_sec', -1],
    ['aof_current_rewrite_time_sec', -1], ['aof_last_bgrewrite_status', 'ok'], ['aof_rewrites', 0],
    ['aof_rewrites_consecutive_failures', 0], ['aof_last_write_status', 'ok'], ['aof_last_cow_size', 0],
    ['module_fork_in_progress', 0], ['module_fork_last_cow_size', 0],
  ];
}

function statsSection(server: Server): Fields {
  const s = server.stats;
  let channels = 0;
  let patterns = 0;
  const seenCh = new Set<string>();
  const seenPat = new Set<string>();
  for (const c of server.clients.values()) {
    for (const ch of c.channels) if (!seenCh.has(ch)) { seenCh.add(ch); channels++; }
    for (const p of c.patterns) if (!seenPat.has(p)) { seenPat.add(p); patterns++; }
  }
  return [
    ['total_connections_received', s.totalConnections], ['total_commands_processed', s.totalCommands],
    ['instantaneous_ops_per_sec', s.instOps], ['total_net_input_bytes', s.netInputBytes],
    ['total_net_output_bytes', s.netOutputBytes], ['total_net_repl_input_bytes', 0], ['total_net_repl_output_bytes', 0],
    ['instantaneous_input_kbps', '0.00'], ['instantaneous_output_kbps', '0.00'], ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'], ['rejected_connections', s.rejectedConnections], ['sync_full', 0],
    ['sync_partial_ok', 0], ['sync_partial_err', 0], ['expired_keys', s.expiredKeys],
    ['expired_stale_perc', (s.expiredStalePerc * 100).toFixed(2)], ['expired_time_cap_reached_count', s.expiredTimeCapReached],
    ['expire_cycle_cpu_milliseconds', Math.round(s.expireCycleCpuMs)], ['evicted_keys', s.evictedKeys],
    ['evicted_clients', s.evictedClients], ['total_eviction_exceeded_time', 0], ['current_eviction_exceeded_time', 0],
    ['keyspace_hits', s.keyspaceHits], ['keyspace_misses', s.keyspaceMisses], ['pubsub_channels', channels],
    ['pubsub_patterns', patterns], ['pubsubshard_channels', 0], ['latest_fork_usec', server.persistence.latestForkUsec], ['total_forks', server.persistence.forks],
    ['migrate_cached_sockets', 0], ['slave_expires_tracked_keys', 0], ['active_defrag_hits', 0], ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0], ['active_defrag_key_misses', 0], ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0], ['tracking_total_keys', 0], ['tracking_total_items', 0],
    ['tracking_total_prefixes', 0], ['unexpected_error_replies', s.unexpectedErrorReplies], ['total_error_replies', s.totalErrorReplies],
    ['dump_payload_sanitizations', 0], ['total_reads_processed', s.totalCommands], ['total_writes_processed', s.totalCommands],
    ['io_threaded_reads_processed', 0], ['io_threaded_writes_processed', 0], ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ];
}

function replicationSection(server: Server): Fields {
  return [
    ['role', 'master'], ['connected_slaves', 0], ['master_failover_state', 'no-failover'],
    ['master_replid', state(server).replid], ['master_replid2', '0'.repeat(40)], ['master_repl_offset', 0],
    ['second_repl_offset', -1], ['repl_backlog_active', 0], ['repl_backlog_size', server.config.num('repl-backlog-size')],
    ['repl_backlog_first_byte_offset', 0], ['repl_backlog_histlen', 0],
  ];
}

function cpuSection(): Fields {
  const self = process.resourceUsage();
  const main = process.cpuUsage();
  return [
    ['used_cpu_sys', cpuTime(self.systemCPUTime)], ['used_cpu_user', cpuTime(self.userCPUTime)],
    ['used_cpu_sys_children', '0.000000'], ['used_cpu_user_children', '0.000000'],
    ['used_cpu_sys_main_thread', cpuTime(main.system)], ['used_cpu_user_main_thread', cpuTime(main.user)],
  ];
}

/** Every command and subcommand of the table, depth first (INFO commandstats order). */
function* allCommands(server: Server): Generator<Command> {
  yield* server.table.all();
}

/** getSafeInfoString: ':' and '\r\n' in names would break the format. */
const safe = (s: string): string => s.replace(/[:\r\n]/g, '_');

function commandstatsSection(server: Server): Fields {
  const out: Fields = [];
  for (const c of allCommands(server)) {
    const st = c.stats;
    if (st.calls || st.failed || st.rejected) {
      const per = st.calls === 0 ? 0 : Math.fround(st.usec / st.calls);
      out.push([`cmdstat_${safe(c.fullname)}`,
        `calls=${st.calls},usec=${st.usec},usec_per_call=${per.toFixed(2)},rejected_calls=${st.rejected},failed_calls=${st.failed}`]);
    }
  }
  return out;
}

function errorstatsSection(server: Server): Fields {
  const keys = [...server.stats.errors.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => [`errorstat_${safe(k)}`, `count=${server.stats.errors.get(k)}`]);
}

/** Latency percentiles per command: filled by the latency module through setInfoFields('latencystats'). */
function keyspaceSection(server: Server): Fields {
  const out: Fields = [];
  for (const db of server.dbs) {
    const keys = db.size;
    const vkeys = db.expires.size;
    if (keys || vkeys) out.push([`db${db.id}`, `keys=${keys},expires=${vkeys},avg_ttl=${Math.round(db.avgTtl)}`]);
  }
  return out;
}

const SECTIONS: [name: string, title: string, gen: (s: Server) => Fields, inDefault: boolean][] = [
  ['server', 'Server', serverSection, true],
  ['clients', 'Clients', clientsSection, true],
  ['memory', 'Memory', memorySection, true],
  ['persistence', 'Persistence', persistenceSection, true],
  ['stats', 'Stats', statsSection, true],
  ['replication', 'Replication', replicationSection, true],
  ['cpu', 'CPU', cpuSection, true],
  ['modules', 'Modules', () => [], true],
  ['commandstats', 'Commandstats', commandstatsSection, false],
  ['errorstats', 'Errorstats', errorstatsSection, true],
  ['latencystats', 'Latencystats', () => [], false],
  ['cluster', 'Cluster', (s) => [['cluster_enabled', s.config.bool('cluster-enabled') ? 1 : 0]], true],
  ['keyspace', 'Keyspace', keyspaceSection, true],
];

/** Apply the registered providers of a section: same names replaced, new ones appended. */
function withProviders(server: Server, section: string, fields: Fields): Fields {
  const providers = infoProviders(server).get(section);
  if (!providers) return fields;
  for (const p of providers) {
    const extra = p(server);
    for (const [k, v] of Object.entries(extra)) {
      const i = fields.findIndex(([n]) => n === k);
      if (i >= 0) fields[i] = [k, v];
      else fields.push([k, v]);
    }
  }
  return fields;
}

/** The INFO text for the given arguments (argv after "INFO"). */
export function infoString(server: Server, args: readonly string[]): string {
  const wanted = new Set<string>();
  let all = false;
  if (args.length === 0) for (const s of DEFAULT_SECTIONS) wanted.add(s);
  for (const a of args) {
    const l = a.toLowerCase();
    if (l === 'default') for (const s of DEFAULT_SECTIONS) wanted.add(s);
    else if (l === 'all' || l === 'everything') all = true;
    else wanted.add(l);
  }
  let out = '';
  let n = 0;
  for (const [name, title, gen] of SECTIONS) {
    const want = all || wanted.has(name) || (name === 'modules' && wanted.has('module_list'));
    if (!want) continue;
    if (n++) out += '\r\n';
    out += `# ${title}\r\n`;
    if (name === 'latencystats' && !server.config.bool('latency-tracking')) continue;
    const own = (server.ext.get('info-sections') as Map<string, InfoProvider> | undefined)?.get(name);
    const fields: Fields = own !== undefined ? Object.entries(own(server)) : gen(server);
    for (const [k, v] of withProviders(server, name, fields)) out += `${k}:${v}\r\n`;
  }
  return out;
}

/** CONFIG RESETSTAT: server stats, per-command stats, error stats (resetServerStats & co). */
export function resetStats(server: Server): void {
  server.stats.reset();
  for (const c of server.table.all()) { c.stats.calls = 0; c.stats.usec = 0; c.stats.rejected = 0; c.stats.failed = 0; }
  const hooks = server.ext.get('resetstat-hooks') as (() => void)[] | undefined;
  for (const h of hooks ?? []) h();
}

/** Features with their own statistics (latency histograms ...) reset them here. */
export function onResetStats(server: Server, hook: () => void): void {
  const hooks = (server.ext.get('resetstat-hooks') as (() => void)[] | undefined) ?? [];
  hooks.push(hook);
  server.ext.set('resetstat-hooks', hooks);
}

/*
 * How load failures are reported, as redis/src/rdb.c rdbReportError does:
 * "Internal error in RDB reading offset <n>, function at rdb.c:<line> -> <reason>".
 * The line is where Redis 7.0.15's rdb.c reports that reason (its __LINE__),
 * looked up here by the reason's text: RdbError messages are Redis's reasons.
 * RESTORE logs the line at verbose level and goes on; a file load logs it as
 * a warning, then the redis-check-rdb report (fileCheckReport), then dies.
 * Reasons Nodis has and Redis has not (stricter checks) get line 0.
 */

/** Redis's rdb.c line per reason (prefix of the reason's text), Redis 7.0.15. */
const LINES: readonly (readonly [string, number])[] = [
  ['Unknown length encoding', 236],
  ['Unknown RDB integer encoding type', 308],
  ['Invalid LZF compressed string', 413],
  ['Unknown RDB string encoding type', 529],
  ['OOM in dictTryExpand', 1784],
  ['Duplicate set members detected', 1828],
  ['Zset with NAN score detected', 1881],
  ['Duplicate zset fields detected', 1893],
  ['Hash with dup elements', 1950],
  ['Duplicate hash fields detected', 1968],
  ['Quicklist integrity check failed.', 2047],
  ['Listpack integrity check failed.', 2070],
  ['Ziplist integrity check failed.', 2080],
  ['Zipmap integrity check failed.', 2129],
  ['Hash zipmap with dup elements', 2153],
  ['List ziplist integrity check failed.', 2187],
  ['Intset integrity check failed.', 2212],
  ['Zset ziplist integrity check failed.', 2227],
  ['Zset listpack integrity check failed.', 2253],
  ['Hash ziplist integrity check failed.', 2273],
  ['Hash listpack integrity check failed.', 2299],
  ['Unknown RDB encoding type', 2317],
  ['Stream listpacks len loading failed.', 2325],
  ['Stream master ID loading failed', 2336],
  ['Stream node key entry is not the size of a stream ID', 2341],
  ['Stream listpacks loading failed.', 2353],
  ['Stream listpack integrity check failed.', 2360],
  ['Empty listpack inside stream', 2372],
  ['Listpack re-added with existing key', 2384],
  ['Stream object metadata loading failed.', 2422],
  ['Stream length inconsistent with rax entries', 2428],
  ['Stream cgroup count loading failed.', 2436],
  ['Error reading the consumer group name from Stream', 2447],
  ['Stream cgroup ID loading failed.', 2456],
  ['Stream cgroup offset loading failed.', 2467],
  ['Duplicated consumer group name', 2478],
  ['Stream PEL size loading failed.', 2493],
  ['Stream PEL ID loading failed.', 2500],
  ['Stream PEL NACK loading failed.', 2508],
  ['Duplicated global PEL entry', 2514],
  ['Stream consumers num loading failed.', 2526],
  ['Error reading the consumer name from Stream group.', 2533],
  ['Duplicate stream consumer detected.', 2542],
  ['Stream short read reading seen time.', 2548],
  ['Stream consumer PEL num loading failed.', 2557],
  ['Stream short read reading PEL streamID.', 2565],
  ['Consumer entry not found in group global PEL', 2572],
  ['Duplicated consumer PEL entry', 2583],
  ['Stream CG PEL entry without consumer', 2602],
  ['The RDB file contains module data', 2627],
  ['RDB CRC error', 3216],
  ['Unexpected EOF reading RDB file', 3240],
];

/** rdb.c's line for a reason, 0 when Redis has no such report. */
export function rdbErrorLine(reason: string): number {
  for (const [prefix, line] of LINES) if (reason.startsWith(prefix)) return line;
  return 0;
}

/** rdbReportError's message. */
export function rdbErrorText(reason: string, offset = 0): string {
  return `Internal error in RDB reading offset ${offset}, function at rdb.c:${rdbErrorLine(reason)} -> ${reason}`;
}

/** redis-check-rdb's names of the value types (rdb_type_string; types past it are "unknown"). */
const TYPE_NAMES = [
  'string', 'list-linked', 'set-hashtable', 'zset-v1', 'hash-hashtable', 'zset-v2', 'module-value', '', '',
  'hash-zipmap', 'list-ziplist', 'set-intset', 'zset-ziplist', 'hash-ziplist', 'quicklist', 'stream',
  'hash-listpack', 'zset-listpack', 'quicklist-v2',
];

export const rdbTypeName = (t: number): string => TYPE_NAMES[t] ?? 'unknown';

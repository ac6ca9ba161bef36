/*
 * Server-wide counters behind INFO stats/commandstats/errorstats.
 * Per-command counters live on each Command (registry.ts).
 */
export class Stats {
  totalConnections = 0;
  rejectedConnections = 0;
  totalCommands = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  expiredKeys = 0;
  expiredStalePerc = 0;
  expiredTimeCapReached = 0;
  expireCycleCpuMs = 0;
  evictedKeys = 0;
  /** INFO lazyfreed_objects (keyspace/lazyfree.ts) */
  lazyfreedObjects = 0;
  evictedClients = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  totalErrorReplies = 0;
  /** errors sent to our master or by a replica's command (INFO unexpected_error_replies) */
  unexpectedErrorReplies = 0;
  clientOutputLimitDisconnections = 0;
  clientQueryBufferLimitDisconnections = 0;
  /** error code (first word) -> count (INFO errorstats) */
  readonly errors = new Map<string, number>();
  /** ring of (time, commands) samples for instantaneous_ops_per_sec */
  opsSamples: number[] = [];
  lastSampleCommands = 0;
  lastSampleTime = Date.now();
  instOps = 0;

  /** total_error_replies when command stats last looked (incrCommandStatsOnError's prev_err_count) */
  private prevErrCount = 0;

  /**
   * incrCommandStatsOnError: were errors replied since the last look? Looks now. call() looks before and
   * after a command, a script's refused call after its error, so a command that ran others (EVAL, EXEC)
   * fails only for errors after the last of them (a script that caught an error with pcall did not fail).
   */
  errorsSinceLastLook(): boolean {
    const more = this.totalErrorReplies > this.prevErrCount;
    this.prevErrCount = this.totalErrorReplies;
    return more;
  }

  /** An error reply (line without its '-'): its code is the first word if a space comes within 32 bytes of "-", else ERR (afterErrorReply). */
  countError(line: string): void {
    this.totalErrorReplies++;
    const sp = line.indexOf(' ');
    const code = sp < 0 || sp > 30 ? 'ERR' : line.slice(0, sp);
    if (this.errors.size >= 128 && !this.errors.has(code)) return;
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  /** Called from the cron: update instantaneous ops/sec over the last samples. */
  sample(now: number): void {
    const dt = now - this.lastSampleTime;
    if (dt <= 0) return;
    const ops = ((this.totalCommands - this.lastSampleCommands) * 1000) / dt;
    this.opsSamples.push(ops);
    if (this.opsSamples.length > 16) this.opsSamples.shift();
    this.instOps = Math.round(this.opsSamples.reduce((a, b) => a + b, 0) / this.opsSamples.length);
    this.lastSampleCommands = this.totalCommands;
    this.lastSampleTime = now;
  }

  reset(): void {
    const fresh = new Stats();
    Object.assign(this, fresh);
    this.errors.clear();
  }
}

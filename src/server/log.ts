/*
 * Redis-style log lines: "<pid>:<role> <dd Mon yyyy hh:mm:ss.mmm> <level-char> <message>",
 * level chars . - * # for debug, verbose, notice, warning (redis/src/server.c serverLogRaw).
 * Written to the logfile, or stdout when logfile is "".
 */
import { appendFileSync } from 'node:fs';

const LEVELS = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 } as const;
export type LogLevel = keyof typeof LEVELS;
const MARKS = ['.', '-', '*', '#'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => (n < 10 ? '0' : '') + n;

export class Logger {
  level: LogLevel = 'notice';
  file = '';
  role = 'M';

  private write(lvl: number, msg: string): void {
    if (lvl < LEVELS[this.level]) return;
    this.out(this.prefix(lvl) + msg + '\n');
  }

  /** "<pid>:<role> <timestamp> <mark> " as serverLogRaw writes before a message. */
  private prefix(lvl: number): string {
    const d = new Date();
    const ts = `${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
    return `${process.pid}:${this.role} ${ts} ${MARKS[lvl]} `;
  }

  private out(text: string): void {
    if (this.file === '') process.stdout.write(text);
    else appendFileSync(this.file, text);
  }

  /** Text as it is, without the line prefix (serverLogRaw with LL_RAW: the logo, bug report banners). */
  rawText(level: LogLevel, text: string): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    this.out(text);
  }

  debug(msg: string): void { this.write(0, msg); }
  verbose(msg: string): void { this.write(1, msg); }
  notice(msg: string): void { this.write(2, msg); }
  warning(msg: string): void { this.write(3, msg); }
  /** DEBUG LOG and similar: a notice-level line. */
  raw(level: LogLevel, msg: string): void { this.write(LEVELS[level], msg); }
}

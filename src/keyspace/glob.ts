/*
 * Redis's glob matcher (redis/src/util.c stringmatchlen), byte for byte:
 *   *       any run of bytes (consecutive stars collapse)
 *   ?       any one byte
 *   [abc]   one of the set; [^abc] none of it; [a-z] a range (ends may be given
 *           in either order); \x inside a set is a literal x; an unterminated
 *           set ends at the pattern's end
 *   \x      a literal x
 * nocase folds A-Z only (C locale tolower). Like Redis, bytes >= 0x80 compare
 * as signed chars in ranges, and once the rest of a pattern after a star fails
 * to match anywhere, earlier stars give up too (Redis's skipLongerMatches: no
 * exponential blow-up on patterns like *a*a*a*a*b).
 *
 * Pattern and subject are latin1 strings (one char per byte). Reading past the
 * pattern's end yields 0, as the C code reads the sds terminator.
 */

const STAR = 42;
const QMARK = 63;
const LBRACKET = 91;
const RBRACKET = 93;
const BACKSLASH = 92;
const CARET = 94;
const DASH = 45;

const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);
/** a byte as C's (signed) char */
const signed = (c: number): number => (c >= 128 ? c - 256 : c);

interface State { skipLonger: boolean }

function match(pat: string, p: number, str: string, s: number, nocase: boolean, st: State): boolean {
  const plen = pat.length;
  const slen = str.length;
  const at = (i: number): number => (i < plen ? pat.charCodeAt(i) : 0);
  while (p < plen && s < slen) {
    const pc = pat.charCodeAt(p);
    switch (pc) {
      case STAR: {
        while (p < plen && at(p + 1) === STAR) p++;
        if (plen - p === 1) return true;
        while (s < slen) {
          if (match(pat, p + 1, str, s, nocase, st)) return true;
          if (st.skipLonger) return false;
          s++;
        }
        st.skipLonger = true;
        return false;
      }
      case QMARK:
        s++;
        break;
      case LBRACKET: {
        p++;
        const not = at(p) === CARET;
        if (not) p++;
        let hit = false;
        const sc = str.charCodeAt(s);
        for (;;) {
          const c0 = at(p);
          if (c0 === BACKSLASH && plen - p >= 2) {
            p++;
            if (at(p) === sc) hit = true;
          } else if (c0 === RBRACKET) {
            break;
          } else if (p >= plen) {
            p--;
            break;
          } else if (plen - p >= 3 && at(p + 1) === DASH) {
            let start = signed(c0);
            let end = signed(at(p + 2));
            let c = signed(sc);
            if (start > end) { const t = start; start = end; end = t; }
            if (nocase) { start = lower(start); end = lower(end); c = lower(c); }
            p += 2;
            if (c >= start && c <= end) hit = true;
          } else if (nocase ? lower(c0) === lower(sc) : c0 === sc) {
            hit = true;
          }
          p++;
        }
        if (not) hit = !hit;
        if (!hit) return false;
        s++;
        break;
      }
      default: {
        if (pc === BACKSLASH && plen - p >= 2) p++;
        const c = pat.charCodeAt(p);
        const sc = str.charCodeAt(s);
        if (nocase ? lower(c) !== lower(sc) : c !== sc) return false;
        s++;
        break;
      }
    }
    p++;
    if (s === slen) {
      while (at(p) === STAR) p++;
      break;
    }
  }
  return p >= plen && s === slen;
}

/** True if str matches the glob pattern (Redis's stringmatchlen). */
export function globMatch(pattern: string, str: string, nocase = false): boolean {
  try {
    return match(pattern, 0, str, 0, nocase, { skipLonger: false });
  } catch (e) {
    if (e instanceof RangeError) return false; // pathological nesting beyond the JS stack
    throw e;
  }
}

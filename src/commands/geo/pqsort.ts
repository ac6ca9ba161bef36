/*
 * A partial quicksort with the exact element moves of Redis's pqsort (the
 * BSD Bentley-McIlroy quicksort: insertion sort below 7 elements, median of
 * three or ninther pivots, equal keys gathered at both ends then swapped to
 * the middle), skipping partitions that lie wholly outside the wanted ranks
 * [lrange, rrange]. GEOSEARCH ... COUNT sorts with it, so which of several
 * equally distant points come first depends on these moves: reproduced here
 * so ties come out as in Redis.
 */

export function pqsort<T>(arr: T[], cmp: (a: T, b: T) => number, lrange: number, rrange: number): void {
  sortRange(arr, 0, arr.length, cmp, lrange, rrange);
}

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

function vecswap<T>(a: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k);
}

function med3<T>(a: T[], i: number, j: number, k: number, cmp: (a: T, b: T) => number): number {
  if (cmp(a[i]!, a[j]!) < 0) return cmp(a[j]!, a[k]!) < 0 ? j : cmp(a[i]!, a[k]!) < 0 ? k : i;
  return cmp(a[j]!, a[k]!) > 0 ? j : cmp(a[i]!, a[k]!) < 0 ? i : k;
}

/** Ranks [s, s + n) and [lrange, rrange] overlap. */
const wanted = (s: number, n: number, lrange: number, rrange: number): boolean => !(rrange < s || lrange >= s + n);

function sortRange<T>(a: T[], base: number, n: number, cmp: (a: T, b: T) => number, lrange: number, rrange: number): void {
  for (;;) {
    if (n < 7) {
      for (let m = base + 1; m < base + n; m++) {
        for (let l = m; l > base && cmp(a[l - 1]!, a[l]!) > 0; l--) swap(a, l, l - 1);
      }
      return;
    }
    let pm = base + (n >> 1);
    if (n > 7) {
      let pl = base;
      let pn = base + n - 1;
      if (n > 40) {
        const d = n >> 3;
        pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(a, pm - d, pm, pm + d, cmp);
        pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(a, pl, pm, pn, cmp);
    }
    swap(a, base, pm);
    let pa = base + 1;
    let pb = pa;
    let pc = base + n - 1;
    let pd = pc;
    for (;;) {
      let r: number;
      while (pb <= pc && (r = cmp(a[pb]!, a[base]!)) <= 0) {
        if (r === 0) { swap(a, pa, pb); pa++; }
        pb++;
      }
      while (pb <= pc && (r = cmp(a[pc]!, a[base]!)) >= 0) {
        if (r === 0) { swap(a, pc, pd); pd--; }
        pc--;
      }
      if (pb > pc) break;
      swap(a, pb, pc);
      pb++;
      pc--;
    }
    const end = base + n;
    let r = Math.min(pa - base, pb - pa);
    vecswap(a, base, pb - r, r);
    r = Math.min(pd - pc, end - pd - 1);
    vecswap(a, pb, end - r, r);
    r = pb - pa;
    if (r > 1 && wanted(base, r, lrange, rrange)) sortRange(a, base, r, cmp, lrange, rrange);
    r = pd - pc;
    if (r <= 1) return;
    base = end - r;
    n = r;
    if (!wanted(base, n, lrange, rrange)) return;
  }
}

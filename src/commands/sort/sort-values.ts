/* The list side of SORT: reading the source list (length, a range in either direction, all elements) and building the STORE result. */
import type { Client } from '../../server/client.js';
import type { Value } from '../../types/value.js';
import { List } from '../../types/list.js';

export const listLength = (v: Value): number => (v as List).length;

/** `n` elements from index `from`, towards the tail (or the head when `rev`). */
export function listRange(v: Value, from: number, n: number, rev: boolean, visit: (m: string) => void): void {
  const l = v as List;
  for (let i = from, k = 0; k < n && i >= 0 && i < l.length; k++, i += rev ? -1 : 1) visit(l.at(i));
}

export const listElements = (v: Value): string[] => { const l = v as List; return l.slice(0, l.length); };

/** The list SORT ... STORE writes. */
export const newList = (_c: Client, items: readonly string[]): List => List.from(items);

/*
 * Node's Buffer has fast latin1 accessors (latin1Slice / latin1Write) that
 * @types/node does not declare; Nodis strings are latin1, so the codec uses
 * them directly. This declaration makes them visible to the type checker.
 */
declare global {
  interface Buffer {
    latin1Slice(start?: number, end?: number): string;
    latin1Write(s: string, offset?: number, length?: number): number;
  }
}
export {};

/*
 * The YAML subset twemproxy configuration files use (twitter/twemproxy
 * conf/nutcracker*.yml; nutcracker reads them with libyaml): block mappings,
 * block sequences, plain / 'single' / "double" quoted scalars, comments, one
 * document. Enough to read every nutcracker.yml unchanged, small enough to
 * give line numbers for every error.
 *
 * Invariants:
 * - Every node carries the 1-based line it starts on; every error thrown is
 *   a YamlError whose message begins "line N: ".
 * - Indentation is spaces only; a tab in indentation is an error.
 * - Flow collections ([a, b], {a: b}), anchors, tags and multi-line scalars
 *   are refused with a clear message rather than misread.
 * - Duplicate keys in one mapping are an error (libyaml keeps both and
 *   nutcracker then complains about a duplicate directive).
 */

export type YamlNode =
  | { kind: 'map'; line: number; entries: { key: string; line: number; value: YamlNode }[] }
  | { kind: 'seq'; line: number; items: YamlNode[] }
  | { kind: 'scalar'; line: number; value: string; quoted: boolean };

export class YamlError extends Error {
  constructor(readonly line: number, msg: string) {
    super(`line ${line}: ${msg}`);
  }
}

interface Line { n: number; indent: number; text: string }

/** strip a comment (a '#' at the start or after whitespace, outside quotes) and trailing spaces */
function stripComment(s: string, n: number): string {
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q !== null) {
      if (c === '\\' && q === '"') { i++; continue; }
      if (c === q) {
        if (q === "'" && s[i + 1] === "'") { i++; continue; }
        q = null;
      }
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0 || /[\s:\-[{,]/.test(s[i - 1]!))) q = c;
    else if (c === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t')) return s.slice(0, i).trimEnd();
  }
  if (q !== null) throw new YamlError(n, `unterminated ${q === '"' ? 'double' : 'single'}-quoted string`);
  return s.trimEnd();
}

function scalar(raw: string, n: number): { value: string; quoted: boolean } {
  const s = raw.trim();
  if (s.startsWith('"')) {
    let out = '';
    let i = 1;
    for (; i < s.length && s[i] !== '"'; i++) {
      const c = s[i]!;
      if (c !== '\\') { out += c; continue; }
      const e = s[++i];
      const hex = (len: number): void => {
        const h = s.slice(i + 1, i + 1 + len);
        if (!/^[0-9a-fA-F]+$/.test(h) || h.length !== len) throw new YamlError(n, `bad escape \\${e}${h}`);
        const cp = parseInt(h, 16);
        // \xNN is a byte; \uNNNN and \UNNNNNNNN a character, written as its UTF-8 bytes
        // (the configuration is handled as latin1 text, one char per byte)
        out += len === 2 ? String.fromCharCode(cp) : Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
        i += len;
      };
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '0': out += '\0'; break;
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case ' ': out += ' '; break;
        case 'x': hex(2); break;
        case 'u': hex(4); break;
        case 'U': hex(8); break;
        default: throw new YamlError(n, `bad escape \\${e ?? ''} in a double-quoted string`);
      }
    }
    if (i >= s.length) throw new YamlError(n, 'unterminated double-quoted string');
    if (i !== s.length - 1) throw new YamlError(n, `unexpected text after a quoted string: ${s.slice(i + 1)}`);
    return { value: out, quoted: true };
  }
  if (s.startsWith("'")) {
    let out = '';
    let i = 1;
    for (; i < s.length; i++) {
      if (s[i] === "'") {
        if (s[i + 1] === "'") { out += "'"; i++; continue; }
        break;
      }
      out += s[i];
    }
    if (i >= s.length) throw new YamlError(n, 'unterminated single-quoted string');
    if (i !== s.length - 1) throw new YamlError(n, `unexpected text after a quoted string: ${s.slice(i + 1)}`);
    return { value: out, quoted: true };
  }
  if (/^[[{]/.test(s)) throw new YamlError(n, 'flow collections ([...] or {...}) are not supported; use block style');
  if (/^[&*!|>]/.test(s)) throw new YamlError(n, `anchors, aliases, tags and block scalars are not supported: ${s}`);
  return { value: s, quoted: false };
}

/** index of the ':' that ends a mapping key in text, or -1 */
function keyColon(text: string): number {
  if (text.startsWith('"') || text.startsWith("'")) {
    const q = text[0]!;
    for (let i = 1; i < text.length; i++) {
      if (q === '"' && text[i] === '\\') { i++; continue; }
      if (text[i] === q) {
        if (q === "'" && text[i + 1] === "'") { i++; continue; }
        return text[i + 1] === ':' && (i + 2 === text.length || text[i + 2] === ' ') ? i + 1 : -1;
      }
    }
    return -1;
  }
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ':' && (i + 1 === text.length || text[i + 1] === ' ')) return i;
  }
  return -1;
}

export function parseYaml(src: string): YamlNode | null {
  const lines: Line[] = [];
  // a byte-order mark, whether the text was decoded as UTF-8 or read as latin1 bytes
  const raw = src.replace(/^(\uFEFF|\xEF\xBB\xBF)/, '').split(/\r?\n/);
  let docs = 0;
  for (let i = 0; i < raw.length; i++) {
    const n = i + 1;
    const l = raw[i]!;
    const m = /^( *)(\t*)/.exec(l)!;
    const body = stripComment(l, n);
    if (body.trim() === '') continue;
    if (m[2]!.length > 0) throw new YamlError(n, 'tab character in indentation (YAML allows spaces only)');
    if (body === '---') { if (++docs > 1 || lines.length > 0) throw new YamlError(n, 'only one YAML document is allowed'); continue; }
    if (body === '...') continue;
    if (body.startsWith('%')) throw new YamlError(n, 'YAML directives are not supported');
    lines.push({ n, indent: m[1]!.length, text: body.slice(m[1]!.length) });
  }
  if (lines.length === 0) return null;
  let pos = 0;

  /** the block starting at lines[pos], at that line's indentation */
  function block(): YamlNode {
    const first = lines[pos]!;
    if (first.text === '-' || first.text.startsWith('- ')) return seq(first.indent);
    return map(first.indent);
  }

  function seq(indent: number): YamlNode {
    const node: YamlNode = { kind: 'seq', line: lines[pos]!.n, items: [] };
    while (pos < lines.length) {
      const l = lines[pos]!;
      if (l.indent < indent) break;
      if (l.indent > indent) throw new YamlError(l.n, 'bad indentation of a sequence entry');
      if (!(l.text === '-' || l.text.startsWith('- '))) break;
      const rest = l.text.slice(1).replace(/^ +/, '');
      if (rest === '') {
        pos++;
        if (pos < lines.length && lines[pos]!.indent > indent) node.items.push(block());
        else node.items.push({ kind: 'scalar', line: l.n, value: '', quoted: false });
        continue;
      }
      const inner = indent + (l.text.length - rest.length);
      if (rest === '-' || rest.startsWith('- ') || keyColon(rest) >= 0) {
        // a nested block starting on the entry's line: re-read the rest as a line of its own
        lines[pos] = { n: l.n, indent: inner, text: rest };
        node.items.push(block());
        continue;
      }
      node.items.push({ kind: 'scalar', line: l.n, ...scalar(rest, l.n) });
      pos++;
      if (pos < lines.length && lines[pos]!.indent > indent) throw new YamlError(lines[pos]!.n, 'multi-line scalars are not supported (or bad indentation)');
    }
    return node;
  }

  function map(indent: number): YamlNode {
    const node: { kind: 'map'; line: number; entries: { key: string; line: number; value: YamlNode }[] } = { kind: 'map', line: lines[pos]!.n, entries: [] };
    const seen = new Set<string>();
    while (pos < lines.length) {
      const l = lines[pos]!;
      if (l.indent < indent) break;
      if (l.indent > indent) throw new YamlError(l.n, 'bad indentation of a mapping entry');
      if (l.text === '-' || l.text.startsWith('- ')) throw new YamlError(l.n, 'a sequence entry where a mapping key was expected');
      const c = keyColon(l.text);
      if (c < 0) throw new YamlError(l.n, `expected "key: value", got: ${l.text}`);
      const key = scalar(l.text.slice(0, c), l.n).value;
      if (seen.has(key)) throw new YamlError(l.n, `duplicate key '${key}'`);
      seen.add(key);
      const rest = l.text.slice(c + 1).trim();
      pos++;
      let value: YamlNode;
      if (rest !== '') {
        value = { kind: 'scalar', line: l.n, ...scalar(rest, l.n) };
        if (pos < lines.length && lines[pos]!.indent > indent) throw new YamlError(lines[pos]!.n, 'multi-line scalars are not supported (or bad indentation)');
      } else if (pos < lines.length && (lines[pos]!.indent > indent || (lines[pos]!.indent === indent && /^-( |$)/.test(lines[pos]!.text)))) {
        value = block();
      } else {
        value = { kind: 'scalar', line: l.n, value: '', quoted: false };
      }
      node.entries.push({ key, line: l.n, value });
    }
    return node;
  }

  const root = block();
  if (pos < lines.length) throw new YamlError(lines[pos]!.n, 'bad indentation (text outside the top-level block)');
  return root;
}

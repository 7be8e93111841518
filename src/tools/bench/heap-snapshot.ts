// Live heap by constructor from a V8 .heapsnapshot, read without JSON.parse of the whole file: a
// snapshot of a large process is bigger than the longest string V8 can hold, so the flat "nodes"
// array is scanned as bytes and only the "strings" table is parsed.

interface Meta {
  node_fields: string[];
  node_types: [string[], ...unknown[]];
}

/** The JSON value that starts at `from` (an object or array), found by bracket depth outside strings. */
function valueAt(buf: Buffer, from: number): string {
  let depth = 0;
  let inString = false;
  for (let i = from; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) {
      depth--;
      if (depth === 0) return buf.toString('utf8', from, i + 1);
    }
  }
  throw new Error('heap snapshot: unterminated value');
}

function indexAfter(buf: Buffer, key: string, from = 0): number {
  const at = buf.indexOf(`"${key}":`, from);
  if (at < 0) throw new Error(`heap snapshot: no "${key}"`);
  return at + key.length + 3;
}

/** Self size summed by "type:name" (an object's name is its constructor), and the total. */
export function heapSnapshotSummary(buf: Buffer): { totalBytes: number; byConstructor: Map<string, number> } {
  const meta = (JSON.parse(valueAt(buf, indexAfter(buf, 'snapshot'))) as { meta: Meta }).meta;
  const strings = JSON.parse(valueAt(buf, indexAfter(buf, 'strings', buf.lastIndexOf('"strings":')))) as string[];
  const width = meta.node_fields.length;
  const typeAt = meta.node_fields.indexOf('type');
  const nameAt = meta.node_fields.indexOf('name');
  const sizeAt = meta.node_fields.indexOf('self_size');
  const types = meta.node_types[0];
  const byConstructor = new Map<string, number>();
  let totalBytes = 0;
  let field = 0;
  let type = 0;
  let name = 0;
  let value = 0;
  let inNumber = false;
  // The nodes array: numbers only, so a byte scan is enough.
  for (let i = indexAfter(buf, 'nodes') + 1; i < buf.length; i++) {
    const c = buf[i]!;
    if (c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      inNumber = true;
      continue;
    }
    if (inNumber) {
      const slot = field % width;
      if (slot === typeAt) type = value;
      else if (slot === nameAt) name = value;
      else if (slot === sizeAt) {
        const kind = types[type] ?? String(type);
        const key = kind === 'object' || kind === 'closure' ? `${kind}:${strings[name]}` : kind;
        byConstructor.set(key, (byConstructor.get(key) ?? 0) + value);
        totalBytes += value;
      }
      field++;
      value = 0;
      inNumber = false;
    }
    if (c === 0x5d) break;
  }
  return { totalBytes, byConstructor };
}

/** A Redis reply as JSON: strings, integers, nil, nested arrays, and errors inside arrays. */
export type ReplyJson = string | number | null | ReplyJson[] | { error: string };

/** A reply rendered for a model: redis-cli-like text, the same reply as JSON, and what was cut. */
export interface RenderedReply {
  text: string;
  json: ReplyJson;
  /** Whether any bulk value was cut or any array element left out to stay within the cap. */
  truncated: boolean;
  /** Bytes of bulk values in the reply as received. */
  totalBytes: number;
}

type Node =
  | {
      kind: 'string';
      quoted: string;
      json: string;
      binary: boolean;
      cut?: { shown: number; total: number };
    }
  | { kind: 'integer'; value: number }
  | { kind: 'nil' }
  | { kind: 'error'; message: string }
  | { kind: 'array'; items: Node[]; omitted: number };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hexByte(byte: number): string {
  return `\\x${byte.toString(16).padStart(2, '0')}`;
}

/** Escapes a character for display inside double quotes, as redis-cli does. */
function escapeCharacter(character: string): string {
  switch (character) {
    case '\\':
      return '\\\\';
    case '"':
      return '\\"';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default: {
      const code = character.codePointAt(0) ?? 0;
      return code < 0x20 || code === 0x7f ? hexByte(code) : character;
    }
  }
}

/** Bytes that are not UTF-8, shown byte by byte: ASCII as in a string, the rest as `\xNN`. */
function escapeBinary(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    text += byte < 0x80 ? escapeCharacter(String.fromCharCode(byte)) : hexByte(byte);
  }
  return text;
}

/** The longest prefix of at most `limit` bytes that does not split a UTF-8 character. */
function utf8Prefix(bytes: Uint8Array, limit: number): Uint8Array {
  let end = Math.min(limit, bytes.length);
  while (end > 0 && end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end);
}

class Renderer {
  remaining: number;
  truncated = false;
  totalBytes = 0;

  constructor(readonly maxBytes: number) {
    this.remaining = maxBytes;
  }

  node(reply: unknown): Node {
    if (reply === null || reply === undefined) {
      this.remaining -= 1;
      return { kind: 'nil' };
    }
    if (typeof reply === 'number' || typeof reply === 'bigint') {
      const value = Number(reply);
      this.remaining -= String(value).length;
      return { kind: 'integer', value };
    }
    if (reply instanceof Error) {
      this.remaining -= reply.message.length;
      return { kind: 'error', message: reply.message };
    }
    if (Array.isArray(reply)) return this.array(reply);
    const bytes = Buffer.isBuffer(reply) ? reply : Buffer.from(String(reply), 'utf8');
    return this.bulk(bytes);
  }

  array(reply: readonly unknown[]): Node {
    const items: Node[] = [];
    this.remaining -= 1;
    for (const item of reply) {
      if (this.remaining <= 0) {
        this.truncated = true;
        this.countBytes(item);
        continue;
      }
      items.push(this.node(item));
    }
    return { kind: 'array', items, omitted: reply.length - items.length };
  }

  bulk(bytes: Uint8Array): Node {
    this.totalBytes += bytes.length;
    const utf8 = isUtf8(bytes);
    const allowed = Math.max(this.remaining, 0);
    const kept =
      bytes.length <= allowed
        ? bytes
        : utf8
          ? utf8Prefix(bytes, allowed)
          : bytes.subarray(0, allowed);
    this.remaining -= Math.max(bytes.length, 1);
    const json = utf8 ? Buffer.from(kept).toString('utf8') : escapeBinary(kept);
    const quoted = utf8 ? Array.from(json, escapeCharacter).join('') : json;
    if (kept.length < bytes.length) {
      this.truncated = true;
      return {
        kind: 'string',
        quoted,
        json,
        binary: !utf8,
        cut: { shown: kept.length, total: bytes.length },
      };
    }
    return { kind: 'string', quoted, json, binary: !utf8 };
  }

  /** Counts the bulk bytes of a part of the reply that is left out. */
  countBytes(reply: unknown): void {
    if (Buffer.isBuffer(reply)) this.totalBytes += reply.length;
    else if (typeof reply === 'string') this.totalBytes += Buffer.byteLength(reply);
    else if (Array.isArray(reply)) for (const item of reply) this.countBytes(item);
  }
}

function toJson(node: Node): ReplyJson {
  switch (node.kind) {
    case 'string':
      return node.json;
    case 'integer':
      return node.value;
    case 'nil':
      return null;
    case 'error':
      return { error: node.message };
    case 'array':
      return node.items.map(toJson);
  }
}

function toLines(node: Node, maxBytes: number): string[] {
  switch (node.kind) {
    case 'string':
      return [
        node.cut === undefined
          ? `"${node.quoted}"`
          : `"${node.quoted}…" (truncated: ${node.cut.shown} of ${node.cut.total} bytes shown)`,
      ];
    case 'integer':
      return [`(integer) ${node.value}`];
    case 'nil':
      return ['(nil)'];
    case 'error':
      return [`(error) ${node.message}`];
    case 'array': {
      if (node.items.length === 0 && node.omitted === 0) return ['(empty array)'];
      const width = String(node.items.length).length;
      const lines: string[] = [];
      node.items.forEach((item, index) => {
        const prefix = `${String(index + 1).padStart(width)}) `;
        const itemLines = toLines(item, maxBytes);
        itemLines.forEach((line, lineIndex) => {
          lines.push(lineIndex === 0 ? `${prefix}${line}` : `${' '.repeat(prefix.length)}${line}`);
        });
      });
      if (node.omitted > 0) {
        lines.push(
          `… ${node.omitted} more element${node.omitted === 1 ? '' : 's'} not shown (truncated: the reply cap is ${maxBytes} bytes)`,
        );
      }
      return lines;
    }
  }
}

/**
 * Renders a reply from ioredis (`callBuffer`: Buffers, integers, nil, arrays, errors) the way
 * redis-cli shows it, plus JSON. Bulk values share a cap of `maxBytes` per reply: a value
 * past the cap is cut and later array elements are left out, and `truncated` says so.
 * `serverText`: the reply is text the server wrote (INFO, CLIENT LIST, MEMORY DOCTOR), shown
 * over several lines as is; otherwise every value is quoted with its line breaks escaped.
 */
export function renderReply(
  reply: unknown,
  maxBytes: number,
  options: { serverText?: boolean } = {},
): RenderedReply {
  const renderer = new Renderer(maxBytes);
  const root = renderer.node(reply);
  const multiline =
    options.serverText === true && root.kind === 'string' && !root.binary && /\n./.test(root.json)
      ? root
      : undefined;
  const text = multiline
    ? `${multiline.json.replace(/\r\n/g, '\n').replace(/\n$/, '')}${multiline.cut === undefined ? '' : `\n… (truncated: ${multiline.cut.shown} of ${multiline.cut.total} bytes shown)`}`
    : toLines(root, maxBytes).join('\n');
  return {
    text,
    json: toJson(root),
    truncated: renderer.truncated,
    totalBytes: renderer.totalBytes,
  };
}

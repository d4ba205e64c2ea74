/** A JSON-like value made from a Redis reply. */
export type PairValue = string | number | null | PairValue[] | { [key: string]: PairValue };

function plain(value: unknown): PairValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
  if (Array.isArray(value)) return value.map(plain);
  const string = text ?? String(value);
  return /^-?\d+(\.\d+)?$/.test(string) && Number.isFinite(Number(string))
    ? Number(string)
    : string;
}

/**
 * Turns a flat RESP2 map (`[key, value, key, value, …]`, as MEMORY STATS and ACL GETUSER
 * reply) into an object. The values of keys that `nested` accepts (such as `db.0` in MEMORY
 * STATS) are flat maps too and become objects. Decimal numbers sent as text (RESP2 sends
 * doubles that way) become numbers.
 */
export function pairsToObject(
  reply: unknown,
  nested: (key: string) => boolean = () => false,
): Record<string, PairValue> {
  const result: Record<string, PairValue> = {};
  if (!Array.isArray(reply)) return result;
  for (let index = 0; index + 1 < reply.length; index += 2) {
    const key = String(plain(reply[index]));
    const value: unknown = reply[index + 1];
    result[key] = nested(key) && Array.isArray(value) ? pairsToObject(value) : plain(value);
  }
  return result;
}

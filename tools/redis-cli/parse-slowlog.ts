/** One entry of SLOWLOG GET. */
export interface SlowlogEntry {
  id: number;
  /** When the command ran, as an ISO 8601 time. */
  time: string;
  /** When the command ran, in Unix seconds. */
  timestamp: number;
  /** How long the command ran, in microseconds. */
  duration_us: number;
  /** The command and its arguments (Redis shortens long ones and redacts secrets itself). */
  command: string[];
  /** The client's address (ip:port), when Redis recorded it. */
  client: string | null;
  /** The client's name, when it set one. */
  client_name: string | null;
}

function asNumber(value: unknown): number {
  const number = Number(value);
  return Number.isFinite(number) ? number : 0;
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  return text === '' ? null : text;
}

/** Parses the reply of SLOWLOG GET (an array of `[id, time, µs, args, client, name]`). */
export function parseSlowlog(reply: unknown): SlowlogEntry[] {
  if (!Array.isArray(reply)) return [];
  return reply.filter(Array.isArray).map((entry: unknown[]) => {
    const timestamp = asNumber(entry[1]);
    const args = Array.isArray(entry[3]) ? entry[3] : [];
    return {
      id: asNumber(entry[0]),
      time: new Date(timestamp * 1000).toISOString(),
      timestamp,
      duration_us: asNumber(entry[2]),
      command: args.map((argument: unknown) => asText(argument) ?? ''),
      client: asText(entry[4]),
      client_name: asText(entry[5]),
    };
  });
}

/** The longest a value is shown in a text table cell before it is cut. */
export const maxCellWidth = 120;

/** The longest a string value is kept in JSON output before it is cut. */
export const maxJsonValueLength = 10_000;

/** A value as JSON can carry it: dates as ISO text, bytes as `\x…` hex, long text cut. */
export function jsonValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  }
  if (Buffer.isBuffer(value)) return cut(`\\x${value.toString('hex')}`, maxJsonValueLength);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return cut(value, maxJsonValueLength);
  if (Array.isArray(value)) return value.map((item: unknown) => jsonValue(item));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, jsonValue(item)]),
    );
  }
  return value;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** How a value appears in a text table cell: NULL, JSON for objects, one line, cut when long. */
export function cellText(value: unknown): string {
  const json = jsonValue(value);
  const text =
    json === null ? 'NULL' : typeof json === 'object' ? JSON.stringify(json) : String(json);
  return cut(text.replace(/\r?\n/g, '\\n').replace(/\t/g, ' '), maxCellWidth);
}

/**
 * An aligned text table in psql's style: a header, a rule, one line per row, and a footer with
 * the row count (and "truncated" when the cap was reached).
 */
export function formatTable(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  footer?: string,
): string {
  const cells = rows.map((row) => columns.map((_, index) => cellText(row[index])));
  const widths = columns.map((name, index) =>
    Math.max(name.length, ...cells.map((row) => (row[index] ?? '').length)),
  );
  const line = (values: readonly string[]) =>
    ` ${values.map((value, index) => value.padEnd(widths[index] ?? 0)).join(' | ')}`.trimEnd();
  const lines = [
    line(columns),
    widths.map((width) => '-'.repeat(width + 2)).join('+'),
    ...cells.map((row) => line(row)),
  ];
  const count = `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`;
  lines.push(footer ? `${count} ${footer}` : count);
  return lines.join('\n');
}

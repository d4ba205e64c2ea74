/** The longest a value is shown in a text table cell before it is cut. */
export const maxCellWidth = 120;

/** The longest a string value is kept in JSON output before it is cut. */
export const maxJsonValueLength = 10_000;

/**
 * A value as JSON can carry it: dates as ISO text, bytes as `\x…` hex, long text cut. Applying
 * it twice gives the same value as once.
 */
export function jsonValue(value: unknown): unknown {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'string':
      return cut(value, maxJsonValueLength);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
      return null;
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return null;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  }
  if (Buffer.isBuffer(value)) return cut(`\\x${value.toString('hex')}`, maxJsonValueLength);
  if (Array.isArray(value)) return value.map((item: unknown) => jsonValue(item));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, jsonValue(item)]),
  );
}

/** Each row's values as JSON can carry them (see `jsonValue`). */
export function jsonRows(rows: readonly (readonly unknown[])[]): unknown[][] {
  const converted: unknown[][] = [];
  for (const row of rows) {
    const values: unknown[] = [];
    for (const value of row) values.push(jsonValue(value));
    converted.push(values);
  }
  return converted;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

const lineBreakOrTab = /[\n\t]/;

/** How a value appears in a text table cell: NULL, JSON for objects, one line, cut when long. */
export function cellText(value: unknown): string {
  const json = jsonValue(value);
  const text =
    json === null ? 'NULL' : typeof json === 'object' ? JSON.stringify(json) : String(json);
  const oneLine = lineBreakOrTab.test(text)
    ? text.replace(/\r?\n/g, '\\n').replace(/\t/g, ' ')
    : text;
  return cut(oneLine, maxCellWidth);
}

/** One line of the table: the values padded to the column widths, ` | ` between them. */
function tableLine(values: readonly string[], widths: readonly number[]): string {
  let line = '';
  for (let index = 0; index < widths.length; index += 1) {
    line += `${index === 0 ? ' ' : ' | '}${(values[index] ?? '').padEnd(widths[index] ?? 0)}`;
  }
  return line.trimEnd();
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
  const widths: number[] = [];
  for (const name of columns) widths.push(name.length);
  const cells: string[][] = [];
  for (const row of rows) {
    const line: string[] = [];
    for (let index = 0; index < widths.length; index += 1) {
      const text = cellText(row[index]);
      line.push(text);
      if (text.length > (widths[index] ?? 0)) widths[index] = text.length;
    }
    cells.push(line);
  }
  let rule = '';
  for (let index = 0; index < widths.length; index += 1) {
    rule += `${index === 0 ? '' : '+'}${'-'.repeat((widths[index] ?? 0) + 2)}`;
  }
  const lines = [tableLine(columns, widths), rule];
  for (const line of cells) lines.push(tableLine(line, widths));
  const count = `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`;
  lines.push(footer ? `${count} ${footer}` : count);
  return lines.join('\n');
}

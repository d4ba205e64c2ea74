/** A comparison such as `> 95%` or `< 100ms avg`: operator, number, unit, any trailing words. */
export interface Comparison {
  operator: '<' | '<=' | '>' | '>=' | '=';
  value: number;
  unit: string;
}

const comparisonPattern = /^\s*(<=|>=|<|>|=|==|≤|≥)\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z%]*)/;

/** Parses a comparison at the start of a metric target; `undefined` when there is none. */
export function parseComparison(text: string): Comparison | undefined {
  const match = comparisonPattern.exec(text);
  if (!match) return undefined;
  const raw = match[1] ?? '=';
  const operator = raw === '≤' ? '<=' : raw === '≥' ? '>=' : raw === '==' ? '=' : raw;
  return {
    operator: operator as Comparison['operator'],
    value: Number(match[2]),
    unit: match[3] ?? '',
  };
}

/** Whether a measured value meets a comparison. */
export function meets(value: number, comparison: Comparison): boolean {
  switch (comparison.operator) {
    case '<':
      return value < comparison.value;
    case '<=':
      return value <= comparison.value;
    case '>':
      return value > comparison.value;
    case '>=':
      return value >= comparison.value;
    case '=':
      return value === comparison.value;
  }
}

/** What replaces a secret in logs, events and transcripts. */
export const redacted = '[redacted]';

const patterns: [RegExp, string][] = [
  // user:password@ in URLs
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${redacted}@`],
  // ?password=… and &sslpassword=… in connection strings
  [/([?&](?:ssl)?password=)[^&\s]+/gi, `$1${redacted}`],
  // password=… in key/value connection strings
  [/(\bpassword\s*=\s*)('[^']*'|\S+)/gi, `$1${redacted}`],
  // Anthropic and other API keys
  [/\bsk-[a-z0-9-]*[a-z0-9_-]{16,}\b/gi, redacted],
  // AUTH <password> sent to Redis
  [/(\bAUTH\s+)(\S+\s+)?\S+/gi, `$1${redacted}`],
];

const mayHoldSecret = /:\/\/|password|sk-|auth/i;

/** Removes secrets (URL passwords, `password=` values, API keys, Redis AUTH) from text. */
export function redactSecrets(text: string): string {
  // Most text holds no secret: one cheap test spares the five passes below.
  if (!mayHoldSecret.test(text)) return text;
  return patterns.reduce(
    (current, [pattern, replacement]) => current.replace(pattern, replacement),
    text,
  );
}

const secretKey = /pass(word)?|secret|token|api[_-]?key/i;

/**
 * Removes secrets from every string inside a JSON-like value. What holds no secret comes back
 * as it is (the same object, not a copy); what does is copied with the secrets replaced, and the
 * value given is never changed.
 */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) {
    const unchanged = value.every((item: unknown) => redactValue(item) === item);
    return unchanged ? value : (value.map((item: unknown) => redactValue(item)) as T);
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const cleanOf = ([key, item]: [string, unknown]): unknown =>
      secretKey.test(key) ? redacted : redactValue(item);
    if (entries.every((entry) => cleanOf(entry) === entry[1])) return value;
    return Object.fromEntries(entries.map((entry) => [entry[0], cleanOf(entry)])) as T;
  }
  return value;
}

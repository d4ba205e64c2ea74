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

/** Removes secrets from every string inside a JSON-like value. */
export function redactValue<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        key,
        /pass(word)?|secret|token|api[_-]?key/i.test(key) ? redacted : redactValue(item),
      ]),
    ) as T;
  }
  return value;
}

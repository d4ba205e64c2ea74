/** What replaces a secret in logs, events and transcripts. */
export const redacted = '[redacted]';

/**
 * Names under which a value is a secret, as the end of a key (`PGPASSWORD`, `db_password`,
 * `aws_secret_access_key`, `x-api-key`, `client_secret`, `auth_token`).
 */
const secretName = String.raw`[a-z0-9_.-]*?(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|secret[_-]?key|credentials?)`;

const patterns: [RegExp, string][] = [
  // user:password@ in URLs; the password may hold @ or / (the last @ ends it)
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@"'<>]*:)[^\s"'<>]*@/gi, `$1${redacted}@`],
  // ?password=…, &sslpassword=…, ?token=…, ?api_key=… in URLs and connection strings
  [new RegExp(String.raw`([?&]${secretName}=)[^&\s#"']+`, 'gi'), `$1${redacted}`],
  // name=value, name: value and "name": "value" (PGPASSWORD=…, password: …, "token": "…");
  // a quoted value keeps its quotes
  [new RegExp(String.raw`(${secretName}["']?\s*[:=]\s*")[^"]*"`, 'gi'), `$1${redacted}"`],
  [new RegExp(String.raw`(${secretName}["']?\s*[:=]\s*')[^']*'`, 'gi'), `$1${redacted}'`],
  [
    new RegExp(String.raw`(${secretName}["']?\s*[:=]\s*)(?!["'])[^\s&,;"'}]+`, 'gi'),
    `$1${redacted}`,
  ],
  // Authorization: Bearer …, Basic …
  [/(\bauthorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)?\s*)[^\s"',;]+/gi, `$1${redacted}`],
  [/(\bbearer\s+)[a-z0-9._~+/=-]{16,}/gi, `$1${redacted}`],
  // Anthropic and OpenAI-style keys, GitHub and Slack tokens, AWS access key ids
  [/(?<![a-z0-9])sk-[a-z0-9-]*[a-z0-9_-]{16,}/gi, redacted],
  [/(?<![a-z0-9])gh[pousr]_[a-z0-9]{30,}/gi, redacted],
  [/(?<![a-z0-9])xox[abposr]-[a-z0-9-]{10,}/gi, redacted],
  [/(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g, redacted],
  // AUTH <password> sent to Redis
  [/(\bAUTH\s+)(\S+\s+)?\S+/gi, `$1${redacted}`],
];

const mayHoldSecret =
  /:\/\/|pass|pwd|secret|token|key|credential|auth|bearer|sk-|gh[pousr]_|xox|AKIA|ASIA/i;

/**
 * Removes secrets from text: URL passwords, `password=`-style values (also `PGPASSWORD=`,
 * `"token": "…"`, `?api_key=`), Authorization headers, API keys and tokens of well-known
 * shapes, Redis AUTH.
 */
export function redactSecrets(text: string): string {
  // Most text holds no secret: one cheap test spares the passes below.
  if (!mayHoldSecret.test(text)) return text;
  return patterns.reduce(
    (current, [pattern, replacement]) => current.replace(pattern, replacement),
    text,
  );
}

/** A key whose value is a secret, as a whole word at the key's end (`apiKey`, `db_password`). */
const secretKey =
  /(?:^|[_.-])(?:pass(?:word|wd)?|pwd|secrets?|token|api[_-]?key|access[_-]?key|private[_-]?key|secret[_-]?key|auth|authorization|credentials?|cookie)$/;

/** Whether a key names a secret: camelCase and kebab-case are read as words (`accessToken`). */
function isSecretKey(key: string): boolean {
  return secretKey.test(key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase());
}

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
      isSecretKey(key) ? redacted : redactValue(item);
    if (entries.every((entry) => cleanOf(entry) === entry[1])) return value;
    return Object.fromEntries(entries.map((entry) => [entry[0], cleanOf(entry)])) as T;
  }
  return value;
}

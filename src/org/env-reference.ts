import { z } from 'zod';
import { redactSecrets } from '../../tools/shared/redact.js';

/** `env:NAME` where NAME is an environment variable name in capitals. */
export const envReferencePattern = /^env:([A-Z_][A-Z0-9_]*)$/;

/** The variable named by an `env:NAME` reference, or `undefined` when the text is not one. */
export function envVariableOf(text: string): string | undefined {
  return envReferencePattern.exec(text)?.[1];
}

/** An environment variable reference, such as `env:DATABASE_URL`. */
export const EnvReference = z.string().regex(envReferencePattern, {
  error: (issue) =>
    `'${String(issue.input)}' is not an environment reference: write env:NAME with NAME in capitals, digits and _, such as env:DATABASE_URL`,
});
/** An environment variable reference. */
export type EnvReference = z.infer<typeof EnvReference>;

/**
 * A connection URL as written in org.yaml: an `env:NAME` reference, or a literal URL that
 * carries no password (a password belongs in the environment, never in a file).
 */
export const ConnectionUrl = z.string().superRefine((text, context) => {
  if (/^env:/i.test(text)) {
    if (!envReferencePattern.test(text)) {
      context.addIssue({
        code: 'custom',
        message: `'${text}' is not a well-formed environment reference: write env:NAME with NAME in capitals, digits and _, such as env:DATABASE_URL`,
      });
    }
    return;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text may be a key/value connection string holding a password: never echo it whole.
    context.addIssue({
      code: 'custom',
      message: `'${redactSecrets(text)}' is neither env:NAME nor a URL: write env:DATABASE_URL and set that variable`,
    });
    return;
  }
  const secretParameter = [...url.searchParams.keys()].find((name) =>
    /pass|secret|token|key/i.test(name),
  );
  if (url.password !== '' || secretParameter !== undefined) {
    context.addIssue({
      code: 'custom',
      message: `the URL holds a literal ${secretParameter === undefined ? 'password' : `secret (${secretParameter}=)`}; write env:NAME (such as env:DATABASE_URL) and put the URL in that variable`,
    });
  }
});

import { redactSecrets } from '../shared/redact.js';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A message the model can act on for a Redis call that failed: a timeout, an error reply
 * (with a hint for NOPERM, WRONGTYPE and unknown commands) or a lost connection. Secrets
 * (passwords in URLs, AUTH arguments) are redacted.
 */
export function describeFailure(command: string, error: unknown, timeoutMs: number): string {
  const message = redactSecrets(messageOf(error));
  if (message === 'Command timed out') {
    return `${command} got no reply within ${timeoutMs} ms, so the call was abandoned (it may still finish on the server). Ask for less (a smaller COUNT for SCAN, a smaller range for LRANGE or ZRANGE) or try again when the server is less busy.`;
  }
  const isReply = error instanceof Error && error.name === 'ReplyError';
  if (isReply) {
    if (message.startsWith('NOPERM')) {
      return `Redis refused ${command}: ${message}. The ACL user of this connection may not run it or may not touch that key; ask an administrator, or use another command.`;
    }
    if (message.startsWith('WRONGTYPE')) {
      return `Redis refused ${command}: ${message}. Check the key's type with ["TYPE", key] and use a command for that type.`;
    }
    if (/^ERR unknown (sub)?command/i.test(message)) {
      return `Redis does not know ${command}: ${message}. The server may be older than the command; check its version with the info tool.`;
    }
    return `Redis replied with an error to ${command}: ${message}`;
  }
  return `${command} failed because the connection to Redis failed: ${message}. The server may be down or restarting; try again shortly.`;
}

import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

/** What the SDK hands a request handler: the cancellation signal, `_meta`, notifications. */
export type RequestExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Sends `notifications/progress` for a request whose client gave a `progressToken` (`_meta`),
 * counting up from 1 with no known total; `undefined` when the client asked for no progress.
 */
export function progressSender(
  extra: RequestExtra,
): ((message: string) => Promise<void>) | undefined {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  let progress = 0;
  return (message) => {
    progress += 1;
    return extra.sendNotification({
      method: 'notifications/progress',
      params: { progressToken: token, progress, message },
    });
  };
}

import type { ServerResponse } from 'node:http';

/** The error types the Messages API reports in `error.type`. */
export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

/** The Messages API's error body: `{"type":"error","error":{"type":…,"message":…},"request_id":…}`. */
export interface ApiErrorBody {
  type: 'error';
  error: { type: ApiErrorType; message: string };
  request_id?: string;
}

/** Builds the error body the real API sends. */
export function apiErrorBody(
  type: ApiErrorType,
  message: string,
  requestId?: string,
): ApiErrorBody {
  const body: ApiErrorBody = { type: 'error', error: { type, message } };
  if (requestId !== undefined) body.request_id = requestId;
  return body;
}

/** Answers with an API error: the status, JSON content type, extra headers and the error body. */
export function sendApiError(
  response: ServerResponse,
  status: number,
  type: ApiErrorType,
  message: string,
  options: { requestId: string; headers?: Record<string, string> },
): void {
  const text = JSON.stringify(apiErrorBody(type, message, options.requestId));
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'request-id': options.requestId,
    ...options.headers,
  });
  response.end(text);
}

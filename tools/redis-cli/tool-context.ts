import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Redis } from 'ioredis';
import type { Grant } from '../../src/org/agent-schema.js';
import { builtinTool, grantCovers } from '../../src/org/tool-catalog.js';
import { errorResult } from '../shared/tool-result.js';

/** What every redis-cli tool handler works with. */
export interface RedisToolContext {
  /** The one shared connection (commands are sent one at a time per call). */
  redis: Redis;
  /** The grant this server runs with. */
  grant: Grant;
  /** Per-command timeout in milliseconds. */
  timeoutMs: number;
  /** Cap on the bulk bytes of one reply shown to the model. */
  maxReplyBytes: number;
}

/** The operations of redis-cli (tool names), as the catalog names them. */
export type RedisOperation = 'command' | 'info' | 'slowlog' | 'latency' | 'memory' | 'bigkeys';

/** The least grant the catalog gives an operation of redis-cli (admin when it is unknown). */
export function operationGrant(operation: RedisOperation): Grant {
  return (
    builtinTool('redis-cli')?.operations.find((candidate) => candidate.name === operation)?.grant ??
    'admin'
  );
}

/** Whether a grant lists an operation. */
export function grantAllows(grant: Grant, operation: RedisOperation): boolean {
  return grantCovers(grant, operationGrant(operation));
}

/** A refusal when the server's grant does not cover an operation (checked again in each handler). */
export function grantRefusal(
  context: RedisToolContext,
  operation: RedisOperation,
): CallToolResult | undefined {
  const needed = operationGrant(operation);
  return grantCovers(context.grant, needed)
    ? undefined
    : errorResult(
        `refused: ${operation} needs the ${needed} grant; this redis-cli server has the ${context.grant} grant.`,
      );
}

import type { Grant } from '../../src/org/agent-schema.js';
import { grantCovers } from '../../src/org/tool-catalog.js';
import type { PsqlDatabase } from './psql-database.js';

/** What every psql tool handler needs: the pool, the grant and the limits. */
export interface PsqlToolContext {
  database: PsqlDatabase;
  grant: Grant;
  /** statement_timeout of every statement, in milliseconds. */
  timeoutMs: number;
  /** The most rows a statement returns. */
  maxRows: number;
  /** The role the tool is connected as. */
  role: string;
}

/** A refusal when the server's grant does not cover what a tool needs, checked in every handler. */
export function grantRefusal(
  context: PsqlToolContext,
  tool: string,
  needed: Grant,
): string | undefined {
  return grantCovers(context.grant, needed)
    ? undefined
    : `refused: ${tool} needs the ${needed} grant; this server runs with the ${context.grant} grant`;
}

import { z } from 'zod';
import { actingAgentArgument } from '../org/export-claude-code.js';
import type { DatabaseTool } from './database-tool-catalog.js';

/** The argument naming the agent a database tool call acts for (the name exported agents are told to pass). */
export const actingAgentField = actingAgentArgument;

/**
 * The input schema `cadre mcp --tools` lists for a database tool: the tool's own JSON Schema (as
 * its server lists it), plus `agent`, the agent the call acts for. A schema zod cannot read
 * becomes an open object: the tool's server still checks its arguments.
 */
export function databaseToolInput(tool: DatabaseTool, entry: string): z.ZodObject {
  const holders = tool.holders.map((holder) => holder.agent).join(', ');
  const agent = z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(
      `the agent this call acts for, at its grant (default ${entry}); agents that hold ${tool.name}: ${holders}`,
    );
  let own: z.ZodType;
  try {
    // A tool server's schema is JSON Schema as it sent it; zod reads what it can and throws on the rest.
    own = z.fromJSONSchema(tool.inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    own = z.looseObject({});
  }
  const base = own instanceof z.ZodObject ? own : z.looseObject({});
  return base.extend({ [actingAgentField]: agent });
}

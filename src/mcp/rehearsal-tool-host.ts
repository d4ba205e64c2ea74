import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ZodType } from 'zod';
import type { BuiltinServerName } from '../../tools/shared/tool-listing.js';
import type { ModelTool } from '../model/model.js';
import type { Grant } from '../org/agent-schema.js';
import type { AgentDefinition, OrgDefinition } from '../org/org-definition.js';
import { modelToolNames } from '../org/render-prompt.js';
import { builtinTool, grantCovers, toolNameSeparator } from '../org/tool-catalog.js';
import type { ToolHost } from './tool-host.js';

/** The highest grant an agent holds on one of cadre's tools, if it holds it at all. */
function grantOn(agent: AgentDefinition, tool: string): Grant | undefined {
  let best: Grant | undefined;
  for (const use of agent.tools) {
    if (use.tool === tool && (best === undefined || grantCovers(use.grant, best))) best = use.grant;
  }
  return best;
}

/**
 * What one of cadre's servers lists at a grant. Loaded on first use (it brings the servers'
 * modules and the MCP SDK), so a runtime without database tools never loads it.
 */
async function listingOf(tool: BuiltinServerName, grant: Grant): Promise<Tool[]> {
  const { listBuiltinTools } = await import('../../tools/shared/tool-listing.js');
  return listBuiltinTools(tool, grant);
}

/** What the tool's server lists for this model-visible name at the agent's grant, if it is one of cadre's. */
async function listedTool(agent: AgentDefinition, name: string): Promise<Tool | undefined> {
  const [tool = '', operation = ''] = name.split(toolNameSeparator);
  const builtin = builtinTool(tool);
  const grant = grantOn(agent, tool);
  if (!builtin || grant === undefined) return undefined;
  // A listing that fails leaves the tool listed by name only: toolsFor never rejects.
  const tools = await listingOf(builtin.id as BuiltinServerName, grant).catch((): Tool[] => []);
  return tools.find((candidate) => candidate.name === operation);
}

/** Input checks made from listed JSON Schemas, once per schema (null: zod cannot read it). */
const inputChecks = new WeakMap<object, ZodType | null>();

/** Why an input does not fit a tool's listed schema, as the tool's server would say; undefined when it fits. */
async function inputProblem(
  tool: Tool,
  input: Record<string, unknown>,
): Promise<string | undefined> {
  const { z } = await import('zod');
  let check = inputChecks.get(tool.inputSchema);
  if (check === undefined) {
    try {
      check = z.fromJSONSchema(tool.inputSchema as Parameters<typeof z.fromJSONSchema>[0]);
    } catch {
      check = null;
    }
    inputChecks.set(tool.inputSchema, check);
  }
  if (check === null) return undefined;
  const parsed = check.safeParse(input);
  return parsed.success
    ? undefined
    : `Input validation error: Invalid arguments for tool ${tool.name}: ${z.prettifyError(parsed.error)}`;
}

/** Starts listing, in the background, every server and grant the org's agents hold. */
function prefetch(org: OrgDefinition): void {
  const wanted = new Set<string>();
  for (const agent of org.agents) {
    for (const use of agent.tools) {
      if (builtinTool(use.tool)) wanted.add(`${use.tool}|${use.grant}`);
    }
  }
  for (const key of wanted) {
    const [tool, grant] = key.split('|') as [BuiltinServerName, Grant];
    // A failure here shows again, with its reason, when a session asks for the tools.
    listingOf(tool, grant).catch(() => undefined);
  }
}

/**
 * A ToolHost for rehearsals: every agent sees exactly the tools its grants give it, with the
 * descriptions and input schemas their servers list (without starting them), and a call
 * answers what would have run, without touching a database. A call whose arguments the live
 * server would refuse is refused the same way. An org MCP server's tools are listed by name
 * only, since nothing is started to ask them. Given the org, it starts listing its servers at
 * once, so the first session with database tools does not wait for it.
 */
export function createRehearsalToolHost(org?: OrgDefinition): ToolHost {
  if (org) prefetch(org);
  return {
    async toolsFor(agent) {
      const tools: ModelTool[] = [];
      for (const name of modelToolNames(agent).filter((candidate) => !candidate.endsWith('*'))) {
        const listed = await listedTool(agent, name);
        const [server = '', operation = ''] = name.split(toolNameSeparator);
        tools.push({
          name,
          description: listed?.description ?? `${server}: ${operation}`,
          input_schema: (listed?.inputSchema as ModelTool['input_schema'] | undefined) ?? {
            type: 'object',
            additionalProperties: true,
          },
        });
      }
      return tools;
    },
    async call(name, input, context) {
      const allowed = modelToolNames(context.agent);
      if (!allowed.includes(name)) {
        return {
          content: `tool ${name} is not granted to ${context.agent.id}; its tools: ${allowed.join(', ') || 'none'}`,
          isError: true,
        };
      }
      const listed = await listedTool(context.agent, name);
      const problem = listed ? await inputProblem(listed, input) : undefined;
      if (problem) return { content: problem, isError: true };
      return {
        content: `rehearsal: ${name} ${JSON.stringify(input)} was not run (no database is touched in a rehearsal)`,
        isError: false,
      };
    },
    async close() {},
  };
}

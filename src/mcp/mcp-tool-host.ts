import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StdioClientTransport,
  getDefaultEnvironment,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { resolveConnectionUrl } from '../../tools/shared/connection-url.js';
import type { BuiltinServerName } from '../../tools/shared/tool-listing.js';
import { redactSecrets } from '../../tools/shared/redact.js';
import type { ModelTool } from '../model/model.js';
import { envVariableOf } from '../org/env-reference.js';
import type { AgentDefinition, AgentTool, OrgDefinition } from '../org/org-definition.js';
import { builtinTool, grantCovers, toolNameSeparator } from '../org/tool-catalog.js';
import type { ToolHost, ToolOutcome } from './tool-host.js';

/** How to start one tool server. */
export type ServerLaunch =
  | { kind: 'stdio'; command: string; args: string[]; env: Record<string, string> }
  | { kind: 'http'; url: string };

/** Options of the MCP tool host. */
export interface McpToolHostOptions {
  org: OrgDefinition;
  /** Where `env:NAME` references are read. Default: `process.env`. */
  environment?: NodeJS.ProcessEnv;
  /** A call that takes longer gets an error result and its server is restarted. Default 60 s. */
  callTimeoutMs?: number;
  /** How to start a built-in tool; default: `node dist/tools/<tool>/main.js` of this cadre. */
  launchBuiltin?: (
    tool: string,
    grant: AgentTool['grant'],
    url: string,
    target: string,
    org: OrgDefinition,
  ) => ServerLaunch;
}

interface Connection {
  client: Client;
  tools: Tool[];
}

interface Route {
  key: string;
  tool: string;
  /** Why the server behind it could not start, when it could not. */
  problem?: string;
}

const builtinMain = (tool: string) =>
  fileURLToPath(new URL(`../../tools/${tool}/main.js`, import.meta.url));

/** Starts a built-in tool as `node <cadre>/dist/tools/<tool>/main.js`, the URL passed in the environment, never in argv. */
export function defaultBuiltinLaunch(
  tool: string,
  grant: AgentTool['grant'],
  url: string,
  target: string,
  org: OrgDefinition,
): ServerLaunch {
  // pgbench runs only against targets the org names.
  const targets =
    tool === 'pgbench'
      ? [
          '--target',
          target,
          '--allowed-targets',
          Object.keys(org.targets)
            .filter((name) => org.targets[name]?.kind === 'postgres')
            .join(','),
        ]
      : [];
  return {
    kind: 'stdio',
    command: process.execPath,
    args: [builtinMain(tool), '--url', 'env:CADRE_TARGET_URL', '--grant', grant, ...targets],
    env: { ...builtinEnvironment(process.env), CADRE_TARGET_URL: url },
  };
}

/** Variables a built-in tool server may need beyond the SDK's defaults: temp folder, locale, libpq's PG*, CA bundles. */
const builtinVariable =
  /^(?:TMPDIR|TEMP|TMP|LANG|LC_[A-Z]+|PG[A-Z]+|NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR)$/;

/**
 * What a built-in tool server inherits: the SDK's safe defaults and `builtinVariable`s, never
 * the rest (API keys, other targets' URLs, cloud credentials).
 */
function builtinEnvironment(environment: NodeJS.ProcessEnv): Record<string, string> {
  const env = getDefaultEnvironment();
  for (const [name, value] of Object.entries(environment)) {
    if (value !== undefined && builtinVariable.test(name)) env[name] = value;
  }
  return env;
}

/** Tool names a model accepts: letters, digits, `_` and `-`, at most 64 characters. */
function modelName(server: string, tool: string): string {
  return `${server}${toolNameSeparator}${tool.replace(/[^a-zA-Z0-9_-]/g, '_')}`.slice(0, 64);
}

function text(result: Record<string, unknown>): string {
  const content = Array.isArray(result.content)
    ? (result.content as { type: string; text?: string }[])
    : [];
  return content
    .map((block) => (block.type === 'text' ? (block.text ?? '') : `[${block.type}]`))
    .join('\n');
}

/**
 * The ToolHost seam as a pool of MCP clients: cadre's built-in servers (one per tool, target and
 * grant) and the org's `mcp_servers`, each started on first use and reused. A crashed server is
 * started again on the next call; a hung call ends with an error result and a restart.
 */
export function createMcpToolHost(options: McpToolHostOptions): ToolHost {
  const { org } = options;
  const environment = options.environment ?? process.env;
  const callTimeoutMs = options.callTimeoutMs ?? 60_000;
  const launchBuiltin = options.launchBuiltin ?? defaultBuiltinLaunch;
  const connections = new Map<string, Promise<Connection>>();
  const routes = new Map<string, Map<string, Route>>();
  const listed = new Map<string, Promise<ModelTool[]>>();

  function launchOf(key: string): ServerLaunch {
    const [kind = '', name = '', target = '', grant = 'read'] = key.split('|');
    if (kind === 'builtin') {
      const definition = org.targets[target];
      if (!definition) throw new Error(`target '${target}' is not in org '${org.name}'`);
      return launchBuiltin(
        name,
        grant as AgentTool['grant'],
        resolveConnectionUrl(definition.url, environment),
        target,
        org,
      );
    }
    const server = org.mcp_servers[name];
    if (!server) throw new Error(`MCP server '${name}' is not in org '${org.name}'`);
    if (server.url !== undefined) return { kind: 'http', url: server.url };
    // Only what the SDK deems safe (HOME, PATH, SHELL, TERM, USER, …) plus what the org names:
    // an org's server never sees cadre's own keys and targets' passwords unless given them.
    const env: Record<string, string> = getDefaultEnvironment();
    for (const [variable, reference] of Object.entries(server.env ?? {})) {
      const source = envVariableOf(reference);
      const value = source === undefined ? undefined : environment[source];
      if (value === undefined)
        throw new Error(
          `the environment variable ${source ?? reference} (for ${variable} of MCP server '${name}') is not set`,
        );
      env[variable] = value;
    }
    return { kind: 'stdio', command: server.command ?? '', args: server.args ?? [], env };
  }

  function connect(key: string): Promise<Connection> {
    const existing = connections.get(key);
    if (existing) return existing;
    const started = (async (): Promise<Connection> => {
      const launch = launchOf(key);
      const client = new Client({ name: 'cadre', version: '0.1.0' });
      const transport =
        launch.kind === 'stdio'
          ? new StdioClientTransport({
              command: launch.command,
              args: launch.args,
              env: launch.env,
              stderr: 'pipe',
            })
          : new StreamableHTTPClientTransport(new URL(launch.url));
      client.onclose = () => {
        if (connections.get(key) === started) connections.delete(key);
      };
      await client.connect(transport);
      const { tools } = await client.listTools();
      return { client, tools };
    })();
    connections.set(key, started);
    started.catch(() => {
      if (connections.get(key) === started) connections.delete(key);
    });
    return started;
  }

  async function drop(key: string): Promise<void> {
    const connection = connections.get(key);
    connections.delete(key);
    await connection?.then((open) => open.client.close()).catch(() => undefined);
  }

  function keyOf(use: AgentTool): { key: string; server: string; only?: string } | undefined {
    const builtin = builtinTool(use.tool);
    if (builtin) {
      const target =
        use.target ??
        Object.keys(org.targets).find((name) => org.targets[name]?.kind === builtin.targetKind) ??
        '';
      return { key: `builtin|${use.tool}|${target}|${use.grant}`, server: use.tool };
    }
    const [server = '', only] = use.tool.split('/');
    return only === undefined
      ? { key: `server|${server}`, server }
      : { key: `server|${server}`, server, only };
  }

  async function list(agent: AgentDefinition): Promise<ModelTool[]> {
    const agentRoutes = new Map<string, Route>();
    routes.set(agent.id, agentRoutes);
    const tools: ModelTool[] = [];
    for (const use of agent.tools) {
      const located = keyOf(use);
      if (!located) continue;
      const builtin = builtinTool(use.tool);
      const allowed = (name: string) =>
        builtin
          ? builtin.operations.some(
              (operation) => operation.name === name && grantCovers(use.grant, operation.grant),
            )
          : located.only === undefined || located.only === name;
      try {
        const connection = await connect(located.key);
        for (const tool of connection.tools.filter((candidate) => allowed(candidate.name))) {
          const name = modelName(located.server, tool.name);
          agentRoutes.set(name, { key: located.key, tool: tool.name });
          tools.push({
            name,
            description: tool.description ?? tool.name,
            input_schema: tool.inputSchema as ModelTool['input_schema'],
          });
        }
      } catch (error) {
        // The server cannot start: the model still sees the tools, and each call says why it fails.
        const problem = redactSecrets(error instanceof Error ? error.message : String(error));
        const names = builtin
          ? builtin.operations
              .filter((operation) => grantCovers(use.grant, operation.grant))
              .map((operation) => operation.name)
          : located.only
            ? [located.only]
            : (org.mcp_servers[located.server]?.tools ?? []);
        // cadre's own servers list the same tools without starting: the model still sees their
        // descriptions and parameters (the listing is loaded only on this path).
        const listed = builtin
          ? await import('../../tools/shared/tool-listing.js')
              .then(({ listBuiltinTools }) =>
                listBuiltinTools(builtin.id as BuiltinServerName, use.grant),
              )
              .catch(() => [])
          : [];
        for (const tool of names) {
          const name = modelName(located.server, tool);
          const known = listed.find((candidate) => candidate.name === tool);
          agentRoutes.set(name, { key: located.key, tool, problem });
          tools.push({
            name,
            description: `${known?.description ?? `${located.server} ${tool}`} (unavailable: ${problem})`,
            input_schema: (known?.inputSchema as ModelTool['input_schema'] | undefined) ?? {
              type: 'object',
              additionalProperties: true,
            },
          });
        }
      }
    }
    return tools;
  }

  const host: ToolHost = {
    toolsFor(agent) {
      let tools = listed.get(agent.id);
      if (!tools) {
        tools = list(agent);
        listed.set(agent.id, tools);
      }
      return tools;
    },
    async call(name, input, context): Promise<ToolOutcome> {
      await host.toolsFor(context.agent);
      const route = routes.get(context.agent.id)?.get(name);
      if (!route)
        return { content: `tool ${name} is not granted to ${context.agent.id}`, isError: true };
      let connection: Connection;
      try {
        connection = await connect(route.key);
      } catch (error) {
        const problem = redactSecrets(error instanceof Error ? error.message : String(error));
        return {
          content: `tool ${name} is unavailable: its server could not start (${problem})`,
          isError: true,
        };
      }
      try {
        const result = await connection.client.callTool(
          { name: route.tool, arguments: input },
          undefined,
          {
            timeout: callTimeoutMs,
            ...(context.signal ? { signal: context.signal } : {}),
          },
        );
        const data =
          (result.structuredContent as { result?: unknown } | undefined)?.result ??
          result.structuredContent;
        return {
          content: redactSecrets(text(result)),
          isError: result.isError === true,
          ...(data === undefined ? {} : { data }),
        };
      } catch (error) {
        const message = redactSecrets(error instanceof Error ? error.message : String(error));
        const timedOut = /timed? ?out/i.test(message);
        if (timedOut) await drop(route.key);
        return {
          content: timedOut
            ? `tool ${name} did not answer within ${Math.round(callTimeoutMs / 1000)} s; its server was stopped and starts again on the next call`
            : `tool ${name} failed: ${message}`,
          isError: true,
        };
      }
    },
    async close() {
      await Promise.all([...connections.keys()].map((key) => drop(key)));
    },
  };
  return host;
}

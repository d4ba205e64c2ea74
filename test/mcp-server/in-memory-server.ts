import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { openRuntime } from '../../src/cli/open-runtime.js';
import type { CommandOutput } from '../../src/cli/output.js';
import { createCadreMcpServer } from '../../src/mcp-server/create-mcp-server.js';
import type { DatabaseToolScope } from '../../src/mcp-server/database-tool-catalog.js';
import { openDatabaseTools } from '../../src/mcp-server/open-database-tools.js';
import type { CadreMcpContext } from '../../src/mcp-server/server-context.js';
import { SessionHub } from '../../src/mcp-server/session-hub.js';
import type { OrgDefinition } from '../../src/org/org-definition.js';
import type { Runtime } from '../../src/runtime/runtime-types.js';

/** A client connected in process to cadre's MCP server (no port, no child process). */
export interface Connected {
  client: Client;
  context: CadreMcpContext;
  /** What the server's command would have printed on stderr. */
  notes: string[];
  close(): Promise<void>;
}

/** Connects a real SDK client to a real server over the SDK's linked in-memory transports. */
export async function connectClient(
  context: CadreMcpContext,
  name = 'test-client',
): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createCadreMcpServer(context);
  await server.connect(serverSide);
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

/** A context over a runtime the test built itself (its own model and store). */
export function contextOf(
  org: OrgDefinition,
  runtime: Runtime,
  extra: Partial<CadreMcpContext> = {},
): CadreMcpContext {
  return {
    org,
    runtime,
    entry: org.root,
    rehearsal: true,
    toolMode: 'rehearsal',
    sessions: new SessionHub(),
    version: '0.0.0-test',
    ...extra,
  };
}

/**
 * Opens an org the way `cadre mcp` does (openRuntime: the rehearsal model on the fake Messages API
 * server, a memory store), with the database tools when `tools` says so, and connects a client.
 */
export async function openInMemory(
  orgPath: string,
  options: { model?: string; tools?: DatabaseToolScope; to?: string } = {},
): Promise<Connected> {
  const previous = process.env.CADRE_STORE_URL;
  process.env.CADRE_STORE_URL = 'memory:';
  const notes: string[] = [];
  const output: CommandOutput = {
    out: (text) => notes.push(text),
    error: (text) => notes.push(text),
  };
  const opened = await openRuntime(
    'mcp',
    { org: orgPath, model: options.model ?? 'rehearsal' },
    output,
  );
  if (previous === undefined) delete process.env.CADRE_STORE_URL;
  else process.env.CADRE_STORE_URL = previous;
  if (!opened) throw new Error(`cannot open ${orgPath}: ${notes.join('\n')}`);
  const entry = options.to ?? opened.org.root;
  const databaseTools = options.tools
    ? await openDatabaseTools(opened.org, opened.toolHost, options.tools, entry)
    : undefined;
  const context = contextOf(opened.org, opened.runtime, {
    entry,
    rehearsal: opened.chosen.mode === 'rehearsal',
    toolMode: opened.tools,
    ...(databaseTools ? { databaseTools } : {}),
  });
  const client = await connectClient(context);
  return {
    client,
    context,
    notes,
    async close() {
      await client.close();
      await opened.close();
    },
  };
}

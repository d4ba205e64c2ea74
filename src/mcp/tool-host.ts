import type { ModelTool } from '../model/model.js';
import type { AgentDefinition } from '../org/org-definition.js';

/** The outcome of a tool call, as the model will see it. */
export interface ToolOutcome {
  content: string;
  isError: boolean;
  /** The same result as data, when the tool gives it (MCP `structuredContent`), for programs such as metric probes. */
  data?: unknown;
}

/** Who is calling, for grants and the audit. */
export interface ToolCallContext {
  runId: string;
  agent: AgentDefinition;
  signal?: AbortSignal;
}

/**
 * The ToolHost seam: the tools an agent may call (its granted MCP tools) and the calls
 * themselves. A failing tool is an outcome with `isError`, never a thrown error.
 */
export interface ToolHost {
  /** The MCP tools an agent's grants give it, as the model sees them. Never rejects: a server that cannot start still lists its tools, and calls say why they fail. */
  toolsFor(agent: AgentDefinition): Promise<ModelTool[]>;
  call(
    name: string,
    input: Record<string, unknown>,
    context: ToolCallContext,
  ): Promise<ToolOutcome>;
  close(): Promise<void>;
}

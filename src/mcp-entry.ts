/**
 * `cadre/mcp`: the MCP tool host (a pool of MCP clients for cadre's database tools and an org's
 * MCP servers) and the metric probes that run through it. A separate entry, so that importing
 * `cadre` does not load the MCP client.
 */
export { createMcpToolHost, defaultBuiltinLaunch } from './mcp/mcp-tool-host.js';
export type { McpToolHostOptions, ServerLaunch } from './mcp/mcp-tool-host.js';
export { runProbes } from './mcp/metric-probes.js';
export type { ProbeResult } from './mcp/metric-probes.js';

import { z } from 'zod';
import { AgentLimits, Grant, Identifier, MemberPlacement } from './agent-schema.js';
import { Duration } from './duration-schema.js';
import { ConnectionUrl, EnvReference } from './env-reference.js';

/** A database or cache that tools work on. */
export const Target = z.strictObject({
  kind: z.enum(['postgres', 'redis'], {
    error: (issue) => `kind must be postgres or redis; got ${JSON.stringify(issue.input)}`,
  }),
  url: ConnectionUrl,
  /** The highest grant any agent may hold on this target. */
  access: Grant.optional(),
  description: z.string().optional(),
});
/** A database or cache that tools work on. */
export type Target = z.infer<typeof Target>;

/** An extra MCP server: started by command (stdio) or reached by URL (Streamable HTTP). */
export const McpServer = z
  .strictObject({
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), EnvReference).optional(),
    url: z
      .url({ error: 'url must be an http(s) URL' })
      .refine((url) => new URL(url).password === '' && new URL(url).username === '', {
        error:
          'the url holds credentials (user:password@); an MCP server over HTTP cannot take them in its URL, and they do not belong in a file',
      })
      .optional(),
    description: z.string().optional(),
    /** The tools it serves, so validation can check agents' references before it runs. */
    tools: z
      .array(
        z
          .string()
          .regex(/^[a-zA-Z0-9_-]{1,60}$/, { error: 'a tool name uses letters, digits, _ and -' }),
      )
      .optional(),
  })
  .refine((server) => (server.command === undefined) !== (server.url === undefined), {
    error: 'an MCP server has exactly one of command (stdio) or url (Streamable HTTP)',
  });
/** An extra MCP server. */
export type McpServer = z.infer<typeof McpServer>;

/** Org-wide limits; agents may lower or raise their own turns and tokens. */
export const OrgLimits = AgentLimits.extend({
  max_hops: z.int().positive().optional(),
  max_run_tokens: z.int().positive().optional(),
});
/** Org-wide limits. */
export type OrgLimits = z.infer<typeof OrgLimits>;

/** Defaults every agent of the org inherits. */
export const OrgDefaults = z.strictObject({
  model: z.string().regex(/^\S+$/).optional(),
  limits: OrgLimits.optional(),
  escalation: Identifier.optional(),
  peer_wait: Duration.optional(),
});
/** Defaults every agent inherits. */
export type OrgDefaults = z.infer<typeof OrgDefaults>;

/** `org.yaml`: the org's name, root, defaults, targets, MCP servers and members. */
export const OrgFile = z.strictObject({
  name: Identifier,
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  root: Identifier,
  defaults: OrgDefaults.optional(),
  targets: z.record(Identifier, Target).optional(),
  mcp_servers: z
    .record(
      z
        .string()
        .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, {
          error: 'an MCP server name is lowercase words joined by single hyphens',
        })
        .max(24),
      McpServer,
    )
    .optional(),
  members: z.record(Identifier, MemberPlacement).optional(),
  paths: z
    .strictObject({
      prompts: z.string().min(1).optional(),
      escalation: z.string().min(1).optional(),
    })
    .optional(),
});
/** `org.yaml`. */
export type OrgFile = z.infer<typeof OrgFile>;

import { z } from 'zod';
import { Duration } from './duration-schema.js';

/** Kebab-case identifier for agents, orgs, targets, servers and rules. */
export const Identifier = z
  .string({ error: 'an id is text such as layer-1 or database-specialist' })
  .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, {
    error: (issue) =>
      `'${String(issue.input)}' is not a valid id: use lowercase letters, digits and single hyphens, starting with a letter (such as layer-1)`,
  })
  .max(48, { error: 'an id is at most 48 characters' });
/** Kebab-case identifier. */
export type Identifier = z.infer<typeof Identifier>;

/** The four levels of a cadre org, from the top. */
export const Role = z.enum(['ceo', 'chief', 'domain', 'layer'], {
  error: (issue) =>
    `role must be one of ceo, chief, domain, layer; got ${JSON.stringify(issue.input)}`,
});
/** A level of the org. */
export type Role = z.infer<typeof Role>;

/** Access a tool is granted: read < write < admin. */
export const Grant = z.enum(['read', 'write', 'admin'], {
  error: (issue) => `grant must be read, write or admin; got ${JSON.stringify(issue.input)}`,
});
/** Access a tool is granted. */
export type Grant = z.infer<typeof Grant>;

/** A peer an agent may ask, and how long it waits for an answer before escalating. */
export const Peer = z.strictObject({
  id: Identifier,
  wait: Duration.optional(),
});
/** A peer an agent may ask. */
export type Peer = z.infer<typeof Peer>;

/** A tool an agent uses: a built-in (`psql`, `redis-cli`, `pgbench`) or an org MCP server (`server` or `server/tool`). */
export const ToolUse = z.preprocess(
  (input) => (typeof input === 'string' ? { tool: input } : input),
  z.strictObject({
    tool: z
      .string({ error: 'tool is the name of a tool, such as psql' })
      .regex(/^[a-z][a-z0-9-]*(?:\/[a-zA-Z0-9_-]+)?$/, {
        error: (issue) =>
          `'${String(issue.input)}' is not a tool name: write psql, redis-cli, pgbench, an MCP server of org.yaml, or server/tool`,
      }),
    grant: Grant.optional(),
    target: Identifier.optional(),
  }),
);
/** A tool an agent uses, with its grant. */
export type ToolUse = z.infer<typeof ToolUse>;

/** How a metric is measured: one read-only SQL query or Redis command, compared with `expect`. */
export const Probe = z
  .strictObject({
    sql: z.string().min(1).optional(),
    redis: z.array(z.string().min(1)).min(1).optional(),
    field: z.string().min(1).optional(),
    target: Identifier.optional(),
    expect: z.string().min(1).optional(),
  })
  .refine((probe) => (probe.sql === undefined) !== (probe.redis === undefined), {
    error: 'a probe has exactly one of sql (a query) or redis (a command as an argument array)',
  });
/** How a metric is measured. */
export type Probe = z.infer<typeof Probe>;

/** A success metric, kept as data: name, target, priority, optional probe. */
export const Metric = z.strictObject({
  name: z.string().min(1),
  target: z.string({ error: 'target is text such as "> 95%" or "< 100ms avg"' }).min(1),
  priority: z.enum(['critical', 'high', 'medium', 'low']).optional(),
  probe: Probe.optional(),
});
/** A success metric. */
export type Metric = z.infer<typeof Metric>;

const positiveCount = z
  .int({ error: 'a limit is a whole number' })
  .positive({ error: 'a limit is greater than 0' });

/** Per-agent limits: model turns per task and tokens per task. */
export const AgentLimits = z.strictObject({
  max_turns: positiveCount.optional(),
  max_tokens: positiveCount.optional(),
});
/** Per-agent limits. */
export type AgentLimits = z.infer<typeof AgentLimits>;

/** A prompt: a file under prompts/ (a path), or inline text as `{ text: … }`. */
export const PromptReference = z.union(
  [z.string().regex(/^[^\n]+\.(?:md|txt)$/), z.strictObject({ text: z.string().min(1) })],
  {
    error:
      'prompt is a file under prompts/ such as esa/layer-1.md, or inline text written as prompt: { text: "…" }',
  },
);
/** A prompt reference. */
export type PromptReference = z.infer<typeof PromptReference>;

/** Fields an agent's place and work share, whether written in YAML or in org.yaml `members`. */
const placement = {
  name: z.string().min(1),
  role: Role,
  reports_to: Identifier.nullable().optional(),
  peers: z.array(Peer).optional(),
  tools: z.array(ToolUse).optional(),
  metrics: z.array(Metric).optional(),
  limits: AgentLimits.optional(),
  escalation: Identifier.optional(),
  /** A person fills this place: requests to it wait for their answer (`cadre answer`). */
  human: z.boolean().optional(),
};

/** One agent file (`agents/<org>/<id>.yaml`). */
export const AgentFile = z.strictObject({
  id: Identifier,
  ...placement,
  description: z.string({ error: 'description says when to call on this agent' }).min(1),
  model: z
    .string()
    .regex(/^\S+$/, { error: 'model is one word, such as claude-sonnet-4-6' })
    .optional(),
  prompt: PromptReference,
});
/** One agent file. */
export type AgentFile = z.infer<typeof AgentFile>;

/** The place in the org of an agent written as a Claude Code subagent file (org.yaml `members`). */
export const MemberPlacement = z.strictObject({
  ...placement,
  name: z.string().min(1).optional(),
});
/** Placement of a Claude Code subagent in the org. */
export type MemberPlacement = z.infer<typeof MemberPlacement>;

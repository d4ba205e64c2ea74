/**
 * The agent a system prompt belongs to, read from the line cadre renders into every agent's
 * prompt ("- You are Layer #1 Database Architecture (`layer-1`), role layer.").
 * `undefined` when the prompt has no such line.
 */
export function agentOfSystem(system: string): string | undefined {
  return /You are .*?\(`([a-z][a-z0-9-]*)`\), role (?:ceo|chief|domain|layer)\./.exec(system)?.[1];
}

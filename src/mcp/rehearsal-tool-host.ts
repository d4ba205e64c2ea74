import type { ModelTool } from '../model/model.js';
import { modelToolNames } from '../org/render-prompt.js';
import { builtinTool, toolNameSeparator } from '../org/tool-catalog.js';
import type { ToolHost } from './tool-host.js';

/**
 * A ToolHost for rehearsals: every agent sees exactly the tools its grants give it, and a call
 * answers what would have run, without touching a database.
 */
export function createRehearsalToolHost(): ToolHost {
  const describe = (name: string): string => {
    const [tool = '', operation = ''] = name.split(toolNameSeparator);
    const found = builtinTool(tool)?.operations.find((candidate) => candidate.name === operation);
    return found ? `${tool}: ${found.description}` : `${tool}: ${operation}`;
  };
  return {
    async toolsFor(agent) {
      return modelToolNames(agent)
        .filter((name) => !name.endsWith('*'))
        .map((name): ModelTool => ({
          name,
          description: describe(name),
          input_schema: { type: 'object', additionalProperties: true },
        }));
    },
    async call(name, input, context) {
      const allowed = modelToolNames(context.agent);
      if (!allowed.includes(name)) {
        return {
          content: `tool ${name} is not granted to ${context.agent.id}; its tools: ${allowed.join(', ') || 'none'}`,
          isError: true,
        };
      }
      return {
        content: `rehearsal: ${name} ${JSON.stringify(input)} was not run (no database is touched in a rehearsal)`,
        isError: false,
      };
    },
    async close() {},
  };
}

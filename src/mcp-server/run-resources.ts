import { ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { shorten } from './describe-event.js';
import { transcriptUri } from './run-details.js';
import { renderTranscript } from './run-transcript.js';
import type { CadreMcpContext } from './server-context.js';

/** The most recent runs listed as resources. */
export const listedRunLimit = 100;

/** The transcripts' URI template. */
export const runUriTemplate = 'cadre://runs/{id}';

/**
 * Run transcripts as the resource template `cadre://runs/{id}` (Markdown): the most recent runs
 * are listed, ids complete, and clients hear `resources/list_changed` when a run is added.
 */
export function registerRunResources(server: McpServer, context: CadreMcpContext): void {
  const store = context.runtime.store;
  const template = new ResourceTemplate(runUriTemplate, {
    list: async () => ({
      resources: (await store.listRuns(listedRunLimit)).map((run) => ({
        uri: transcriptUri(run.runId),
        name: `run-${run.runId}`,
        title: shorten(run.task, 80),
        description: `${run.status} · entry ${run.entry} · started ${new Date(run.startedAt).toISOString()}`,
        mimeType: 'text/markdown',
      })),
    }),
    complete: {
      id: async (value) =>
        (await store.listRuns(listedRunLimit))
          .map((run) => run.runId)
          .filter((id) => id.startsWith(value)),
    },
  });
  server.registerResource(
    'run',
    template,
    {
      title: 'Run transcript',
      description:
        'The transcript of one run: the task, every message between agents, tool calls, escalations, the answer and the cost',
      mimeType: 'text/markdown',
    },
    async (uri, variables) => {
      const id = decodeURIComponent(String(variables.id ?? ''));
      const run = await store.getRun(id);
      if (!run) throw new McpError(ErrorCode.InvalidParams, `no run '${id}' in the store`);
      const text = renderTranscript(run, await store.events(id), context.rehearsal);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text }] };
    },
  );
}

import { randomUUID } from 'node:crypto';
import PQueue from 'p-queue';
import type { Bus } from '../a2a/bus.js';
import { A2AMessage, messageSchemaVersion, messageText } from '../a2a/message.js';
import type { MessageKind } from '../a2a/message.js';
import { createMemoryBus } from '../a2a/memory-bus.js';
import { createRehearsalToolHost } from '../mcp/rehearsal-tool-host.js';
import type { ToolHost } from '../mcp/tool-host.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Model, ModelMessage, ModelTool, ToolUseBlock } from '../model/model.js';
import { ModelError } from '../model/model-error.js';
import { CadreError } from '../errors.js';
import { peerWait } from '../org/escalation-path.js';
import { parseDuration } from '../org/duration.js';
import type { AgentDefinition, OrgDefinition } from '../org/org-definition.js';
import { renderPrompt } from '../org/render-prompt.js';
import type { Store } from '../store/store.js';
import { AsyncQueue } from './async-queue.js';
import { isOrgTool, orgToolNames, orgToolsFor } from './org-tools.js';
import { emptyTotals } from './run-event.js';
import type { GuardName, RunEvent, RunTotals } from './run-event.js';
import { chainOf, replyFailed } from './session.js';
import type { OpenRequest, SessionState } from './session.js';

/** The id of the person who starts runs. */
export const userAgentId = '@user';

/** What a runtime is made of: the org and one implementation of each seam. */
export interface RuntimeOptions {
  org: OrgDefinition;
  model: Model;
  /** The message bus; a memory bus (closed with the runtime) unless given. */
  bus?: Bus;
  /** Where runs and events are kept; a memory store unless given. */
  store?: Store;
  /** The agents' MCP tools; the rehearsal host (calls answer what would have run) unless given. */
  toolHost?: ToolHost;
  /** Model id for agents and orgs that name none. */
  defaultModel?: string;
  /** Model id every agent uses, whatever it names (`cadre run --model <id>`). */
  modelOverride?: string;
  /** How many model calls may run at once across the runtime. Default 8. */
  maxConcurrentModelCalls?: number;
  /** Output tokens one model call may produce. Default 4096. */
  maxOutputTokens?: number;
  now?: () => number;
  newId?: () => string;
}

/** How a run ended. */
export interface RunResult {
  runId: string;
  status: 'completed' | 'failed' | 'cancelled';
  answer?: string;
  error?: string;
  totals: RunTotals;
}

/** A run in progress. */
export interface RunHandle {
  runId: string;
  /** Resolves when the entry agent answers, the run fails, or it is cancelled. */
  result: Promise<RunResult>;
  /** Every event of the run, in order, ending with `run-end`. */
  events: AsyncIterable<RunEvent>;
  /** Stops the run: model calls in flight are aborted, nothing new starts. */
  cancel(): void;
}

/** A live org: sessions that delegate, ask, escalate and answer over the bus. */
export interface Runtime {
  /**
   * Starts a run. `history` holds earlier exchanges with the entry agent (a chat): they open
   * its conversation, so it answers with them in mind.
   */
  run(task: string, options?: RunOptions): RunHandle;
  close(): Promise<void>;
}

/** Options of one run. */
export interface RunOptions {
  /** The entry agent; the org's root unless given. */
  to?: string;
  /** Earlier exchanges with the entry agent, oldest first. */
  history?: { task: string; answer: string }[];
}

interface RunContext {
  history: { task: string; answer: string }[];
  runId: string;
  entry: string;
  task: string;
  startedAt: number;
  requestId: string;
  controller: AbortController;
  totals: RunTotals;
  queue: AsyncQueue<RunEvent>;
  finish: (result: RunResult) => void;
  done: boolean;
}

/** Creates a runtime for an org. Every agent's inbox is subscribed on the bus at once. */
export function createRuntime(options: RuntimeOptions): Runtime {
  const { org, model } = options;
  const ownBus = options.bus === undefined;
  const bus = options.bus ?? createMemoryBus();
  const store = options.store ?? createMemoryStore();
  const toolHost = options.toolHost ?? createRehearsalToolHost();
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const limiter = new PQueue({ concurrency: options.maxConcurrentModelCalls ?? 8 });
  const maxOutputTokens = options.maxOutputTokens ?? 4096;
  const limits = org.defaults.limits ?? {};
  const maxHops = limits.max_hops ?? 10;
  const runs = new Map<string, RunContext>();
  const sessions = new Map<string, SessionState>();
  const waitingOn = new Map<string, SessionState>();
  const handled = new Set<string>();
  const work = new Set<Promise<void>>();
  const byId = new Map(org.agents.map((agent) => [agent.id, agent]));

  const track = (promise: Promise<void>) => {
    work.add(promise);
    void promise.finally(() => work.delete(promise));
  };

  const emit = (run: RunContext, event: RunEvent) => {
    run.queue.push(event);
    if (event.type !== 'model-text-delta') track(store.appendEvent(event));
  };

  // An agent's tools and system prompt never change during the runtime's life: build them once,
  // so every turn sends byte-identical prefixes (prompt caching) and pays nothing to render them.
  const toolsCache = new Map<string, ModelTool[]>();
  const systemCache = new Map<string, string>();
  const toolsOf = (agent: AgentDefinition): ModelTool[] => {
    let tools = toolsCache.get(agent.id);
    if (!tools) {
      tools = [...orgToolsFor(org, agent), ...toolHost.toolsFor(agent)];
      toolsCache.set(agent.id, tools);
    }
    return tools;
  };
  const systemOf = (agent: AgentDefinition): string => {
    let system = systemCache.get(agent.id);
    if (system === undefined) {
      system = `${renderPrompt(org, agent)}\nWork through your tools. When you have the answer, end your turn with it as plain text: that text goes back to whoever asked you.`;
      systemCache.set(agent.id, system);
    }
    return system;
  };

  async function send(
    run: RunContext,
    fields: {
      messageId?: string;
      from: string;
      to: string;
      kind: MessageKind;
      text: string;
      taskId: string;
      hop: number;
      inReplyTo?: string;
      severity?: A2AMessage['severity'];
      tags?: string[];
      data?: Record<string, unknown>;
      deadline?: number;
    },
  ): Promise<A2AMessage> {
    const message = A2AMessage.parse({
      schemaVersion: messageSchemaVersion,
      messageId: fields.messageId ?? newId(),
      contextId: run.runId,
      taskId: fields.taskId,
      role: fields.from === userAgentId ? 'user' : 'agent',
      parts: [
        { kind: 'text', text: fields.text || '(empty)' },
        ...(fields.data ? [{ kind: 'data', data: fields.data }] : []),
      ],
      from: fields.from,
      to: fields.to,
      kind: fields.kind,
      severity: fields.severity ?? 'normal',
      tags: fields.tags ?? [],
      ...(fields.inReplyTo === undefined ? {} : { inReplyTo: fields.inReplyTo }),
      ...(fields.deadline === undefined ? {} : { deadline: fields.deadline }),
      hop: fields.hop,
      sentAt: now(),
    });
    run.totals.messages += 1;
    emit(run, {
      type: 'message-sent',
      runId: run.runId,
      agent: fields.from,
      at: now(),
      messageId: message.messageId,
      from: message.from,
      to: message.to,
      kind: message.kind,
      taskId: message.taskId,
      hop: message.hop,
      text: fields.text,
      severity: message.severity,
    });
    await bus.send(message);
    return message;
  }

  function endRun(run: RunContext, result: Omit<RunResult, 'runId' | 'totals'>): void {
    if (run.done) return;
    run.done = true;
    run.totals.wallMs = now() - run.startedAt;
    const full: RunResult = { runId: run.runId, totals: { ...run.totals }, ...result };
    if (result.status !== 'completed') run.controller.abort();
    emit(run, {
      type: 'run-end',
      runId: run.runId,
      agent: userAgentId,
      at: now(),
      status: result.status,
      ...(result.answer === undefined ? {} : { answer: result.answer }),
      ...(result.error === undefined ? {} : { error: result.error }),
      totals: full.totals,
    });
    track(
      store.saveRun({
        runId: run.runId,
        org: org.name,
        task: run.task,
        entry: run.entry,
        status: result.status,
        startedAt: run.startedAt,
        endedAt: now(),
        ...(result.answer === undefined ? {} : { answer: result.answer }),
      }),
    );
    run.queue.end();
    run.finish(full);
  }

  function tripGuard(
    run: RunContext,
    session: SessionState,
    guard: GuardName,
    detail: string,
  ): void {
    emit(run, {
      type: 'guard-tripped',
      runId: run.runId,
      agent: session.agent.id,
      at: now(),
      sessionId: session.id,
      guard,
      detail,
    });
    const manager = session.agent.reports_to;
    emit(run, {
      type: 'escalation-raised',
      runId: run.runId,
      agent: session.agent.id,
      at: now(),
      sessionId: session.id,
      to: manager ?? userAgentId,
      reason: `guard ${guard}: ${detail}`,
      severity: 'high',
    });
    if (manager) {
      track(
        send(run, {
          from: session.agent.id,
          to: manager,
          kind: 'escalation',
          text: `Guard ${guard} stopped my work on "${messageText(session.request).slice(0, 200)}": ${detail}`,
          taskId: newId(),
          hop: session.request.hop + 1,
          severity: 'high',
          tags: ['guard-tripped'],
          data: { chain: session.chain, guard, notice: true },
        }).then(() => undefined),
      );
    }
  }

  async function answer(
    run: RunContext,
    session: SessionState,
    text: string,
    failed: boolean,
  ): Promise<void> {
    session.status = failed ? (session.status === 'stopped' ? 'stopped' : 'failed') : 'answered';
    emit(run, {
      type: 'session-end',
      runId: run.runId,
      agent: session.agent.id,
      at: now(),
      sessionId: session.id,
      status: failed ? (session.status === 'stopped' ? 'stopped' : 'failed') : 'answered',
    });
    sessions.delete(session.id);
    const request = session.request;
    await send(run, {
      from: session.agent.id,
      to: request.from,
      kind: 'reply',
      text,
      taskId: request.taskId,
      inReplyTo: request.messageId,
      hop: request.hop + 1,
      ...(failed ? { data: { failed: true } } : {}),
    });
  }

  async function runTurn(run: RunContext, session: SessionState): Promise<void> {
    if (run.done || run.controller.signal.aborted) return;
    const agent = session.agent;
    const maxTurns = agent.limits.max_turns ?? limits.max_turns ?? 20;
    const maxTokens = agent.limits.max_tokens ?? limits.max_tokens;
    const maxRunTokens = limits.max_run_tokens;
    const runTokens =
      run.totals.inputTokens +
      run.totals.outputTokens +
      run.totals.cacheReadTokens +
      run.totals.cacheWriteTokens;
    const stop = (guard: GuardName, detail: string) => {
      session.status = 'stopped';
      tripGuard(run, session, guard, detail);
      return answer(run, session, `Stopped by the ${guard} guard: ${detail}`, true);
    };
    if (session.turns >= maxTurns)
      return stop('max-turns', `${agent.id} used its ${maxTurns} model turns on this task`);
    if (maxTokens !== undefined && session.tokens >= maxTokens)
      return stop(
        'max-tokens',
        `${agent.id} used ${session.tokens} of its ${maxTokens} tokens on this task`,
      );
    if (maxRunTokens !== undefined && runTokens >= maxRunTokens)
      return stop('max-run-tokens', `the run used ${runTokens} of its ${maxRunTokens} tokens`);

    session.turns += 1;
    session.status = 'running';
    const turn = session.turns;
    emit(run, {
      type: 'model-call-start',
      runId: run.runId,
      agent: agent.id,
      at: now(),
      sessionId: session.id,
      turn,
    });
    let response;
    try {
      response = await limiter.add(
        () =>
          model.turn(
            {
              agent: agent.id,
              model:
                options.modelOverride ??
                agent.model ??
                org.defaults.model ??
                options.defaultModel ??
                'claude-sonnet-4-6',
              system: systemOf(agent),
              messages: session.messages,
              tools: toolsOf(agent),
              maxTokens: maxOutputTokens,
              signal: run.controller.signal,
            },
            (event) => {
              if (event.type === 'text-delta')
                emit(run, {
                  type: 'model-text-delta',
                  runId: run.runId,
                  agent: agent.id,
                  at: now(),
                  sessionId: session.id,
                  text: event.text,
                });
              if (event.type === 'retry')
                emit(run, {
                  type: 'model-call-retry',
                  runId: run.runId,
                  agent: agent.id,
                  at: now(),
                  sessionId: session.id,
                  attempt: event.attempt,
                  reason: event.reason,
                  delayMs: event.delayMs,
                });
            },
          ),
        { signal: run.controller.signal },
      );
    } catch (error) {
      if (run.controller.signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      const attempts = error instanceof ModelError ? error.attempts : 1;
      emit(run, {
        type: 'model-call-error',
        runId: run.runId,
        agent: agent.id,
        at: now(),
        sessionId: session.id,
        error: message,
        attempts,
      });
      emit(run, {
        type: 'escalation-raised',
        runId: run.runId,
        agent: agent.id,
        at: now(),
        sessionId: session.id,
        to: agent.reports_to ?? userAgentId,
        reason: `model error: ${message}`,
        severity: 'high',
      });
      if (session.request.from === userAgentId) {
        session.status = 'failed';
        emit(run, {
          type: 'session-end',
          runId: run.runId,
          agent: agent.id,
          at: now(),
          sessionId: session.id,
          status: 'failed',
        });
        endRun(run, {
          status: 'failed',
          error: `${agent.id} could not reach its model: ${message}`,
        });
        return;
      }
      await answer(run, session, `I could not finish: my model calls failed (${message}).`, true);
      return;
    }
    if (!response) return;
    const usage = response.usage;
    const tokens =
      usage.input_tokens +
      usage.output_tokens +
      usage.cache_creation_input_tokens +
      usage.cache_read_input_tokens;
    session.tokens += tokens;
    Object.assign(run.totals, {
      modelCalls: run.totals.modelCalls + 1,
      inputTokens: run.totals.inputTokens + usage.input_tokens,
      outputTokens: run.totals.outputTokens + usage.output_tokens,
      cacheReadTokens: run.totals.cacheReadTokens + usage.cache_read_input_tokens,
      cacheWriteTokens: run.totals.cacheWriteTokens + usage.cache_creation_input_tokens,
      costUsd: run.totals.costUsd + response.costUsd,
    });
    const toolUses = response.content.filter(
      (block): block is ToolUseBlock => block.type === 'tool_use',
    );
    emit(run, {
      type: 'model-call-end',
      runId: run.runId,
      agent: agent.id,
      at: now(),
      sessionId: session.id,
      turn,
      usage,
      latencyMs: response.latencyMs,
      costUsd: response.costUsd,
      attempts: response.attempts,
      stopReason: response.stopReason,
      toolCalls: toolUses.length,
    });
    if (run.done) return;
    session.messages.push({
      role: 'assistant',
      content:
        response.content.length > 0 ? response.content : [{ type: 'text', text: '(no answer)' }],
    });
    if (toolUses.length === 0) {
      const text = response.content
        .map((block) => (block.type === 'text' ? block.text : ''))
        .join('')
        .trim();
      await answer(run, session, text || '(no answer)', false);
      return;
    }
    session.toolOrder = toolUses.map((use) => use.id);
    session.results = new Map();
    await Promise.all(toolUses.map((use) => callTool(run, session, use)));
    await continueIfComplete(run, session);
  }

  async function continueIfComplete(run: RunContext, session: SessionState): Promise<void> {
    if (session.open.size > 0) {
      session.status = 'waiting';
      return;
    }
    if (session.status !== 'running' && session.status !== 'waiting') return;
    const results = session.toolOrder.map(
      (id) =>
        session.results.get(id) ?? {
          type: 'tool_result' as const,
          tool_use_id: id,
          content: 'no result',
          is_error: true,
        },
    );
    session.messages.push({ role: 'user', content: results });
    session.status = 'running';
    await runTurn(run, session);
  }

  function result(
    session: SessionState,
    toolUseId: string,
    content: string,
    isError: boolean,
  ): void {
    session.results.set(toolUseId, {
      type: 'tool_result',
      tool_use_id: toolUseId,
      content,
      ...(isError ? { is_error: true } : {}),
    });
  }

  async function callTool(
    run: RunContext,
    session: SessionState,
    use: ToolUseBlock,
  ): Promise<void> {
    const agent = session.agent;
    const started = now();
    emit(run, {
      type: 'tool-call-start',
      runId: run.runId,
      agent: agent.id,
      at: started,
      sessionId: session.id,
      toolUseId: use.id,
      tool: use.name,
      input: use.input,
    });
    run.totals.toolCalls += 1;
    const finish = (output: string, isError: boolean) => {
      result(session, use.id, output, isError);
      emit(run, {
        type: 'tool-call-end',
        runId: run.runId,
        agent: agent.id,
        at: now(),
        sessionId: session.id,
        toolUseId: use.id,
        tool: use.name,
        isError,
        output: output.slice(0, 2000),
        durationMs: now() - started,
      });
    };
    if (!isOrgTool(use.name)) {
      const allowed = toolsOf(agent).some((tool) => tool.name === use.name);
      if (!allowed)
        return finish(
          `unknown tool ${use.name}; your tools: ${toolsOf(agent)
            .map((tool) => tool.name)
            .join(', ')}`,
          true,
        );
      try {
        const outcome = await toolHost.call(use.name, use.input, {
          runId: run.runId,
          agent,
          signal: run.controller.signal,
        });
        return finish(outcome.content, outcome.isError);
      } catch (error) {
        return finish(
          `tool ${use.name} failed: ${error instanceof Error ? error.message : String(error)}`,
          true,
        );
      }
    }
    const input = use.input;
    const text = (key: string) =>
      typeof input[key] === 'string' ? (input[key] as string).trim() : '';
    if (use.name === orgToolNames.report) {
      if (!agent.reports_to) return finish('you have no manager to report to', true);
      await send(run, {
        from: agent.id,
        to: agent.reports_to,
        kind: 'report',
        text: text('progress') || '(no progress given)',
        taskId: session.request.taskId,
        hop: session.request.hop + 1,
      });
      return finish(`reported to ${agent.reports_to}`, false);
    }
    let to: string;
    let kind: OpenRequest['kind'];
    let body: string;
    let deadline: number | undefined;
    let severity: A2AMessage['severity'] = 'normal';
    let tags: string[] = [];
    if (use.name === orgToolNames.delegate) {
      to = text('to');
      body = text('task');
      kind = 'task';
      if (byId.get(to)?.reports_to !== agent.id)
        return finish(
          `${to || '(nobody)'} is not one of your direct reports; they are: ${org.agents
            .filter((other) => other.reports_to === agent.id)
            .map((other) => other.id)
            .join(', ')}`,
          true,
        );
    } else if (use.name === orgToolNames.ask) {
      to = text('to');
      body = text('question');
      kind = 'question';
      const peer = agent.peers.find((candidate) => candidate.id === to);
      if (!peer)
        return finish(
          `${to || '(nobody)'} is not one of your peers; they are: ${agent.peers.map((candidate) => candidate.id).join(', ')}`,
          true,
        );
      deadline = now() + (parseDuration(peerWait(org, peer)) ?? 0);
    } else {
      if (!agent.reports_to) return finish('you are the top of the org: decide yourself', true);
      to = agent.reports_to;
      body = text('reason');
      kind = 'escalation';
      const given = text('severity');
      severity =
        (['low', 'normal', 'high', 'critical'] as const).find((level) => level === given) ??
        'normal';
      tags = Array.isArray(input.tags)
        ? input.tags.filter((tag): tag is string => typeof tag === 'string')
        : [];
    }
    if (!body)
      return finish(
        `${use.name} needs ${use.name === orgToolNames.delegate ? 'a task' : use.name === orgToolNames.ask ? 'a question' : 'a reason'}`,
        true,
      );
    const hop = session.request.hop + 1;
    if (hop > maxHops) {
      tripGuard(
        run,
        session,
        'max-hops',
        `${agent.id} → ${to} would be hop ${hop}, over the org's ${maxHops}`,
      );
      return finish(
        `refused: the run reached its limit of ${maxHops} hops; answer with what you have`,
        true,
      );
    }
    if (kind !== 'escalation' && session.chain.includes(to)) {
      const loop = [...session.chain, to].join(' → ');
      tripGuard(run, session, 'delegation-loop', loop);
      return finish(
        `refused: ${to} is already working on this thread (${loop}); answer with what you have`,
        true,
      );
    }
    if (kind === 'escalation') {
      emit(run, {
        type: 'escalation-raised',
        runId: run.runId,
        agent: agent.id,
        at: now(),
        sessionId: session.id,
        to,
        reason: body,
        severity,
      });
    }
    const message = await send(run, {
      from: agent.id,
      to,
      kind,
      text: body,
      taskId: newId(),
      hop,
      severity,
      tags,
      data: { chain: [...session.chain, to] },
      ...(deadline === undefined ? {} : { deadline }),
    });
    session.open.set(message.messageId, {
      toolUseId: use.id,
      messageId: message.messageId,
      to,
      kind,
    });
    waitingOn.set(message.messageId, session);
    emit(run, {
      type: 'tool-call-end',
      runId: run.runId,
      agent: agent.id,
      at: now(),
      sessionId: session.id,
      toolUseId: use.id,
      tool: use.name,
      isError: false,
      output: `sent to ${to}`,
      durationMs: now() - started,
    });
  }

  async function startSession(
    run: RunContext,
    agent: AgentDefinition,
    request: A2AMessage,
  ): Promise<void> {
    const id = `${agent.id}:${request.messageId}`;
    if (sessions.has(id)) return;
    const asker =
      request.from === userAgentId
        ? 'the person running this org'
        : `${request.from} (${byId.get(request.from)?.name ?? request.from})`;
    const heading =
      request.kind === 'task'
        ? `Task from ${asker}`
        : request.kind === 'question'
          ? `Question from ${asker}`
          : `Escalation (${request.severity}${request.tags.length > 0 ? `, ${request.tags.join(', ')}` : ''}) from ${asker}`;
    const session: SessionState = {
      id,
      runId: run.runId,
      agent,
      request,
      chain: chainOf(request).includes(agent.id)
        ? chainOf(request)
        : [...chainOf(request), agent.id],
      messages: [
        ...(request.messageId === run.requestId
          ? run.history.flatMap((exchange): ModelMessage[] => [
              { role: 'user', content: exchange.task },
              { role: 'assistant', content: exchange.answer },
            ])
          : []),
        { role: 'user', content: `${heading}:\n\n${messageText(request)}` },
      ],
      toolOrder: [],
      results: new Map(),
      open: new Map(),
      turns: 0,
      tokens: 0,
      status: 'running',
    };
    sessions.set(id, session);
    emit(run, {
      type: 'session-start',
      runId: run.runId,
      agent: agent.id,
      at: now(),
      sessionId: id,
      asker: request.from,
      kind: request.kind,
      taskId: request.taskId,
    });
    await runTurn(run, session);
  }

  async function resume(run: RunContext, message: A2AMessage): Promise<void> {
    const session = message.inReplyTo === undefined ? undefined : waitingOn.get(message.inReplyTo);
    if (!session || message.inReplyTo === undefined) return;
    const open = session.open.get(message.inReplyTo);
    if (!open) return;
    waitingOn.delete(message.inReplyTo);
    session.open.delete(message.inReplyTo);
    const failed = replyFailed(message);
    result(
      session,
      open.toolUseId,
      `${failed ? 'Failed' : 'Answer'} from ${message.from}: ${messageText(message)}`,
      failed,
    );
    await continueIfComplete(run, session);
  }

  function handlerFor(agentId: string) {
    return async (message: A2AMessage) => {
      if (handled.has(message.messageId)) return;
      handled.add(message.messageId);
      const run = runs.get(message.contextId);
      if (!run || run.done) return;
      if (agentId === userAgentId) {
        if (message.kind === 'reply' && message.inReplyTo === run.requestId) {
          endRun(
            run,
            replyFailed(message)
              ? { status: 'failed', error: messageText(message) }
              : { status: 'completed', answer: messageText(message) },
          );
        }
        return;
      }
      const agent = byId.get(agentId);
      if (!agent) return;
      if (message.kind === 'reply')
        track(
          resume(run, message).catch((error: unknown) =>
            endRun(run, { status: 'failed', error: String(error) }),
          ),
        );
      else if (
        message.kind === 'task' ||
        message.kind === 'question' ||
        message.kind === 'escalation'
      ) {
        track(
          startSession(run, agent, message).catch((error: unknown) =>
            endRun(run, { status: 'failed', error: String(error) }),
          ),
        );
      }
    };
  }

  const unsubscribers = [...org.agents.map((agent) => agent.id), userAgentId].map((id) =>
    bus.subscribe(id, handlerFor(id)),
  );

  return {
    run(task, runOptions = {}) {
      const entry = runOptions.to ?? org.root;
      if (!byId.has(entry)) {
        throw new CadreError({
          code: 'unknown-agent',
          message: `agent '${entry}' is not in org '${org.name}'`,
          hint: `choose one of ${[...byId.keys()].join(', ')}`,
        });
      }
      if (task.trim() === '')
        throw new CadreError({
          code: 'empty-task',
          message: 'the task is empty',
          hint: 'say what the org should do, such as "check the cache hit ratio"',
        });
      const runId = newId();
      let finish: (result: RunResult) => void = () => undefined;
      const resultPromise = new Promise<RunResult>((resolve) => (finish = resolve));
      const run: RunContext = {
        history: runOptions.history ?? [],
        runId,
        entry,
        task,
        startedAt: now(),
        requestId: newId(),
        controller: new AbortController(),
        totals: emptyTotals(),
        queue: new AsyncQueue<RunEvent>(),
        finish,
        done: false,
      };
      runs.set(runId, run);
      emit(run, {
        type: 'run-start',
        runId,
        agent: userAgentId,
        at: now(),
        task,
        entry,
        org: org.name,
      });
      track(
        store.saveRun({
          runId,
          org: org.name,
          task,
          entry,
          status: 'running',
          startedAt: run.startedAt,
        }),
      );
      track(
        send(run, {
          messageId: run.requestId,
          from: userAgentId,
          to: entry,
          kind: 'task',
          text: task,
          taskId: newId(),
          hop: 0,
          data: { chain: [entry] },
        })
          .then(() => undefined)
          .catch((error: unknown) => endRun(run, { status: 'failed', error: String(error) })),
      );
      return {
        runId,
        result: resultPromise,
        events: run.queue,
        cancel: () => endRun(run, { status: 'cancelled', error: 'cancelled' }),
      };
    },
    async close() {
      for (const run of runs.values())
        if (!run.done) endRun(run, { status: 'cancelled', error: 'runtime closed' });
      for (const unsubscribe of unsubscribers) unsubscribe();
      limiter.clear();
      await Promise.allSettled([...work]);
      if (ownBus) await bus.close();
    },
  };
}

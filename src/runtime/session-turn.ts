import type { ContentBlock, ToolUseBlock } from '../model/model.js';
import { redactSecrets } from '../../tools/shared/redact.js';
import { ModelError } from '../model/model-error.js';
import type { Kernel, RunContext } from './kernel.js';
import type { GuardName } from './run-event.js';
import { userAgentId } from './runtime-types.js';
import type { SessionState } from './session.js';
import { recordFailure } from './escalations.js';
import { callTool } from './tool-call.js';

/** Ends a session: its final text (or why it failed) goes back to whoever asked. */
export async function answer(
  kernel: Kernel,
  run: RunContext,
  session: SessionState,
  text: string,
  failed: boolean,
): Promise<void> {
  const { now, sessions, emit, send } = kernel;
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
    // The same id if a resumed run answers again: the asker takes the answer once.
    messageId: kernel.replayableId(session.id, 'reply'),
    from: session.agent.id,
    to: request.from,
    kind: 'reply',
    text,
    taskId: request.taskId,
    inReplyTo: request.messageId,
    hop: request.hop + 1,
    ...(failed ? { data: { failed: true } } : {}),
  });
  if (kernel.durable) await kernel.checkpoint(session);
}

/** Ends a session a guard stopped: the guard trips, and the asker gets a failed answer saying why. */
function stopByGuard(
  kernel: Kernel,
  run: RunContext,
  session: SessionState,
  guard: GuardName,
  detail: string,
): Promise<void> {
  session.status = 'stopped';
  kernel.tripGuard(run, session, guard, detail);
  return answer(kernel, run, session, `Stopped by the ${guard} guard: ${detail}`, true);
}

/** Runs one model turn of a session, after checking its guards; then its tool calls, or its answer. */
export async function runTurn(
  kernel: Kernel,
  run: RunContext,
  session: SessionState,
): Promise<void> {
  const { org, model, now, limiter, maxOutputTokens, limits, emit, toolsOf, systemOf, endRun } =
    kernel;
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
  if (session.turns >= maxTurns)
    return stopByGuard(
      kernel,
      run,
      session,
      'max-turns',
      `${agent.id} used its ${maxTurns} model turns on this task`,
    );
  if (maxTokens !== undefined && session.tokens >= maxTokens)
    return stopByGuard(
      kernel,
      run,
      session,
      'max-tokens',
      `${agent.id} used ${session.tokens} of its ${maxTokens} tokens on this task`,
    );
  if (maxRunTokens !== undefined && runTokens >= maxRunTokens)
    return stopByGuard(
      kernel,
      run,
      session,
      'max-run-tokens',
      `the run used ${runTokens} of its ${maxRunTokens} tokens`,
    );

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
    const tools = await toolsOf(agent);
    await limiter.acquire(run.controller.signal);
    try {
      response = await model.turn(
        {
          agent: agent.id,
          model:
            kernel.modelOverride ??
            agent.model ??
            org.defaults.model ??
            kernel.defaultModel ??
            'claude-sonnet-4-6',
          system: systemOf(agent),
          messages: session.messages,
          tools,
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
      );
    } finally {
      limiter.release();
    }
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
      error: redactSecrets(message),
      attempts,
    });
    kernel.raiseEscalation(
      run,
      session,
      agent.reports_to ?? userAgentId,
      `model error: ${message}`,
      'high',
    );
    recordFailure(kernel, run, session.request.messageId, {
      kind: 'model-error',
      detail: message.slice(0, 300),
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
    await answer(
      kernel,
      run,
      session,
      `I could not finish: my model calls failed (${message}).`,
      true,
    );
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
  const totals = run.totals;
  totals.modelCalls += 1;
  totals.inputTokens += usage.input_tokens;
  totals.outputTokens += usage.output_tokens;
  totals.cacheReadTokens += usage.cache_read_input_tokens;
  totals.cacheWriteTokens += usage.cache_creation_input_tokens;
  totals.costUsd += response.costUsd;
  const toolUses: ToolUseBlock[] = [];
  for (const block of response.content) if (block.type === 'tool_use') toolUses.push(block);
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
  session.toolOrder = toolUses.map((use) => use.id);
  session.results.clear();
  // The turn is on record before anything it asked for happens: a resumed run replays its
  // tool calls (messages under the ids they had) instead of asking the model again.
  if (kernel.durable) await kernel.checkpoint(session);
  if (toolUses.length === 0) {
    return answer(kernel, run, session, finalText(response.content), false);
  }
  await Promise.all(toolUses.map((use) => callTool(kernel, run, session, use)));
  return continueIfComplete(kernel, run, session);
}

/** Sends the tool results back to the model once every tool call of the turn has its result. */
export async function continueIfComplete(
  kernel: Kernel,
  run: RunContext,
  session: SessionState,
): Promise<void> {
  if (session.open.size > 0) {
    if (session.status !== 'waiting') {
      session.status = 'waiting';
      if (kernel.durable) await kernel.checkpoint(session);
    }
    return;
  }
  if (session.status !== 'running' && session.status !== 'waiting') return;
  // Nothing to hand back: another path (a redelivered answer and a resume's continuation both
  // land here) has already handed the results back and taken the next turn.
  if (session.toolOrder.length === 0) return;
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
  session.toolOrder = [];
  session.results.clear();
  session.status = 'running';
  if (kernel.durable) await kernel.checkpoint(session);
  return runTurn(kernel, run, session);
}

/** The text of a final turn: its text blocks joined, or "(no answer)". */
export function finalText(content: readonly ContentBlock[]): string {
  return (
    content
      .map((block) => (block.type === 'text' ? block.text : ''))
      .join('')
      .trim() || '(no answer)'
  );
}

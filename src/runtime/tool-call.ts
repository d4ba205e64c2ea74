import type { A2AMessage } from '../a2a/message.js';
import { redactSecrets, redactValue } from '../../tools/shared/redact.js';
import type { ToolUseBlock } from '../model/model.js';
import { parseDuration } from '../org/duration.js';
import { peerWait } from '../org/escalation-path.js';
import type { Kernel, RunContext } from './kernel.js';
import { isOrgTool, orgToolNames } from './org-tools.js';
import { recordFailure, watchRequest } from './escalations.js';
import { escalateToHuman } from './human-answers.js';
import { recordResult } from './session.js';
import type { OpenRequest, SessionState } from './session.js';

/**
 * Runs one tool call of a turn: an MCP tool through the tool host, `report` at once, and
 * `delegate_task`, `ask_peer` and `escalate` as messages whose answers resume the session.
 * Guards (hops, delegation loops) refuse a call with an error result the model can act on.
 */
export async function callTool(
  kernel: Kernel,
  run: RunContext,
  session: SessionState,
  use: ToolUseBlock,
): Promise<void> {
  const { org, toolHost, now, newId, maxHops, waitingOn, byId, emit, toolsOf, send, tripGuard } =
    kernel;
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
    input: redactValue(use.input),
  });
  run.totals.toolCalls += 1;
  const call: ToolCall = { kernel, run, session, use, started };
  if (!isOrgTool(use.name)) {
    const tools = await toolsOf(agent);
    if (!tools.some((tool) => tool.name === use.name)) {
      return finish(
        call,
        `unknown tool ${use.name}; your tools: ${tools.map((tool) => tool.name).join(', ')}`,
        true,
      );
    }
    try {
      const outcome = await toolHost.call(use.name, use.input, {
        runId: run.runId,
        agent,
        signal: run.controller.signal,
      });
      if (outcome.isError) toolFailed(call, `${use.name}: ${outcome.content}`);
      return finish(call, outcome.content, outcome.isError);
    } catch (error) {
      const output = `tool ${use.name} failed: ${error instanceof Error ? error.message : String(error)}`;
      toolFailed(call, output);
      return finish(call, output, true);
    }
  }
  const input = use.input;
  if (use.name === orgToolNames.report) {
    if (!agent.reports_to) return finish(call, 'you have no manager to report to', true);
    await send(run, {
      messageId: kernel.replayableId(session.id, use.id),
      from: agent.id,
      to: agent.reports_to,
      kind: 'report',
      text: inputText(input, 'progress') || '(no progress given)',
      taskId: session.request.taskId,
      hop: session.request.hop + 1,
    });
    return finish(call, `reported to ${agent.reports_to}`, false);
  }
  let to: string;
  let kind: OpenRequest['kind'];
  let body: string;
  let deadline: number | undefined;
  let severity: A2AMessage['severity'] = 'normal';
  let tags: string[] = [];
  if (use.name === orgToolNames.delegate) {
    to = inputText(input, 'to');
    body = inputText(input, 'task');
    kind = 'task';
    if (byId.get(to)?.reports_to !== agent.id)
      return finish(
        call,
        `${to || '(nobody)'} is not one of your direct reports; they are: ${org.agents
          .filter((other) => other.reports_to === agent.id)
          .map((other) => other.id)
          .join(', ')}`,
        true,
      );
  } else if (use.name === orgToolNames.ask) {
    to = inputText(input, 'to');
    body = inputText(input, 'question');
    kind = 'question';
    const peer = agent.peers.find((candidate) => candidate.id === to);
    if (!peer)
      return finish(
        call,
        `${to || '(nobody)'} is not one of your peers; they are: ${agent.peers.map((candidate) => candidate.id).join(', ')}`,
        true,
      );
    deadline = now() + (parseDuration(peerWait(org, peer)) ?? 0);
  } else {
    const given = inputText(input, 'severity');
    severity =
      (['low', 'normal', 'high', 'critical'] as const).find((level) => level === given) ?? 'normal';
    if (!agent.reports_to) {
      if (!inputText(input, 'reason')) return finish(call, 'escalate needs a reason', true);
      const asked = await escalateToHuman(kernel, run, session, use.id, {
        reason: inputText(input, 'reason'),
        severity,
      });
      if (!asked)
        return finish(
          call,
          'you are the top of the org and nobody is named above you: decide yourself',
          true,
        );
      kernel.raiseEscalation(run, session, asked.to, inputText(input, 'reason'), severity);
      ended(call, `asked ${asked.to}; waiting for their answer`, false);
      return;
    }
    to = agent.reports_to;
    body = inputText(input, 'reason');
    kind = 'escalation';
    tags = Array.isArray(input.tags)
      ? input.tags.filter((tag): tag is string => typeof tag === 'string')
      : [];
  }
  if (!body)
    return finish(
      call,
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
      call,
      `refused: the run reached its limit of ${maxHops} hops; answer with what you have`,
      true,
    );
  }
  if (kind !== 'escalation' && session.chain.includes(to)) {
    const loop = [...session.chain, to].join(' → ');
    tripGuard(run, session, 'delegation-loop', loop);
    return finish(
      call,
      `refused: ${to} is already working on this thread (${loop}); answer with what you have`,
      true,
    );
  }
  if (kind === 'escalation') {
    kernel.raiseEscalation(run, session, to, body, severity);
  }
  const message = await send(run, {
    messageId: kernel.replayableId(session.id, use.id),
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
  watchRequest(kernel, run, message);
  ended(call, `sent to ${to}`, false);
}

/** One tool call in progress: what its end needs to record it. */
interface ToolCall {
  kernel: Kernel;
  run: RunContext;
  session: SessionState;
  use: ToolUseBlock;
  /** When it started, on the kernel's clock. */
  started: number;
}

/** A string argument of a tool call, trimmed; `''` when absent or not a string. */
function inputText(input: Record<string, unknown>, key: string): string {
  const value = input[key];
  return typeof value === 'string' ? value.trim() : '';
}

/** The `tool-call-end` event of a call, with its output redacted and capped. */
function ended(call: ToolCall, output: string, isError: boolean): void {
  const { kernel, run, session, use } = call;
  kernel.emit(run, {
    type: 'tool-call-end',
    runId: run.runId,
    agent: session.agent.id,
    at: kernel.now(),
    sessionId: session.id,
    toolUseId: use.id,
    tool: use.name,
    isError,
    output: redactSecrets(output).slice(0, 2000),
    bytes: Buffer.byteLength(output),
    durationMs: kernel.now() - call.started,
  });
}

/** Ends a call with its result: the result goes to the session's turn, the event to the run. */
function finish(call: ToolCall, output: string, isError: boolean): void {
  recordResult(call.session, call.use.id, output, isError);
  ended(call, output, isError);
}

/** A strike on the request the session works on (a strike rule may escalate it). */
function toolFailed(call: ToolCall, detail: string): void {
  recordFailure(call.kernel, call.run, call.session.request.messageId, {
    kind: 'tool-error',
    detail: detail.slice(0, 300),
  });
}

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
  const ended = (output: string, isError: boolean) =>
    emit(run, {
      type: 'tool-call-end',
      runId: run.runId,
      agent: agent.id,
      at: now(),
      sessionId: session.id,
      toolUseId: use.id,
      tool: use.name,
      isError,
      output: redactSecrets(output).slice(0, 2000),
      bytes: Buffer.byteLength(output),
      durationMs: now() - started,
    });
  const finish = (output: string, isError: boolean) => {
    recordResult(session, use.id, output, isError);
    ended(output, isError);
  };
  // A strike on the request this session works on (a strike rule may escalate it).
  const toolFailed = (detail: string) =>
    recordFailure(kernel, run, session.request.messageId, {
      kind: 'tool-error',
      detail: detail.slice(0, 300),
    });
  if (!isOrgTool(use.name)) {
    const tools = await toolsOf(agent);
    if (!tools.some((tool) => tool.name === use.name)) {
      return finish(
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
      if (outcome.isError) toolFailed(`${use.name}: ${outcome.content}`);
      return finish(outcome.content, outcome.isError);
    } catch (error) {
      const output = `tool ${use.name} failed: ${error instanceof Error ? error.message : String(error)}`;
      toolFailed(output);
      return finish(output, true);
    }
  }
  const input = use.input;
  const text = (key: string) =>
    typeof input[key] === 'string' ? (input[key] as string).trim() : '';
  if (use.name === orgToolNames.report) {
    if (!agent.reports_to) return finish('you have no manager to report to', true);
    await send(run, {
      messageId: kernel.replayableId(session.id, use.id),
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
    const given = text('severity');
    severity =
      (['low', 'normal', 'high', 'critical'] as const).find((level) => level === given) ?? 'normal';
    if (!agent.reports_to) {
      if (!text('reason')) return finish('escalate needs a reason', true);
      const asked = await escalateToHuman(kernel, run, session, use.id, {
        reason: text('reason'),
        severity,
      });
      if (!asked)
        return finish(
          'you are the top of the org and nobody is named above you: decide yourself',
          true,
        );
      kernel.raiseEscalation(run, session, asked.to, text('reason'), severity);
      ended(`asked ${asked.to}; waiting for their answer`, false);
      return;
    }
    to = agent.reports_to;
    body = text('reason');
    kind = 'escalation';
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
  ended(`sent to ${to}`, false);
}

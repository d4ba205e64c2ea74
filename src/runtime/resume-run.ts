import { CadreError } from '../errors.js';
import { isHuman } from '../escalation/targets.js';
import type { ToolUseBlock } from '../model/model.js';
import type { OpenRequestRecord } from '../store/store.js';
import { deadlinePassed } from './escalations.js';
import type { StoredRequest } from './escalations.js';
import { awaitHuman, deliverHumanAnswer, personRule } from './human-answers.js';
import type { Kernel, RunContext } from './kernel.js';
import { totalsOf } from './run-event.js';
import type { RunEvent } from './run-event.js';
import type { RunStart } from './runtime.js';
import type { RunHandle } from './runtime-types.js';
import { userAgentId } from './runtime-types.js';
import { sessionFromRecord } from './session-record.js';
import type { SessionState } from './session.js';
import { answer, continueIfComplete, finalText, runTurn } from './session-turn.js';
import { builtinTool, toolNameSeparator } from '../org/tool-catalog.js';
import { isOrgTool } from './org-tools.js';
import { recordResult } from './session.js';
import { callTool } from './tool-call.js';

/**
 * Continues a run from the store (see `Runtime.resume`). Sessions come back at their last
 * checkpoint and go on from there: a turn whose tool calls were under way replays the missing
 * ones (messages under the ids they had, so none is delivered twice), a session that had its
 * answer sends it again under the same id, one that waited keeps waiting. Messages written
 * but not handled are delivered again; an answer a person gave meanwhile is delivered; the
 * deadlines of open requests are re-armed, those already past due firing at once.
 */
export async function resumeRun(
  kernel: Kernel,
  runId: string,
  openRun: (kernel: Kernel, start: RunStart) => { run: RunContext; handle: RunHandle },
): Promise<RunHandle> {
  const { store, org } = kernel;
  const record = await store.getRun(runId);
  if (!record) {
    throw new CadreError({
      code: 'run-unknown',
      message: `no run '${runId}' in the store`,
      hint: 'list the runs with `cadre runs` (the store is CADRE_STORE_URL, or .cadre/state.db)',
    });
  }
  if (record.status !== 'running') {
    throw new CadreError({
      code: 'run-not-resumable',
      message: `run '${runId}' already ended (${record.status}); only a run whose process died can be resumed`,
      hint: `see what it did with \`cadre show ${runId}\``,
    });
  }
  if (record.org !== org.name) {
    throw new CadreError({
      code: 'resume-org-mismatch',
      message: `run '${runId}' belongs to org '${record.org}', not '${org.name}'`,
      hint: `resume it with --org pointing at org '${record.org}'`,
    });
  }
  if (kernel.runs.has(runId)) {
    throw new CadreError({
      code: 'run-live',
      message: `run '${runId}' is running in this process already`,
      hint: 'wait for it, or cancel it',
    });
  }
  const requestId = record.settings?.requestId;
  if (requestId === undefined) {
    throw new CadreError({
      code: 'run-not-resumable',
      message: `run '${runId}' was stored without the id of its request, so its answer could not be recognised`,
      hint: 'start the task again with `cadre run`',
    });
  }

  const [events, sessionRecords, requests, escalations, pending] = await Promise.all([
    store.events(runId),
    store.sessions(runId),
    store.openRequests(runId),
    store.listEscalations({ runId }),
    store.pendingMessages(runId),
  ]);
  // One process at a time: the run's lease must be free, or lapse (its holder died).
  await kernel.leases.takeOver(runId);
  // Every session is rebuilt before the run is opened: one whose agent this org lacks refuses
  // the resume here, and the run stays as it was, to be resumed with the right org.
  const restored = sessionRecords.map((sessionRecord) =>
    sessionFromRecord(sessionRecord, (id) => kernel.byId.get(id)),
  );
  const { run, handle } = openRun(kernel, {
    runId,
    entry: record.entry,
    task: record.task,
    startedAt: record.startedAt,
    requestId,
    history: [],
    totals: totalsOf(events),
    resumed: true,
    settings: record.settings ?? {},
  });

  // Sessions: a request whose session is on record is handled, however far it got.
  const live: SessionState[] = [];
  let entrySession: SessionState | undefined;
  for (const session of restored) {
    if (session.request.messageId === requestId) entrySession = session;
    run.handled.add(session.request.messageId);
    kernel.markHandled(session.request);
    if (session.status !== 'running' && session.status !== 'waiting') continue;
    kernel.sessions.set(session.id, session);
    for (const open of session.open.values()) kernel.waitingOn.set(open.messageId, session);
    live.push(session);
  }
  for (const escalation of escalations)
    kernel.origins.set(escalation.escalationId, escalation.requestMessageId);
  const watchedRequests = watchAgain(kernel, requests);

  kernel.emit(run, {
    type: 'run-resume',
    runId,
    agent: userAgentId,
    at: kernel.now(),
    sessions: live.length,
    pendingMessages: pending.length,
    openRequests: watchedRequests.length,
  });

  // Messages written before the process died and not handled: delivered again, first, so that
  // an answer that was on its way settles its request before a deadline fires for it.
  for (const message of pending) await kernel.bus.send(message);
  const calls = recordedCalls(events);
  for (const session of live) kernel.track(continueSession(kernel, run, session, calls));
  if (entrySession === undefined && (await kernel.store.getMessage(requestId)) === undefined) {
    // The process died between storing the run and storing its task: the task goes out now,
    // with the id it was to have.
    kernel.track(
      kernel
        .send(run, {
          messageId: requestId,
          from: userAgentId,
          to: record.entry,
          kind: 'task',
          text: record.task,
          taskId: kernel.newId(),
          hop: 0,
          data: { chain: [record.entry] },
        })
        .then(() => undefined),
    );
  } else if (
    entrySession?.status === 'answered' &&
    !pending.some((message) => message.to === userAgentId)
  ) {
    // The entry agent answered, and its reply was handled, but the run's end was not stored
    // before the process died: the run ends now with that answer.
    const last = entrySession.messages.at(-1);
    kernel.endRun(run, {
      status: 'completed',
      answer:
        last === undefined
          ? '(no answer)'
          : typeof last.content === 'string'
            ? last.content
            : finalText(last.content),
    });
  }
  for (const escalation of escalations) {
    const awaited =
      kernel.watched.has(escalation.requestMessageId) ||
      kernel.waitingOn.has(escalation.escalationId) ||
      (escalation.rule === personRule &&
        kernel.sessions.has(`${escalation.waitedOn}:${escalation.requestMessageId}`));
    if (!isHuman(escalation.to) || !awaited) continue;
    if (escalation.status === 'open') awaitHuman(kernel, escalation);
    else if (escalation.status === 'answered') {
      awaitHuman(kernel, escalation);
      kernel.track(deliverHumanAnswer(kernel, escalation));
    }
  }
  await new Promise((resolve) => setImmediate(resolve));
  kernel.timers.rearm(
    watchedRequests.flatMap((request) =>
      request.dueAt === undefined ? [] : [{ id: request.messageId, dueAt: request.dueAt }],
    ),
    (id) => deadlinePassed(kernel, run, id),
  );
  return handle;
}

/** Puts the open requests of a run back under the engine's watch; returns those it could. */
function watchAgain(kernel: Kernel, requests: readonly OpenRequestRecord[]): OpenRequestRecord[] {
  const watched: OpenRequestRecord[] = [];
  for (const request of requests) {
    const stored = request.state as Partial<StoredRequest> | undefined;
    if (!stored?.engine || !stored.message) continue;
    kernel.watched.set(request.messageId, { state: stored.engine, message: stored.message });
    watched.push(request);
  }
  return watched;
}

/** What a run's events say of one tool call: that it started, and how it ended, if it did. */
interface RecordedCall {
  started: boolean;
  end?: { output: string; isError: boolean };
}

/** The run's tool calls as its events recorded them, by tool use id. */
function recordedCalls(events: readonly RunEvent[]): Map<string, RecordedCall> {
  const calls = new Map<string, RecordedCall>();
  for (const event of events) {
    if (event.type === 'tool-call-start') {
      calls.set(event.toolUseId, { ...calls.get(event.toolUseId), started: true });
    } else if (event.type === 'tool-call-end') {
      calls.set(event.toolUseId, {
        started: true,
        end: { output: event.output, isError: event.isError },
      });
    }
  }
  return calls;
}

/**
 * Whether a call that started before the stop may simply be made again: org tools (their
 * messages carry the same ids, so a second send is the same message), built-in operations that
 * never write, and built-in tools the agent holds at the read grant (the server refuses every
 * write). Anything else (execute, a command at the write grant, an org's own server) may have
 * written.
 */
function safeToRepeat(session: SessionState, toolName: string): boolean {
  if (isOrgTool(toolName)) return true;
  const [tool = '', operation = ''] = toolName.split(toolNameSeparator);
  if (!builtinTool(tool)) return false;
  if (readOnlyOperations[tool]?.includes(operation)) return true;
  const held = session.agent.tools.filter((use) => use.tool === tool);
  return held.length > 0 && held.every((use) => use.grant === 'read');
}

/** Built-in operations that never write, at any grant (psql's run in read-only transactions). */
const readOnlyOperations: Record<string, readonly string[]> = {
  psql: ['query', 'explain', 'describe', 'health'],
  'redis-cli': ['info', 'slowlog', 'latency', 'memory', 'bigkeys'],
};

/** The result of a call whose outcome nobody knows. */
function outcomeUnknown(toolName: string): string {
  return `the outcome of this ${toolName} call is unknown: cadre stopped while it ran, so it may or may not have taken effect. It was not run again; check what it would have changed before you repeat it.`;
}

/** Takes a session on from its checkpoint. */
async function continueSession(
  kernel: Kernel,
  run: RunContext,
  session: SessionState,
  recorded: ReadonlyMap<string, RecordedCall>,
): Promise<void> {
  // A person's place: the session waits for their answer (re-armed with the escalations).
  if (session.agent.human) return;
  try {
    const last = session.messages.at(-1);
    if (!last || last.role === 'user') {
      await runTurn(kernel, run, session);
      return;
    }
    const content = typeof last.content === 'string' ? [] : last.content;
    const uses = content.filter((block): block is ToolUseBlock => block.type === 'tool_use');
    if (uses.length === 0) {
      await answer(kernel, run, session, finalText(content), false);
      return;
    }
    const sent = new Set([...session.open.values()].map((open) => open.toolUseId));
    const missing = uses.filter((use) => !session.results.has(use.id) && !sent.has(use.id));
    await Promise.all(
      missing.map((use) => {
        const known = recorded.get(use.id);
        // Finished before the stop: its recorded result stands; the call is not made again.
        if (known?.end) {
          recordResult(session, use.id, known.end.output, known.end.isError);
          return undefined;
        }
        // Started but not finished: run again only what cannot write.
        if (known?.started && !safeToRepeat(session, use.name)) {
          recordResult(session, use.id, outcomeUnknown(use.name), true);
          return undefined;
        }
        return callTool(kernel, run, session, use);
      }),
    );
    await continueIfComplete(kernel, run, session);
  } catch (error) {
    kernel.endRun(run, { status: 'failed', error: String(error) });
  }
}

import { randomId } from './random-id.js';
import { redactSecrets } from '../../tools/shared/redact.js';
import { Semaphore } from './semaphore.js';
import { createRunLeases } from './run-leases.js';
import type { RunLeases } from './run-leases.js';
import { scaledClock } from '../escalation/scaled-clock.js';
import { createTimers } from '../escalation/timers.js';
import type { Timers } from '../escalation/timers.js';
import { recordFailure } from './escalations.js';
import type { WatchedRequest } from './escalations.js';
import type { Bus } from '../a2a/bus.js';
import { messageSchemaVersion } from '../a2a/message-fields.js';
import { messageText } from '../a2a/message-text.js';
import type { A2AMessage, MessageKind } from '../a2a/message.js';
import { createMemoryBus } from '../a2a/memory-bus.js';
import { createRehearsalToolHost } from '../mcp/rehearsal-tool-host.js';
import type { ToolHost } from '../mcp/tool-host.js';
import type { Model, ModelTool } from '../model/model.js';
import type { AgentDefinition, OrgDefinition } from '../org/org-definition.js';
import type { OrgLimits } from '../org/org-schema.js';
import { renderPrompt } from '../org/render-prompt.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { RunSettings, Store } from '../store/store.js';
import type { AsyncQueue } from './async-queue.js';
import { orgToolsFor } from './org-tools.js';
import type { GuardName, RunEvent, RunTotals } from './run-event.js';
import { userAgentId } from './runtime-types.js';
import type { RunResult, RuntimeOptions } from './runtime-types.js';
import type { SessionState } from './session.js';
import { sessionRecordOf } from './session-record.js';
import { stableId } from './stable-id.js';

/** One run in progress, as the runtime tracks it. */
export interface RunContext {
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
  /** Messages of this run already handled: a redelivery is ignored. */
  handled: Set<string>;
  /**
   * Set when the run was resumed from the store: a message sent again under an id the store
   * already has is not delivered again (it is pending there, or was handled).
   */
  resumed: boolean;
  /** How the run was started, kept with it for `cadre resume`. */
  settings: RunSettings;
}

/** What to send: the routing fields of an A2A message and its text. */
export interface Outgoing {
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
}

/**
 * The runtime's shared parts: the seams, the clocks, the maps of runs and sessions, and the few
 * operations every part uses (emit an event, send a message, end a run, trip a guard).
 */
export interface Kernel {
  org: OrgDefinition;
  model: Model;
  bus: Bus;
  store: Store;
  toolHost: ToolHost;
  ownBus: boolean;
  /** Whether the store outlives the process: then sessions are checkpointed and messages go through the outbox. */
  durable: boolean;
  /** The leases of the runs this process works on (see RunLeases). */
  leases: RunLeases;
  now: () => number;
  /** The instant the scaled clock was anchored at (with `timeScale`, what a resume needs to read the same time). */
  clockOrigin: number;
  timeScale: number;
  newId: () => string;
  limiter: Semaphore;
  maxOutputTokens: number;
  limits: OrgLimits;
  maxHops: number;
  modelOverride: string | undefined;
  /** The escalation engine's timers, one per watched request. */
  timers: Timers;
  /** Requests the escalation engine watches, by the id of the message that carried them. */
  watched: Map<string, WatchedRequest>;
  /** For each escalation the engine fired (its id is its message's): the request it was fired for. */
  origins: Map<string, string>;
  /** Escalations waiting on a person's answer, with their run. */
  humanWaits: Map<string, string>;
  /** The timer that looks in the store for people's answers while any is awaited. */
  humanPoll: { timer?: ReturnType<typeof setInterval> };
  defaultModel: string | undefined;
  runs: Map<string, RunContext>;
  sessions: Map<string, SessionState>;
  waitingOn: Map<string, SessionState>;
  work: Set<Promise<void>>;
  byId: Map<string, AgentDefinition>;
  track(promise: Promise<void>): void;
  emit(run: RunContext, event: RunEvent): void;
  /** The agent's tools: org tools, then its MCP tools (listed once, on first use). */
  toolsOf(agent: AgentDefinition): Promise<ModelTool[]>;
  systemOf(agent: AgentDefinition): string;
  send(run: RunContext, fields: Outgoing): Promise<A2AMessage>;
  /**
   * Writes a session's state to a durable store (in call order per session) before what
   * depends on it goes on; nothing with a memory store.
   */
  checkpoint(session: SessionState): Promise<void>;
  /** Marks a message handled in a durable store, once its effect is checkpointed. */
  markHandled(message: A2AMessage): void;
  /**
   * The id of a message a resumed run may send again (a turn's delegation, an answer): made
   * from `parts` with a durable store, so the second send is a no-op; a fresh id otherwise,
   * where no run resumes and hashing would be wasted.
   */
  replayableId(...parts: string[]): string;
  /** Runs store writes for one key (a session, a request) one after another, in call order. */
  serially(key: string, write: () => Promise<void>): Promise<void>;
  endRun(run: RunContext, result: Omit<RunResult, 'runId' | 'totals'>): void;
  tripGuard(run: RunContext, session: SessionState, guard: GuardName, detail: string): void;
  /** Records that a session raised a problem to `to` (an `escalation-raised` event). */
  raiseEscalation(
    run: RunContext,
    session: SessionState,
    to: string,
    reason: string,
    severity: string,
  ): void;
}

/** Builds the kernel of a runtime from its options. */
export function createKernel(options: RuntimeOptions): Kernel {
  const { org, model } = options;
  const ownBus = options.bus === undefined;
  const bus = options.bus ?? createMemoryBus();
  const store = options.store ?? createMemoryStore();
  const toolHost = options.toolHost ?? createRehearsalToolHost();
  const durable = store.durable;
  const timeScale = options.timeScale ?? 1;
  const clockOrigin = options.clockOrigin ?? Date.now();
  const now =
    options.now ?? (timeScale === 1 ? Date.now : scaledClock({ timeScale, origin: clockOrigin }));
  const timers = createTimers({ now, timeScale, keepAlive: true });
  const watched = new Map<string, WatchedRequest>();
  const humanWaits = new Map<string, string>();
  const origins = new Map<string, string>();
  const newId = options.newId ?? randomId;
  const limiter = new Semaphore(options.maxConcurrentModelCalls ?? 8);
  const maxOutputTokens = options.maxOutputTokens ?? 4096;
  const limits = org.defaults.limits ?? {};
  const maxHops = limits.max_hops ?? 10;
  const runs = new Map<string, RunContext>();
  const leases = createRunLeases(store, () => runs.keys(), options.leaseMs);
  const sessions = new Map<string, SessionState>();
  const waitingOn = new Map<string, SessionState>();
  const work = new Set<Promise<void>>();
  const byId = new Map(org.agents.map((agent) => [agent.id, agent]));

  const track = (promise: Promise<void>) => {
    work.add(promise);
    // Handled here, so that a failed write (a locked or lost store) never ends the process with
    // an unhandled rejection: the run's own path reports it, and the stored run stays resumable.
    const forget = () => {
      work.delete(promise);
    };
    promise.then(forget, forget);
  };

  const writing = new Map<string, Promise<void>>();
  const serially = (key: string, write: () => Promise<void>): Promise<void> => {
    const next = (writing.get(key) ?? Promise.resolve()).then(write);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    writing.set(key, settled);
    void settled.then(() => {
      if (writing.get(key) === settled) writing.delete(key);
    });
    return next;
  };
  const checkpoint = (session: SessionState): Promise<void> => {
    if (!durable) return Promise.resolve();
    const record = sessionRecordOf(session, now());
    return serially(session.id, async () => {
      try {
        await store.saveSession(record);
      } catch (error) {
        // The store did not take these messages: the next checkpoint gives them again, so the
        // stored conversation has no gap (a handler that failed here is delivered again).
        session.savedMessages = Math.min(session.savedMessages, record.messagesFrom ?? 0);
        throw error;
      }
    });
  };
  const markHandled = (message: A2AMessage): void => {
    if (durable) track(store.markHandled(message.messageId, now()).then(() => undefined));
  };

  // Events reach the store in batches: one tracked write per tick instead of one per event.
  let unsaved: RunEvent[] = [];
  const emit = (run: RunContext, event: RunEvent) => {
    run.queue.push(event);
    if (event.type === 'model-text-delta') return;
    unsaved.push(event);
    if (unsaved.length === 1) {
      queueMicrotask(() => {
        const batch = unsaved;
        unsaved = [];
        track(store.appendEvents(batch));
      });
    }
  };

  // An agent's tools and system prompt never change during the runtime's life: build them once,
  // so every turn sends byte-identical prefixes (prompt caching) and pays nothing to render them.
  const toolsCache = new Map<string, Promise<ModelTool[]>>();
  const systemCache = new Map<string, string>();
  const toolsOf = (agent: AgentDefinition): Promise<ModelTool[]> => {
    let tools = toolsCache.get(agent.id);
    if (!tools) {
      tools = Promise.resolve(toolHost.toolsFor(agent)).then((hosted) => [
        ...orgToolsFor(org, agent),
        ...hosted,
      ]);
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

  async function send(run: RunContext, fields: Outgoing): Promise<A2AMessage> {
    // Built here from typed fields; the bus validates it at its boundary.
    const message: A2AMessage = {
      schemaVersion: messageSchemaVersion,
      messageId: fields.messageId ?? newId(),
      contextId: run.runId,
      taskId: fields.taskId,
      role: fields.from === userAgentId ? 'user' : 'agent',
      parts: [
        { kind: 'text', text: fields.text || '(empty)' },
        ...(fields.data ? [{ kind: 'data' as const, data: fields.data }] : []),
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
    };
    if (durable) {
      if (run.resumed && fields.messageId !== undefined) {
        const known = await store.getMessage(fields.messageId);
        // Sent before the process died: it is delivered again from the store, or was handled.
        if (known) return known.message;
      }
      await store.putMessage(message);
    }
    run.totals.messages += 1;
    emit(run, {
      type: 'message-sent',
      runId: run.runId,
      agent: fields.from,
      at: message.sentAt,
      messageId: message.messageId,
      from: message.from,
      to: message.to,
      kind: message.kind,
      taskId: message.taskId,
      hop: message.hop,
      text: redactSecrets(fields.text),
      severity: message.severity,
    });
    await bus.send(message);
    return message;
  }

  function endRun(run: RunContext, result: Omit<RunResult, 'runId' | 'totals'>): void {
    if (run.done) return;
    run.done = true;
    // Real milliseconds, also in a drill whose clock runs faster.
    run.totals.wallMs = (now() - run.startedAt) / timeScale;
    const full: RunResult = { runId: run.runId, totals: { ...run.totals }, ...result };
    // Whatever is still running for this run (a branch nobody waits for any more) stops.
    run.controller.abort();
    emit(run, {
      type: 'run-end',
      runId: run.runId,
      agent: userAgentId,
      at: now(),
      status: result.status,
      ...(result.answer === undefined ? {} : { answer: redactSecrets(result.answer) }),
      ...(result.error === undefined ? {} : { error: redactSecrets(result.error) }),
      totals: full.totals,
    });
    track(
      store.saveRun({
        runId: run.runId,
        org: org.name,
        task: redactSecrets(run.task),
        entry: run.entry,
        status: result.status,
        startedAt: run.startedAt,
        endedAt: now(),
        ...(result.answer === undefined ? {} : { answer: redactSecrets(result.answer) }),
        ...(result.error === undefined ? {} : { error: redactSecrets(result.error) }),
        totals: full.totals,
        settings: run.settings,
      }),
    );
    for (const [escalationId, runId] of humanWaits)
      if (runId === run.runId) humanWaits.delete(escalationId);
    // Nobody can act on an escalation of a finished run: it is closed, not left open for ever.
    track(
      store.listEscalations({ runId: run.runId, open: true }).then(async (open) => {
        for (const escalation of open)
          await serially(`escalation:${escalation.escalationId}`, () =>
            store.saveEscalation({ ...escalation, status: 'cancelled' }),
          );
      }),
    );
    run.queue.end();
    // A finished run is forgotten: late messages for it find no run and are ignored.
    runs.delete(run.runId);
    for (const [id, request] of watched) {
      if (request.state.runId !== run.runId) continue;
      watched.delete(id);
      timers.cancel(id);
    }
    run.finish(full);
  }

  function raiseEscalation(
    run: RunContext,
    session: SessionState,
    to: string,
    reason: string,
    severity: string,
  ): void {
    emit(run, {
      type: 'escalation-raised',
      runId: run.runId,
      agent: session.agent.id,
      at: now(),
      sessionId: session.id,
      to,
      reason: redactSecrets(reason),
      severity,
    });
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
      detail: redactSecrets(detail),
    });
    recordFailure(kernel, run, session.request.messageId, {
      kind: 'guard-tripped',
      detail: `${guard}: ${detail}`.slice(0, 300),
    });
    const manager = session.agent.reports_to;
    raiseEscalation(run, session, manager ?? userAgentId, `guard ${guard}: ${detail}`, 'high');
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

  const kernel: Kernel = {
    org,
    model,
    bus,
    store,
    toolHost,
    ownBus,
    durable,
    leases,
    now,
    clockOrigin,
    timeScale,
    newId,
    limiter,
    maxOutputTokens,
    limits,
    maxHops,
    modelOverride: options.modelOverride,
    timers,
    watched,
    origins,
    humanWaits,
    humanPoll: {},
    defaultModel: options.defaultModel,
    runs,
    sessions,
    waitingOn,
    work,
    byId,
    track,
    emit,
    toolsOf,
    systemOf,
    send,
    checkpoint,
    markHandled,
    replayableId: (...parts) => (durable ? stableId(...parts) : newId()),
    serially,
    endRun,
    tripGuard,
    raiseEscalation,
  };
  return kernel;
}

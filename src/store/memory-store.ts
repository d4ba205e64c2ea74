import type { A2AMessage } from '../a2a/message.js';
import type { RunEvent } from '../runtime/run-event.js';
import type {
  EscalationRecord,
  MessageRecord,
  OpenRequestRecord,
  RunRecord,
  SessionRecord,
  Store,
} from './store.js';

const copy = <T>(value: T): T => structuredClone(value);

/** How much a memory store keeps. */
export interface MemoryStoreOptions {
  /** The most recent runs it keeps, with their messages, sessions, requests and escalations (100). */
  maxRuns?: number;
  /**
   * Whose events it keeps: `'none'` (the default), `'all'` (those of every run it keeps), or a
   * number n: those of the runs in progress and of the n most recent finished runs. A run's
   * events are for its handle's stream while it runs and for a durable store afterwards:
   * holding them in memory as well keeps them alive long after anyone reads them, which in a
   * busy process is most of what its heap holds. `events()` of a run whose events it does not
   * keep gives `[]`; the run's record stays.
   */
  keepEvents?: 'none' | 'all' | number;
}

/**
 * A Store in memory: one process, nothing kept after it ends. It keeps the `maxRuns` most
 * recent runs with their messages, sessions, requests and escalations, and the events
 * `keepEvents` says.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const maxRuns = options.maxRuns ?? 100;
  const keepEvents = options.keepEvents ?? 'none';
  /** How many finished runs keep their events (-1: no run keeps any). */
  const maxEventRuns =
    keepEvents === 'none'
      ? -1
      : keepEvents === 'all'
        ? maxRuns
        : Math.min(Math.max(0, keepEvents), maxRuns);
  const runs = new Map<string, RunRecord>();
  const events = new Map<string, RunEvent[]>();
  const messages = new Map<string, MessageRecord>();
  const sessions = new Map<string, SessionRecord>();
  const requests = new Map<string, OpenRequestRecord>();
  const escalations = new Map<string, EscalationRecord>();
  /** Each run's lease: who holds it, until when. */
  const leases = new Map<string, { owner: string; until: number }>();
  /** Runs that have events but no run record, oldest first. */
  const unsaved: string[] = [];
  /** Finished runs whose events are kept, oldest first. */
  const finished: string[] = [];
  /** The keys each run has in the maps above, so that forgetting a run touches only its own. */
  const keysOf = new Map<string, { map: Map<string, unknown>; key: string }[]>();
  const remember = (runId: string, map: Map<string, unknown>, key: string) => {
    const keys = keysOf.get(runId);
    if (keys) keys.push({ map, key });
    else keysOf.set(runId, [{ map, key }]);
  };
  /** Drops the oldest run and everything of it. */
  const forget = (runId: string) => {
    runs.delete(runId);
    leases.delete(runId);
    events.delete(runId);
    for (const { map, key } of keysOf.get(runId) ?? []) map.delete(key);
    keysOf.delete(runId);
  };
  const appendEvent = (event: RunEvent) => {
    const list = events.get(event.runId);
    if (list) {
      list.push(event);
      return;
    }
    const run = runs.get(event.runId);
    // A finished run whose events went (its last events can arrive after its record is saved).
    if (run !== undefined && run.status !== 'running') return;
    events.set(event.runId, [event]);
    if (run !== undefined) return;
    // Events of a run the store does not hold (never saved, or forgotten while it still ran)
    // are kept for the most recent `maxRuns` such runs only.
    unsaved.push(event.runId);
    const oldest = unsaved.length > maxRuns ? unsaved.shift() : undefined;
    if (oldest !== undefined && !runs.has(oldest)) events.delete(oldest);
  };
  return {
    durable: false,
    async saveRun(run) {
      const previous = runs.get(run.runId);
      runs.set(run.runId, copy(run));
      if (!previous && runs.size > maxRuns) forget(runs.keys().next().value as string);
      if (run.status !== 'running' && !finished.includes(run.runId)) {
        finished.push(run.runId);
        if (finished.length > maxEventRuns) events.delete(finished.shift() as string);
      }
    },
    async claimRun(runId, owner, leaseUntil, now) {
      if (!runs.has(runId)) return false;
      const lease = leases.get(runId);
      if (lease && lease.owner !== owner && lease.until >= now) return false;
      leases.set(runId, { owner, until: leaseUntil });
      return true;
    },
    async getRun(runId) {
      const run = runs.get(runId);
      return run && copy(run);
    },
    async listRuns(limit) {
      return [...runs.values()]
        .sort((a, b) => b.startedAt - a.startedAt)
        .slice(0, limit)
        .map(copy);
    },
    async appendEvents(batch) {
      if (maxEventRuns < 0) return;
      for (const event of batch) appendEvent(event);
    },
    async events(runId) {
      return [...(events.get(runId) ?? [])];
    },
    async putMessage(message: A2AMessage) {
      if (messages.has(message.messageId)) return;
      messages.set(message.messageId, { message: copy(message), status: 'pending' });
      remember(message.contextId, messages, message.messageId);
    },
    async markHandled(messageId, at) {
      const record = messages.get(messageId);
      if (!record || record.status !== 'pending') return false;
      record.status = 'handled';
      record.settledAt = at;
      return true;
    },
    async getMessage(messageId) {
      const record = messages.get(messageId);
      return record && copy(record);
    },
    async pendingMessages(runId) {
      return [...messages.values()]
        .filter((record) => record.status === 'pending' && record.message.contextId === runId)
        .sort((a, b) => a.message.sentAt - b.message.sentAt)
        .map((record) => copy(record.message));
    },
    async saveSession(session) {
      const previous = sessions.get(session.sessionId);
      if (!previous) remember(session.runId, sessions, session.sessionId);
      const { messages: added = [], messagesFrom = 0, ...rest } = copy(session);
      // As the SQL store: each position given is written (replaced if there), the others stay.
      const messages = [...(previous?.messages ?? [])];
      added.forEach((message, index) => (messages[messagesFrom + index] = message));
      sessions.set(session.sessionId, messages.length > 0 ? { ...rest, messages } : rest);
    },
    async sessions(runId) {
      return [...sessions.values()].filter((session) => session.runId === runId).map(copy);
    },
    async saveRequest(request) {
      if (!requests.has(request.messageId)) remember(request.runId, requests, request.messageId);
      requests.set(request.messageId, copy(request));
    },
    async getRequest(messageId) {
      const request = requests.get(messageId);
      return request && copy(request);
    },
    async openRequests(runId) {
      return [...requests.values()]
        .filter(
          (request) =>
            (request.status === 'open' || request.status === 'escalated') &&
            (runId === undefined || request.runId === runId),
        )
        .sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity))
        .map(copy);
    },
    async saveEscalation(escalation) {
      if (!escalations.has(escalation.escalationId))
        remember(escalation.runId, escalations, escalation.escalationId);
      escalations.set(escalation.escalationId, copy(escalation));
    },
    async getEscalation(escalationId) {
      const escalation = escalations.get(escalationId);
      return escalation && copy(escalation);
    },
    async listEscalations(options) {
      return [...escalations.values()]
        .filter(
          (escalation) =>
            (options.open ? escalation.status === 'open' : true) &&
            (options.runId === undefined || escalation.runId === options.runId),
        )
        .sort((a, b) => a.firedAt - b.firedAt)
        .map(copy);
    },
    async answerEscalation(escalationId, answer, by, at) {
      const escalation = escalations.get(escalationId);
      if (!escalation || escalation.status !== 'open') return undefined;
      Object.assign(escalation, { status: 'answered', answer, answeredBy: by, answeredAt: at });
      return copy(escalation);
    },
    async close() {},
  };
}

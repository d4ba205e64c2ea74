import type { Fault } from './fault.js';

/** Which request is being answered, for matching faults. */
export interface FaultTarget {
  /** The agent found from the system prompt, if any. */
  agent: string | undefined;
  /** 1-based turn of the agent. */
  turn: number;
  /** 1-based number of the request in the server's log. */
  request: number;
}

interface Armed {
  fault: Fault;
  left: number;
}

/**
 * The faults still to play: the script's and the injected ones, each with the hits it has
 * left. The first armed fault that matches a request hits it and uses up one hit.
 */
export class FaultSchedule {
  #fromScript: Armed[] = [];
  #injected: Armed[] = [];

  /** Replaces the script's faults (re-armed from scratch); injected faults stay. */
  setScriptFaults(faults: readonly Fault[]): void {
    this.#fromScript = faults.map(arm);
  }

  /** Adds a fault, checked after the ones injected before it and before the script's. */
  inject(fault: Fault): void {
    this.#injected.push(arm(fault));
  }

  /** The fault that hits this request, if any, using up one of its hits. */
  take(target: FaultTarget): Fault | undefined {
    for (const armed of [...this.#injected, ...this.#fromScript]) {
      if (armed.left <= 0 || !matches(armed.fault, target)) continue;
      armed.left -= 1;
      return armed.fault;
    }
    return undefined;
  }
}

function arm(fault: Fault): Armed {
  const times = fault.times ?? 1;
  return { fault, left: times === 'always' ? Number.POSITIVE_INFINITY : times };
}

function matches(fault: Fault, target: FaultTarget): boolean {
  return (
    (fault.agent === undefined || fault.agent === target.agent) &&
    (fault.turn === undefined || fault.turn === target.turn) &&
    (fault.request === undefined || fault.request === target.request)
  );
}

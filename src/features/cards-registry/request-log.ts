import { Agent, type Dispatcher } from "undici";

/**
 * Counts the Tallyfy requests the live-card work makes, per organization, over the last
 * minute: the reconcile loop spends its per-organization budget against what was really sent
 * (run reads, and the user and tag lookups a card needs), not against an estimate.
 */
export interface RequestLog {
  /** A dispatcher for the Tallyfy client of the live-card work; every request is counted. */
  dispatcher: Dispatcher;
  /** Requests to `orgId` in the minute before now. */
  lastMinute(orgId: string): number;
  close(): Promise<void>;
}

const WINDOW_MS = 60_000;
const ORG = /\/organizations\/([^/?]+)/;

export function createRequestLog(now: () => Date): RequestLog {
  const sent = new Map<string, number[]>();
  const prune = (list: number[], at: number) => {
    while (list.length > 0 && (list[0] ?? 0) <= at - WINDOW_MS) list.shift();
  };
  const agent = new Agent({ keepAliveTimeout: 4_000, connections: 8 });
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    const org = ORG.exec(String(options.path))?.[1];
    if (org) {
      const at = now().getTime();
      const list = sent.get(org) ?? [];
      prune(list, at);
      list.push(at);
      sent.set(org, list);
    }
    return dispatch(options, handler);
  });
  return {
    dispatcher,
    lastMinute(orgId) {
      const list = sent.get(orgId);
      if (!list) return 0;
      prune(list, now().getTime());
      if (list.length === 0) sent.delete(orgId);
      return list.length;
    },
    close: () => agent.close(),
  };
}

/**
 * Whose work a Tallyfy call is part of, so a shutdown can tell work that sent Tallyfy nothing
 * yet (still waiting for its organization's budget: let it go, "run it again") from work
 * whose reads or changes are out. The bot supplies it (Tallyfy.useWorkScope: the work queue,
 * the live-card engine); the SDK only reports to it.
 */
import { untilAborted } from "./cache.ts";

export interface WorkScope {
  /** Aborts once the work has been let go: its calls stop waiting and send nothing more. */
  readonly signal: AbortSignal;
  /** A Tallyfy call of this work started (true) or stopped (false) waiting for the budget. */
  held(waiting: boolean): void;
  /** A request for this work is about to go out. */
  sending(): void;
  /**
   * A change (any request but a GET) for this work is about to go out: throws, and it is not
   * sent, once the work has been told it was cut off with nothing changed.
   */
  writing?(): void;
  /** Tallyfy refused that request with a 429: nothing was read or changed by it. */
  refused(): void;
  /** A request of this work went out already: its next calls finish work under way. */
  inHand(): boolean;
}

/** `signal` and the scope's, as one. */
export function withScopeSignal(
  signal: AbortSignal | undefined,
  scope: WorkScope | undefined,
): AbortSignal | undefined {
  if (!scope) return signal;
  return signal ? AbortSignal.any([signal, scope.signal]) : scope.signal;
}

interface Caller {
  scope: WorkScope | undefined;
  /** This caller has been told the shared request is out. */
  out: boolean;
  /** This caller has been told the shared request is waiting for the budget. */
  waiting: boolean;
}

/** One caller of a shared call: its own signal, work, and "pacing us" note. */
export interface Joiner {
  signal?: AbortSignal | undefined;
  scope?: WorkScope | undefined;
  onPaced?: (() => void) | undefined;
}

/**
 * One request shared by several callers (identical reads in flight). What it sends is each
 * caller's: every attached scope hears `sending`/`refused`. Each caller stops waiting on its
 * own signal or scope; the request itself is stopped only once every caller has left before
 * it was answered, and `onStopped` runs then so no new caller joins it.
 */
export class SharedCall<T> {
  readonly promise: Promise<T>;
  readonly #stop = new AbortController();
  readonly #callers = new Set<Caller>();
  readonly #onStopped: () => void;
  readonly #paced = new Set<() => void>();
  #out = false;
  #waiting = false;
  #settled = false;
  #wasPaced = false;

  /** `send` gets the group's scope, and `paced` to tell every caller's `onPaced` (once each). */
  constructor(
    send: (scope: WorkScope, paced: () => void) => Promise<T>,
    onStopped: () => void = () => {},
  ) {
    this.#onStopped = onStopped;
    const paced = () => {
      this.#wasPaced = true;
      const notes = [...this.#paced];
      this.#paced.clear();
      for (const note of notes) note();
    };
    const scope: WorkScope = {
      signal: this.#stop.signal,
      held: (waiting) => {
        this.#waiting = waiting;
        for (const c of this.#callers) this.#tellWaiting(c, waiting);
      },
      sending: () => {
        this.#out = true;
        for (const c of this.#callers) this.#tellOut(c);
      },
      refused: () => {
        this.#out = false;
        for (const c of this.#callers) {
          if (!c.out) continue;
          c.out = false;
          c.scope?.refused();
        }
      },
      inHand: () => [...this.#callers].some((c) => c.scope?.inHand() === true),
    };
    this.promise = Promise.resolve().then(() => send(scope, paced));
    const settled = () => {
      this.#settled = true;
    };
    this.promise.then(settled, settled);
  }

  /** Every caller left before the answer: the request was stopped. */
  get stopped(): boolean {
    return this.#stop.signal.aborted;
  }

  /** The shared answer as one caller sees it. */
  async join({ signal, scope, onPaced }: Joiner): Promise<T> {
    if (onPaced) {
      if (this.#wasPaced) onPaced();
      else this.#paced.add(onPaced);
    }
    const caller: Caller = { scope, out: false, waiting: false };
    this.#callers.add(caller);
    try {
      // Already out: this caller's work has a read out too.
      if (this.#out) this.#tellOut(caller);
      if (this.#waiting) this.#tellWaiting(caller, true);
      return await untilAborted(this.promise, withScopeSignal(signal, scope));
    } finally {
      this.#callers.delete(caller);
      this.#tellWaiting(caller, false);
      if (this.#callers.size === 0 && !this.#settled && !this.stopped) {
        this.#stop.abort(signal?.reason ?? scope?.signal.reason);
        this.#onStopped();
      }
    }
  }

  #tellWaiting(c: Caller, waiting: boolean): void {
    if (c.waiting === waiting) return;
    c.waiting = waiting;
    c.scope?.held(waiting);
  }

  #tellOut(c: Caller): void {
    if (c.out) return;
    c.out = true;
    c.scope?.sending();
  }
}

/**
 * Identical calls in flight, shared by key: a caller joins the call under way, or starts one.
 * A call for another `tag` (another response schema) is sent apart and not shared.
 */
export class SharedCalls {
  readonly #calls = new Map<string, { tag: unknown; call: SharedCall<unknown> }>();

  join<T>(
    key: string,
    tag: unknown,
    send: (scope: WorkScope, paced: () => void) => Promise<T>,
    joiner: Joiner,
    onStopped: () => void = () => {},
  ): Promise<T> {
    const entry = this.#calls.get(key);
    if (entry && entry.tag === tag && !entry.call.stopped) {
      return (entry.call as SharedCall<T>).join(joiner);
    }
    // Called only once the call is under way, when `fresh` exists.
    const forget = () => {
      if (this.#calls.get(key) === fresh) this.#calls.delete(key);
    };
    const call = new SharedCall(send, () => {
      forget();
      onStopped();
    });
    const fresh = { tag, call };
    call.promise.then(forget, forget);
    if (!entry || entry.call.stopped) this.#calls.set(key, fresh);
    return call.join(joiner);
  }
}

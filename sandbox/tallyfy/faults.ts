/** Injected failures: each applies to the next `times` matching requests. */

export interface SandboxFault {
  /** Default: any method. */
  method?: string;
  /** Matched against the path after the /api prefix, without query; a string matches exactly. */
  path: string | RegExp;
  /** Answer with this status (body: `body` or a Tallyfy-shaped error). */
  status?: number;
  body?: unknown;
  /** e.g. { "Retry-After": "1" }; 429 gets Retry-After: 1 unless given. */
  headers?: Record<string, string>;
  /** Wait before answering / dropping. */
  latencyMs?: number;
  /** 200 with content-type JSON but a body that is not JSON. */
  malformed?: boolean;
  /** Destroy the socket without any response (connection reset). */
  drop?: boolean;
  /**
   * Do what the request asks first, then answer with the fault (`drop` or `status`): a launch
   * or update that went through though the caller saw a reset or a 504.
   */
  afterApply?: boolean;
  /** How many matching requests it applies to; default 1; Infinity = always. */
  times?: number;
}

interface Armed {
  fault: SandboxFault;
  remaining: number;
}

export class FaultList {
  #armed: Armed[] = [];

  add(fault: SandboxFault): void {
    const remaining = fault.times ?? 1;
    if (remaining > 0) this.#armed.push({ fault, remaining });
  }

  clear(): void {
    this.#armed = [];
  }

  /** The first armed fault matching the request, used up by one; undefined when none. */
  take(method: string, path: string): SandboxFault | undefined {
    const hit = this.#armed.find((a) => matches(a.fault, method, path));
    if (!hit) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.#armed = this.#armed.filter((a) => a !== hit);
    return hit.fault;
  }
}

function matches(f: SandboxFault, method: string, path: string): boolean {
  if (f.method && f.method.toUpperCase() !== method) return false;
  if (typeof f.path === "string") return f.path === path;
  f.path.lastIndex = 0; // a /g or /y RegExp keeps state between test() calls
  return f.path.test(path);
}

/** The fault's headers, with Retry-After defaulted on 429. */
export function faultHeaders(f: SandboxFault): Record<string, string> {
  const headers = { ...(f.headers ?? {}) };
  const hasRetryAfter = Object.keys(headers).some((k) => k.toLowerCase() === "retry-after");
  if (f.status === 429 && !hasRetryAfter) headers["Retry-After"] = "1";
  return headers;
}

/**
 * The Tallyfy service layer's public shape. Callers (Slack listeners) see only these
 * interfaces and the error family in errors.ts; never raw HTTP.
 */

import type { Dispatcher } from "undici";
import type { Priority } from "./pacing.ts";
import type {
  Organization,
  Page,
  Run,
  Tag,
  TallyfyUser,
  Template,
  TemplateSummary,
} from "./schemas.ts";
import type { TasksService } from "./tasks.ts";
import type { WorkScope } from "./work-scope.ts";

/** Timeout and retry budget for one logical call, retries included. */
export interface CallPolicy {
  /** Per-attempt timeout (headers and body). */
  attemptTimeoutMs: number;
  /** Total time the call may take, all attempts and waits included. */
  budgetMs: number;
  /** Most retries after the first attempt. */
  maxRetries: number;
  /**
   * How long the call may wait for its organization's rate-limit budget (pacing.ts), on top of
   * `budgetMs`. Unset: waiting counts against `budgetMs` like everything else.
   */
  paceWaitMs?: number;
}

/** Inside a Slack interaction: everything must fit well inside 3 s. */
export const INTERACTIVE: CallPolicy = { attemptTimeoutMs: 2_200, budgetMs: 2_500, maxRetries: 2 };
/** After the ack (respond/views.update): more patience, still bounded. */
/** At 100 requests a minute, five minutes of pacing drains a burst of ~500 commands. */
export const BACKGROUND: CallPolicy = {
  attemptTimeoutMs: 10_000,
  budgetMs: 30_000,
  maxRetries: 4,
  paceWaitMs: 300_000,
};

export interface CallOptions {
  policy?: CallPolicy;
  signal?: AbortSignal;
  /**
   * Who waits for the answer: a person ("interactive", the default: commands, clicks, modals)
   * or nobody in particular ("background": webhook fan-out, reconcile, Home refresh). When the
   * organization's budget is short, interactive calls start first.
   */
  priority?: Priority;
  /** Called once if the call has waited for the organization's budget past the client's notice time. */
  onPaced?: () => void;
  /** Tallyfy's clock when it answered (its Date header), for a successful call. */
  onAnswerDate?: (epochMs: number) => void;
  /**
   * The work this call is part of. Default: what `Tallyfy.useWorkScope` finds in the caller's
   * async context; null: none (a load shared by several callers reports to them itself).
   */
  scope?: WorkScope | null;
}

/** Whose rights a call uses: a personal access token and the organization to act in. */
export interface TallyfyConnection {
  token: string;
  orgId: string;
}

export type RunStatus = "active" | "problem" | "delayed" | "complete" | "archived";

export interface RunFilter {
  q?: string;
  status?: RunStatus | string;
  /** Owner user ids. */
  owners?: number[];
  checklistId?: string;
  folder?: string;
  tag?: string;
  starred?: boolean;
  type?: string;
  groups?: string[];
  taskStatus?: string;
  with?: string[];
  page?: number;
  perPage?: number;
  /** e.g. "name", "-created_at". */
  sort?: string;
}

export interface LaunchInput {
  checklistId: string;
  name: string;
  summary?: string;
  ownerId?: number;
  /** Kick-off values keyed by field id, already encoded by the codec. */
  prerun?: Record<string, unknown>;
  tags?: string[];
  users?: number[];
  groups?: string[];
  folders?: string[];
  isPublic?: boolean;
  parentId?: string;
  tasks?: Record<string, unknown>;
}

/** What a caller wants changed. Absent keys are left alone. */
export interface RunChanges {
  name?: string;
  summary?: string;
  ownerId?: number;
  tags?: string[];
  folders?: string[];
  /** Only the kick-off fields that changed, keyed by field id, encoded by the codec. */
  prerun?: Record<string, unknown>;
  preventGuestComment?: boolean;
  isPublic?: boolean;
  starred?: boolean;
  users?: number[];
  groups?: string[];
}

export interface UpdateOptions extends CallOptions {
  /**
   * The run as the caller last saw it. Its users/groups are re-sent (so the PUT does not
   * strip members) and unchanged fields are dropped. Without it the service reads the run first.
   */
  current?: Run;
}

export interface TemplatesService {
  search(
    q: string,
    paging?: { page?: number; perPage?: number },
    opts?: CallOptions,
  ): Promise<Page<TemplateSummary>>;
  get(id: string, opts?: CallOptions): Promise<Template>;
  /**
   * Refreshes the connection's template title index (template-index.ts) when it is missing or
   * older than the cache TTL: the unfiltered list, 100 a page, at most 3 pages. Resolves when
   * that refresh ends; never rejects (a failure is logged).
   */
  warmIndex(opts?: CallOptions): Promise<void>;
  /**
   * By the connection's index alone (no request): the id of the one live template titled `words`
   * (trimmed, case-insensitive). Undefined when the index is missing, older than 10 minutes,
   * incomplete, or has none or several such templates. Verify the template it names.
   */
  indexedMatch(words: string): string | undefined;
}

export interface RunsService {
  launch(input: LaunchInput, opts?: CallOptions): Promise<Run>;
  list(filter?: RunFilter, opts?: CallOptions): Promise<Page<Run>>;
  get(id: string, opts?: CallOptions & { with?: string[] }): Promise<Run>;
  update(id: string, changes: RunChanges, opts?: UpdateOptions): Promise<Run>;
  archive(id: string, opts?: CallOptions): Promise<Run>;
  activate(id: string, opts?: CallOptions): Promise<Run>;
}

export interface UsersService {
  list(opts?: CallOptions): Promise<TallyfyUser[]>;
  /** Case-insensitive; undefined when no Tallyfy user has that email. */
  findByEmail(email: string, opts?: CallOptions): Promise<TallyfyUser | undefined>;
  get(id: number, opts?: CallOptions): Promise<TallyfyUser | undefined>;
}

export interface TagsService {
  search(q?: string, opts?: CallOptions): Promise<Tag[]>;
}

/** Everything one connection can do. */
export interface TallyfyApi {
  readonly orgId: string;
  templates: TemplatesService;
  runs: RunsService;
  users: UsersService;
  tags: TagsService;
  tasks: TasksService;
}

export interface MeService {
  me(token: string, opts?: CallOptions): Promise<TallyfyUser>;
  organizations(token: string, opts?: CallOptions): Promise<Organization[]>;
}

export interface SharingBudgetOptions {
  /** Where its requests go (e.g. a counting dispatcher). Default: its own connection pool. */
  dispatcher?: Dispatcher;
  priority?: Priority;
}

export interface Tallyfy {
  /** Cheap; share caches across calls but never across tokens. */
  forConnection(conn: TallyfyConnection): TallyfyApi;
  me: MeService;
  /** Forgets every organization's learned rate-limit budget and blocks (tests reset Tallyfy). */
  resetPacing(): void;
  /**
   * Where calls find the work they are part of (work-scope.ts), evaluated in the caller's async
   * context: the bot's work queue, so a shutdown can let go of work that has sent nothing.
   */
  useWorkScope(scope: () => WorkScope | undefined): void;
  /**
   * Another Tallyfy keeping to this one's per-organization budgets (one pacer), with its own
   * connections and caches, whose calls default to `priority` (the live-card work: background).
   */
  sharingBudget(opts: SharingBudgetOptions): Tallyfy;
  close(): Promise<void>;
}

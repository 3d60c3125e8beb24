/**
 * The body of a run update. Tallyfy's PUT strips every member and group it isn't sent, so the
 * body always carries users and groups; everything else goes only when it really changes.
 */
import type { LaunchInput, RunChanges, RunFilter } from "./api.ts";
import type { Run } from "./schemas.ts";

/** The PUT body for `changes` against `current`, or undefined when nothing would change. */
export function updateBody(current: Run, changes: RunChanges): Record<string, unknown> | undefined {
  const body: Record<string, unknown> = {};
  if (changes.name !== undefined && changes.name !== current.name) body.name = changes.name;
  if (changes.summary !== undefined && changes.summary !== (current.summary ?? "")) {
    body.summary = changes.summary;
  }
  if (changes.ownerId !== undefined && changes.ownerId !== current.owner_id) {
    body.owner_id = changes.ownerId;
  }
  const prerun = changedPrerun(current.prerun, changes.prerun);
  if (prerun) body.prerun = prerun;
  if (differs(changes.preventGuestComment, current.prevent_guest_comment)) {
    body.prevent_guest_comment = changes.preventGuestComment;
  }
  if (differs(changes.isPublic, current.is_public)) body.is_public = changes.isPublic;
  if (differs(changes.starred, current.starred)) body.starred = changes.starred;
  const currentTags = current.tags.map((t) => t.id);
  if (changes.tags && !sameSet(changes.tags, currentTags)) body.tags = changes.tags;
  if (changes.folders && !(current.folders && sameSet(changes.folders, current.folders))) {
    body.folders = changes.folders;
  }
  const usersChanged = changes.users !== undefined && !sameSet(changes.users, current.users);
  const groupsChanged = changes.groups !== undefined && !sameSet(changes.groups, current.groups);
  if (Object.keys(body).length === 0 && !usersChanged && !groupsChanged) return undefined;
  body.users = usersChanged ? changes.users : current.users;
  body.groups = groupsChanged ? changes.groups : current.groups;
  return body;
}

/** A boolean the caller set that differs from what the run has (or what we can't see). */
function differs(wanted: boolean | undefined, current: boolean | undefined): boolean {
  return wanted !== undefined && wanted !== current;
}

function changedPrerun(
  current: Record<string, unknown>,
  wanted: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!wanted) return undefined;
  assertObject(wanted);
  const out: Record<string, unknown> = {};
  for (const [fieldId, value] of Object.entries(wanted)) {
    if (value !== undefined && !stableEqual(value, current[fieldId])) out[fieldId] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/**
 * Deep equality that ignores key order and treats null, undefined and a missing key alike, so
 * Tallyfy's stored `{id, text, value: null}` equals the codec's `{id, text}`.
 */
export function stableEqual(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** A value as one string, the same for values stableEqual calls equal. */
export function canonical(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function sameSet(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  const left = new Set(a.map(String));
  const right = new Set(b.map(String));
  return left.size === right.size && [...left].every((x) => right.has(x));
}

/** prerun must reach Tallyfy as an object keyed by field id: an array's values are dropped. */
function assertObject(prerun: unknown): void {
  if (typeof prerun !== "object" || prerun === null || Array.isArray(prerun)) {
    throw new TypeError("prerun must be an object keyed by kick-off field id");
  }
}

/** The launch body in Tallyfy's names; undefined keys left out, prerun always an object. */
export function launchBody(input: LaunchInput): Record<string, unknown> {
  const prerun = input.prerun ?? {};
  assertObject(prerun);
  return omitUndefined({
    checklist_id: input.checklistId,
    name: input.name,
    summary: input.summary,
    owner_id: input.ownerId,
    is_public: input.isPublic,
    parent_id: input.parentId,
    prerun,
    tasks: input.tasks,
    tags: input.tags,
    users: input.users,
    groups: input.groups,
    folders: input.folders,
  });
}

/** RunFilter in Tallyfy's query names. Archived runs need `archived=only` as well. */
export function listQuery(
  filter: RunFilter,
): Record<string, string | number | boolean | undefined> {
  const join = (v: readonly (string | number)[] | undefined) =>
    v?.length ? v.join(",") : undefined;
  return omitUndefined({
    q: filter.q?.trim() || undefined,
    status: filter.status,
    archived: filter.status === "archived" ? "only" : undefined,
    owners: join(filter.owners),
    checklist_id: filter.checklistId,
    folder: filter.folder,
    tag: filter.tag,
    starred: filter.starred,
    type: filter.type,
    groups: join(filter.groups),
    task_status: filter.taskStatus,
    with: join(filter.with),
    page: filter.page,
    per_page: filter.perPage,
    sort: filter.sort,
  });
}

function omitUndefined<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

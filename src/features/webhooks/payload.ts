/**
 * What a Tallyfy webhook says, told apart by shape (Tallyfy sends no event field): `this_task`
 * present means a task was completed; otherwise a process payload, completed when
 * `completed_at` is set or its status says so, else launched. Only ids and the de-duplication
 * facts are taken from it: what cards show is always read again from Tallyfy.
 */
import { z } from "zod";

const ID = /^[0-9a-f]{32}$/;
const id = z.union([z.string(), z.number().transform(String)]).pipe(z.string().regex(ID));
const optionalText = z
  .union([z.string(), z.number().transform(String)])
  .nullish()
  .catch(null);
/** Tallyfy sends `[]` for an empty object (PHP), and `next_task` as `[]` or `{}` when done. */
const optionalTask = z
  .union([
    z.looseObject({ id: id, owners: z.unknown().optional() }),
    z.array(z.unknown()),
    z.object({}),
  ])
  .nullish()
  .catch(null)
  .transform((v) => (v && !Array.isArray(v) && "id" in v ? (v as { id: string }) : undefined));

const taskPayload = z.looseObject({
  this_task: z.looseObject({
    id: id,
    completed_at: optionalText,
    status: optionalText,
  }),
  process: z.looseObject({ id: id, organization_id: optionalText, status: optionalText }),
  next_task: optionalTask,
  template: z.looseObject({ id: id }).nullish().catch(null),
});

const processPayload = z.looseObject({
  id: id,
  checklist_id: id.nullish().catch(null),
  status: optionalText,
  completed_at: optionalText,
});

export type WebhookEvent =
  | {
      kind: "task_completed";
      runId: string;
      taskId: string;
      completedAt: string;
      nextTaskId: string | undefined;
    }
  | { kind: "process_launched"; runId: string; templateId: string | undefined }
  | { kind: "process_completed"; runId: string; completedAt: string; status: string };

export type ReadResult = { ok: true; event: WebhookEvent } | { ok: false; problem: string };

/** The event a body describes, or which part of its shape was wrong (never its values). */
export function readWebhook(body: unknown): ReadResult {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, problem: "the body is not a JSON object" };
  }
  if ("this_task" in body) {
    const p = taskPayload.safeParse(body);
    if (!p.success) return { ok: false, problem: `task payload: ${where(p.error)}` };
    const t = p.data.this_task;
    return {
      ok: true,
      event: {
        kind: "task_completed",
        runId: p.data.process.id,
        taskId: t.id,
        completedAt: normalizeDate(t.completed_at) ?? "",
        nextTaskId: p.data.next_task?.id,
      },
    };
  }
  const p = processPayload.safeParse(body);
  if (!p.success) return { ok: false, problem: `process payload: ${where(p.error)}` };
  const completedAt = normalizeDate(p.data.completed_at);
  const status = (p.data.status ?? "").toLowerCase();
  if (completedAt || status.startsWith("complete")) {
    return {
      ok: true,
      event: {
        kind: "process_completed",
        runId: p.data.id,
        completedAt: completedAt ?? "",
        status,
      },
    };
  }
  return {
    ok: true,
    event: {
      kind: "process_launched",
      runId: p.data.id,
      templateId: p.data.checklist_id ?? undefined,
    },
  };
}

/** The same delivery twice has the same key (Tallyfy's own advice: task id + completed_at). */
export function dedupKey(orgId: string, e: WebhookEvent): string {
  switch (e.kind) {
    case "task_completed":
      return `wh:${orgId}:task:${e.taskId}:${e.completedAt}`;
    case "process_completed":
      return `wh:${orgId}:run:${e.runId}:complete:${e.completedAt}`;
    case "process_launched":
      return `wh:${orgId}:run:${e.runId}:launched`;
  }
}

function where(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "(root)"} ${issue.code}` : "unreadable";
}

const ORG_FORMAT =
  /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])(?:\s+(\S+))?$/;
const ZONES: Record<string, number> = { UTC: 0, GMT: 0, Z: 0 };

/**
 * A Tallyfy date as ISO 8601 (UTC) when it can be read: ISO (the default) or the org setting's
 * `d/m/Y h:i A T`. A zone abbreviation other than UTC/GMT or an offset is kept as written, so
 * the same delivery still gives the same key. Blank gives undefined.
 */
export function normalizeDate(value: string | null | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const m = ORG_FORMAT.exec(text);
  if (m) {
    const [, d, mo, y, h, mi, s, ampm, zone] = m;
    let hour = Number(h) % 12;
    if (ampm?.toLowerCase() === "pm") hour += 12;
    const offset = zoneOffsetMinutes(zone);
    if (offset === undefined) return text;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), hour, Number(mi), Number(s ?? 0));
    return new Date(ms - offset * 60_000).toISOString();
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (!zone) return 0;
  const known = ZONES[zone.toUpperCase()];
  if (known !== undefined) return known;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/i.exec(zone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === "-" ? -minutes : minutes;
}

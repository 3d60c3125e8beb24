/** Runs for the renderer tests, built through runSchema so they have the service's real shape. */
import { type Page, type Run, runSchema } from "../../src/tallyfy/schemas.ts";

export const HOSTILE = "<!channel> <https://x|y> & <@U999> R&D";

export function makeRun(raw: Record<string, unknown> = {}): Run {
  return runSchema.parse({
    id: "3f2a9c0de1b24c6f8a7e5d4c3b2a1f00",
    increment_id: 42,
    name: "Onboarding – Jane Doe",
    summary: "New starter in the Leeds office.",
    status: "active",
    checklist_id: "tpl1",
    checklist_title: "Employee onboarding",
    progress: { complete: 3, total: 8, percent: 38 },
    owner_id: 7,
    started_by: 8,
    due_date: "2026-12-01T17:00:00.000Z",
    due_date_passed: false,
    created_at: "2026-11-02T09:30:00.000Z",
    last_updated: "2026-11-20T10:00:00.000Z",
    tags: { data: [{ id: "t1", title: "hr", color: "#fff" }] },
    next_task: { data: [{ id: "k1", title: "Order laptop", deadline: "2026-11-25T12:00:00Z" }] },
    ...raw,
  });
}

/** Only what the service must send; every optional field null. */
export function bareRun(raw: Record<string, unknown> = {}): Run {
  return runSchema.parse({
    id: "r1",
    name: "Bare",
    status: "active",
    increment_id: null,
    summary: null,
    checklist_id: null,
    checklist_title: null,
    progress: null,
    owner_id: null,
    started_by: null,
    users: null,
    groups: null,
    prerun: [],
    due_date: null,
    due_date_passed: null,
    late_tasks: null,
    created_at: null,
    last_updated: null,
    completed_at: null,
    archived_at: null,
    tags: null,
    next_task: null,
    ...raw,
  });
}

export function makePage(
  items: Run[],
  p: { total: number; perPage: number; currentPage: number },
): Page<Run> {
  const totalPages = Math.max(1, Math.ceil(p.total / p.perPage));
  return {
    items,
    pagination: {
      total: p.total,
      count: items.length,
      perPage: p.perPage,
      currentPage: p.currentPage,
      totalPages,
      hasNext: p.currentPage < totalPages,
    },
  };
}

/** A deterministic generator, so a failing random case can be replayed. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  "<!channel>",
  "<https://x|y>",
  "&",
  "&amp;",
  ">",
  "<",
  "*",
  "`",
  "|",
  "😀",
  "\n",
  "\t",
  " ",
  "a",
  "Zürich",
  "\u0000",
  "👩‍👩‍👧",
];

/** Hostile text of roughly `len` characters. */
export function junk(rand: () => number, len: number): string {
  let out = "";
  while (out.length < len) out += PIECES[Math.floor(rand() * PIECES.length)];
  return out;
}

/**
 * The sandbox's seed: two organizations, seven users with their own tokens, groups, tags,
 * 19 templates, 36 runs and their tasks, plus one-off tasks for every user. Ids are stable (see SEED); dates are relative to `now`, so due
 * dates are past or future whenever the sandbox starts.
 */
import { hexId, SEED } from "./seed-ids.ts";
import { buildRuns } from "./seed-runs.ts";
import { buildOneOffTasks, seedStepTasks } from "./seed-tasks.ts";
import { buildTemplates } from "./seed-templates.ts";
import type { SandboxGroup, SandboxState, SandboxTag, SandboxUser } from "./types.ts";

export { hexId, SEED, type SeedUser } from "./seed-ids.ts";
export { DEPARTMENTS, SYSTEMS, WORK_LOCATIONS } from "./seed-onboarding.ts";
export { type OneOffKind, SEED_TASKS } from "./seed-tasks.ts";
export { IT_CATEGORIES } from "./seed-templates.ts";

const ACME = SEED.orgId;
const LABS = SEED.secondOrg.id;
const U = SEED.users;

const TAGS: [keyof typeof SEED.tags, string, string][] = [
  ["urgent", "Urgent", "#e11d48"],
  ["onboarding", "Onboarding", "#2563eb"],
  ["customer", "Customer", "#16a34a"],
  ["finance", "Finance", "#ca8a04"],
  ["it", "IT", "#7c3aed"],
  ["legal", "Legal", "#475569"],
  ["q3", "Q3", "#0891b2"],
  ["vip", "VIP", "#db2777"],
  ["compliance", "Compliance", "#65a30d"],
  ["hiring", "Hiring", "#ea580c"],
];

function users(): SandboxUser[] {
  const both = [ACME, LABS];
  return Object.values(U).map((u) => ({
    id: u.id,
    email: u.email,
    first_name: u.first_name,
    last_name: u.last_name,
    timezone: u.timezone,
    role: u.role,
    token: u.token,
    orgIds: u.id === U.admin.id ? both : u.id === U.zoe.id ? [LABS] : [ACME],
  }));
}

function groups(): SandboxGroup[] {
  const G = SEED.groups;
  return [
    { id: G.it, orgId: ACME, name: "IT", members: [U.admin.id, U.erin.id] },
    { id: G.peopleOps, orgId: ACME, name: "People Ops", members: [U.admin.id, U.carol.id] },
    { id: G.finance, orgId: ACME, name: "Finance", members: [U.frank.id, U.bob.id] },
    { id: G.labTechs, orgId: LABS, name: "Lab technicians", members: [U.zoe.id] },
  ];
}

function tags(): SandboxTag[] {
  const acme = TAGS.map(([key, title, color]) => ({
    id: SEED.tags[key],
    orgId: ACME,
    title,
    color,
  }));
  return [...acme, { id: SEED.tags.labSafety, orgId: LABS, title: "Lab safety", color: "#0d9488" }];
}

/** A fresh copy of the seed; nothing is shared between calls. */
export function createSeedState(now: number = Date.now()): SandboxState {
  const templates = buildTemplates(now);
  const runs = buildRuns(templates, now);
  seedStepTasks(templates, runs);
  return {
    organizations: [
      { id: ACME, name: SEED.org.name },
      { id: LABS, name: SEED.secondOrg.name },
    ],
    users: users(),
    groups: groups(),
    tags: tags(),
    templates,
    runs: new Map(runs.map((r) => [r.id, r])),
    nextIncrementId: Math.max(...runs.map((r) => r.increment_id)) + 1,
    oneOffTasks: buildOneOffTasks(now),
    completionLog: [],
  };
}

/** Unused ids stay stable too: handy for "unknown id" tests. */
export const UNKNOWN_ID = hexId("unknown");

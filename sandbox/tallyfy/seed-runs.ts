/** The seeded runs: 34 in Acme Operations across every status, 2 in Acme Labs. */
import { daysFrom, isoAt, templateId } from "./seed-builders.ts";
import { hexId, SEED } from "./seed-ids.ts";
import { DEPARTMENTS, SYSTEMS } from "./seed-onboarding.ts";
import type { RunStatus, SandboxRun, SandboxTask, SandboxTemplate } from "./types.ts";

const DAY_MS = 86_400_000;
const { admin, bob, carol, erin, frank, grace, zoe } = SEED.users;
const A = admin.id;
const B = bob.id;
const C = carol.id;
const E = erin.id;
const F = frank.id;
const G = grace.id;
const T = SEED.tags;
const GR = SEED.groups;
const OF = SEED.onboardingFields;

interface RunSpec {
  key: string;
  id?: string;
  template: string;
  name: string;
  status: RunStatus;
  /** For archived runs: the status `activate` restores. */
  previous?: RunStatus;
  owner: number;
  users?: number[];
  groups?: string[];
  tags?: string[];
  createdDaysAgo: number;
  dueInDays: number | null;
  /** Completed tasks; complete runs complete them all. */
  done?: number;
  archivedDaysAgo?: number;
  summary?: string;
  starred?: boolean;
  progressAsNumber?: boolean;
  prerun?: (now: number) => Record<string, unknown>;
}

interface Hire {
  name: string;
  location: "Office" | "Remote" | "Hybrid";
  department: (typeof DEPARTMENTS)[number];
  systems: (typeof SYSTEMS)[number][];
  startInDays: number;
  email: string;
  notes?: string;
  buddy?: number;
}

function dateOnly(now: number, days: number): string {
  return `${daysFrom(now, days).slice(0, 10)}T00:00:00.000Z`;
}

function hire(h: Hire): (now: number) => Record<string, unknown> {
  return (now) => {
    const values: Record<string, unknown> = {
      [OF.fullName]: h.name,
      [OF.workLocation]: h.location,
      [OF.department]: {
        id: 11 + DEPARTMENTS.indexOf(h.department),
        text: h.department,
        value: null,
      },
      [OF.systems]: h.systems.map((s) => ({
        id: 21 + SYSTEMS.indexOf(s),
        text: s,
        value: null,
        selected: true,
      })),
      [OF.startDate]: dateOnly(now, h.startInDays),
      [OF.personalEmail]: h.email,
    };
    if (h.notes) values[OF.notes] = h.notes;
    if (h.buddy) values[OF.buddy] = { users: [h.buddy], guests: [], groups: [] };
    return values;
  };
}

const ACME_RUNS: RunSpec[] = [
  // active
  {
    key: "onboarding-maria",
    id: SEED.runs.active,
    template: "onboarding",
    name: "Onboarding – Maria Garcia",
    summary: "Senior backend engineer joining the payments team.",
    status: "active",
    owner: A,
    users: [A, B],
    groups: [GR.peopleOps],
    tags: [T.onboarding, T.hiring],
    createdDaysAgo: 6,
    dueInDays: 18,
    done: 3,
    starred: true,
    prerun: hire({
      name: "Maria Garcia",
      location: "Hybrid",
      department: "Engineering",
      systems: ["Email", "Slack", "GitHub", "VPN"],
      startInDays: 4,
      email: "maria.garcia@example.com",
      notes: "Prefers a standing desk. Pronounced ma-REE-ah.",
      buddy: B,
    }),
  },
  {
    key: "client-globex",
    id: SEED.runs.progressAsNumber,
    template: "clientOnboarding",
    name: "Client onboarding – Globex Corp",
    status: "active",
    owner: B,
    users: [B, C],
    tags: [T.customer, T.vip],
    createdDaysAgo: 10,
    dueInDays: 20,
    done: 2,
    progressAsNumber: true,
  },
  {
    key: "onboarding-liam",
    template: "onboarding",
    name: "Onboarding – Liam O'Brien",
    status: "active",
    owner: C,
    users: [C],
    tags: [T.onboarding],
    createdDaysAgo: 3,
    dueInDays: 25,
    done: 1,
    prerun: hire({
      name: "Liam O'Brien",
      location: "Remote",
      department: "Sales",
      systems: ["Email", "Slack", "Salesforce"],
      startInDays: 11,
      email: "liam.obrien@example.com",
    }),
  },
  {
    key: "vpn-drops",
    template: "itSupport",
    name: "VPN drops every hour",
    status: "active",
    owner: E,
    users: [E, A],
    groups: [GR.it],
    tags: [T.it],
    createdDaysAgo: 2,
    dueInDays: 4,
  },
  {
    key: "country-bob",
    template: "countryAccess",
    name: "Country access – Bob in Portugal",
    status: "active",
    owner: B,
    users: [B],
    createdDaysAgo: 4,
    dueInDays: 3,
    done: 1,
  },
  {
    key: "checkin-37",
    template: "weeklyCheckin",
    name: "Weekly check-in – week 37",
    status: "active",
    owner: A,
    users: [A, B, C, E],
    createdDaysAgo: 1,
    dueInDays: 5,
    done: 1,
  },
  {
    key: "bug-safari",
    template: "bugTriage",
    name: "Checkout button unresponsive on Safari",
    status: "active",
    owner: F,
    users: [F, C],
    tags: [T.urgent, T.customer],
    createdDaysAgo: 5,
    dueInDays: 2,
    done: 2,
  },
  {
    key: "qbr-initech",
    template: "qbr",
    name: "QBR – Initech Q3",
    status: "active",
    owner: B,
    tags: [T.customer, T.q3],
    createdDaysAgo: 12,
    dueInDays: 9,
    done: 2,
  },
  {
    key: "blog-support",
    template: "contentPublishing",
    name: "Blog: Scaling support & keeping it <human>",
    summary: "Draft by Grace; needs *legal* review before publishing.",
    status: "active",
    owner: G,
    users: [G, A],
    createdDaysAgo: 8,
    dueInDays: 12,
    done: 1,
  },
  {
    key: "po-desks",
    template: "purchaseOrder",
    name: "PO – 20 standing desks",
    status: "active",
    owner: F,
    groups: [GR.finance],
    tags: [T.finance],
    createdDaysAgo: 7,
    dueInDays: 7,
    done: 1,
  },
  {
    key: "travel-chicago",
    template: "travelRequest",
    name: "Travel – Sales kickoff Chicago",
    status: "active",
    owner: E,
    createdDaysAgo: 9,
    dueInDays: 6,
    done: 1,
    progressAsNumber: true,
  },
  {
    key: "vendor-paper-street",
    template: "vendorSetup",
    name: "Vendor setup – Paper Street Supplies",
    status: "active",
    owner: C,
    groups: [GR.finance],
    createdDaysAgo: 11,
    dueInDays: 10,
    done: 2,
  },
  {
    key: "expense-dinner",
    template: "expenseApproval",
    name: "Expenses – client dinner October",
    status: "active",
    owner: B,
    createdDaysAgo: 2,
    dueInDays: 8,
  },
  {
    key: "laptop-carol",
    template: "laptopRefresh",
    name: "Laptop refresh – Carol",
    status: "active",
    owner: A,
    users: [C, A],
    groups: [GR.it],
    tags: [T.it],
    createdDaysAgo: 14,
    dueInDays: 1,
    done: 1,
  },
  {
    key: "phishing",
    template: "securityIncident",
    name: "Phishing report – fake invoice email",
    status: "active",
    owner: E,
    users: [E, A],
    groups: [GR.it],
    tags: [T.urgent, T.it],
    createdDaysAgo: 1,
    dueInDays: 2,
    done: 1,
  },
  // problem
  {
    key: "vendor-initech",
    id: SEED.runs.problem,
    template: "vendorContract",
    name: "Contract review – Initech renewal",
    summary: "Initech sent a new liability clause; legal has questions.",
    status: "problem",
    owner: C,
    users: [C, F],
    groups: [GR.finance],
    tags: [T.legal, T.finance],
    createdDaysAgo: 20,
    dueInDays: -2,
    done: 1,
  },
  {
    key: "onboarding-ken",
    template: "onboarding",
    name: "Onboarding – Ken Adams",
    status: "problem",
    owner: A,
    users: [A],
    groups: [GR.peopleOps],
    tags: [T.onboarding],
    createdDaysAgo: 15,
    dueInDays: 3,
    done: 4,
    prerun: hire({
      name: "Ken Adams",
      location: "Office",
      department: "Finance",
      systems: ["Email", "Finance"],
      startInDays: -1,
      email: "ken.adams@example.com",
    }),
  },
  {
    key: "printer",
    template: "itSupport",
    name: "Printer on 3rd floor jammed",
    status: "problem",
    owner: E,
    createdDaysAgo: 6,
    dueInDays: -1,
    done: 1,
  },
  {
    key: "client-hooli",
    template: "clientOnboarding",
    name: "Client onboarding – Hooli",
    status: "problem",
    owner: B,
    tags: [T.customer],
    createdDaysAgo: 25,
    dueInDays: -5,
    done: 3,
  },
  // delayed
  {
    key: "expense-offsite",
    id: SEED.runs.delayed,
    template: "expenseApproval",
    name: "Expenses – team offsite catering",
    status: "delayed",
    owner: F,
    users: [F, B],
    groups: [GR.finance],
    tags: [T.finance],
    createdDaysAgo: 18,
    dueInDays: -4,
    done: 1,
  },
  {
    key: "refund-1077",
    template: "refundRequest",
    name: "Refund – order #1077",
    status: "delayed",
    owner: B,
    tags: [T.customer],
    createdDaysAgo: 9,
    dueInDays: -1,
    done: 1,
  },
  {
    key: "offboarding-jordan",
    template: "offboarding",
    name: "Offboarding – Jordan Lee",
    status: "delayed",
    owner: A,
    groups: [GR.peopleOps, GR.it],
    createdDaysAgo: 13,
    dueInDays: -3,
    done: 2,
  },
  {
    key: "audit-2025",
    template: "complianceAudit",
    name: "Annual compliance audit – HQ",
    status: "delayed",
    owner: A,
    tags: [T.compliance],
    createdDaysAgo: 40,
    dueInDays: -10,
    done: 1,
  },
  // complete
  {
    key: "onboarding-sam",
    id: SEED.runs.complete,
    template: "onboarding",
    name: "Onboarding – Sam Patel",
    status: "complete",
    owner: A,
    users: [A, C],
    groups: [GR.peopleOps],
    tags: [T.onboarding, T.hiring],
    createdDaysAgo: 45,
    dueInDays: -20,
    prerun: hire({
      name: "Sam Patel",
      location: "Office",
      department: "Marketing",
      systems: ["Email", "Slack"],
      startInDays: -38,
      email: "sam.patel@example.com",
      buddy: C,
    }),
  },
  {
    key: "checkin-36",
    template: "weeklyCheckin",
    name: "Weekly check-in – week 36",
    status: "complete",
    owner: A,
    createdDaysAgo: 8,
    dueInDays: -3,
  },
  {
    key: "bug-login-loop",
    template: "bugTriage",
    name: "Login loop after password reset",
    status: "complete",
    owner: F,
    tags: [T.it],
    createdDaysAgo: 30,
    dueInDays: -25,
  },
  {
    key: "travel-austin",
    template: "travelRequest",
    name: "Travel – Customer visit Austin",
    status: "complete",
    owner: E,
    createdDaysAgo: 35,
    dueInDays: -28,
    progressAsNumber: true,
  },
  {
    key: "po-booth",
    template: "purchaseOrder",
    name: "PO – Conference booth",
    status: "complete",
    owner: F,
    tags: [T.finance],
    createdDaysAgo: 50,
    dueInDays: -44,
  },
  {
    key: "qbr-globex",
    template: "qbr",
    name: "QBR – Globex Q2",
    status: "complete",
    owner: B,
    tags: [T.customer],
    createdDaysAgo: 95,
    dueInDays: -80,
  },
  // archived
  {
    key: "travel-berlin",
    id: SEED.runs.archived,
    template: "travelRequest",
    name: "Travel – Berlin offsite",
    status: "archived",
    previous: "active",
    owner: E,
    users: [E, F],
    tags: [T.q3],
    createdDaysAgo: 28,
    dueInDays: 2,
    done: 1,
    archivedDaysAgo: 3,
  },
  {
    key: "refund-1042",
    id: SEED.runs.archivedComplete,
    template: "refundRequest",
    name: "Refund – order #1042",
    status: "archived",
    previous: "complete",
    owner: B,
    tags: [T.customer],
    createdDaysAgo: 60,
    dueInDays: -50,
    archivedDaysAgo: 40,
  },
  {
    key: "monitor-flicker",
    template: "itSupport",
    name: "Monitor flickers",
    status: "archived",
    previous: "problem",
    owner: E,
    createdDaysAgo: 33,
    dueInDays: -20,
    done: 1,
    archivedDaysAgo: 15,
  },
  {
    key: "offboarding-pat",
    template: "offboarding",
    name: "Offboarding – Pat Kim (cancelled)",
    status: "archived",
    previous: "active",
    owner: A,
    createdDaysAgo: 22,
    dueInDays: -12,
    archivedDaysAgo: 20,
  },
  {
    key: "bug-export-dup",
    template: "bugTriage",
    name: "Duplicate: export fails on big CSVs",
    status: "archived",
    previous: "active",
    owner: F,
    createdDaysAgo: 17,
    dueInDays: -9,
    archivedDaysAgo: 16,
  },
];

const LABS_RUNS: RunSpec[] = [
  {
    key: "lab-induction-priya",
    id: SEED.runs.labs,
    template: "labSafety",
    name: "Induction – Priya Nair",
    status: "active",
    owner: A,
    users: [A, zoe.id],
    groups: [GR.labTechs],
    tags: [T.labSafety],
    createdDaysAgo: 2,
    dueInDays: 5,
    done: 1,
  },
  {
    key: "lab-induction-tom",
    template: "labSafety",
    name: "Induction – Tom Reyes",
    status: "complete",
    owner: zoe.id,
    users: [zoe.id],
    createdDaysAgo: 30,
    dueInDays: -20,
  },
];

function buildTasks(run: SandboxRun, tpl: SandboxTemplate, spec: RunSpec, created: number) {
  const isComplete = spec.status === "complete" || spec.previous === "complete";
  const done = isComplete ? tpl.steps.length : (spec.done ?? 0);
  const due =
    spec.dueInDays === null ? null : created + (spec.createdDaysAgo + spec.dueInDays) * DAY_MS;
  return tpl.steps.map((step, i): SandboxTask => {
    const deadline = due === null ? null : created + ((due - created) * (i + 1)) / tpl.steps.length;
    const finished = i < done;
    return {
      id: hexId(`task:${spec.key}:${i}`),
      step_id: step.id,
      title: step.title,
      position: step.position,
      status: finished ? "completed" : "not-started",
      deadline: deadline === null ? null : isoAt(deadline),
      completed_at: finished ? isoAt(created + (i + 1) * 3_600_000) : null,
      users: [run.owner_id],
    };
  });
}

function buildRun(spec: RunSpec, orgId: string, tpl: SandboxTemplate, now: number, index: number) {
  // Minutes apart, so created_at never ties.
  const created = now - spec.createdDaysAgo * DAY_MS - index * 37 * 60_000;
  const run: SandboxRun = {
    id: spec.id ?? hexId(`run:${spec.key}`),
    orgId,
    increment_id: 0,
    name: spec.name,
    summary: spec.summary ?? null,
    status: spec.status,
    previous_status: spec.status === "archived" ? (spec.previous ?? "active") : null,
    checklist_id: tpl.id,
    checklist_title: tpl.title,
    owner_id: spec.owner,
    started_by: spec.owner,
    users: spec.users ?? [spec.owner],
    groups: spec.groups ?? [],
    prerun: spec.prerun?.(now) ?? {},
    due_date: spec.dueInDays === null ? null : daysFrom(now, spec.dueInDays),
    created_at: isoAt(created),
    last_updated: isoAt(created + 2 * 3_600_000),
    completed_at: null,
    archived_at: spec.archivedDaysAgo === undefined ? null : daysFrom(now, -spec.archivedDaysAgo),
    prevent_guest_comment: false,
    is_public: false,
    starred: spec.starred ?? false,
    parent_id: null,
    tags: spec.tags ?? [],
    folders: [],
    tasks: [],
  };
  if (spec.progressAsNumber) run.progressAsNumber = true;
  run.tasks = buildTasks(run, tpl, spec, created);
  const last = run.tasks.at(-1);
  if (last?.completed_at) run.completed_at = last.completed_at;
  return run;
}

/** Runs of both organizations; increment ids follow creation order. */
export function buildRuns(templates: SandboxTemplate[], now: number): SandboxRun[] {
  const out: SandboxRun[] = [];
  const add = (specs: RunSpec[], orgId: string) => {
    for (const [i, spec] of specs.entries()) {
      const tpl = templates.find((t) => t.id === templateId(spec.template));
      if (!tpl) throw new Error(`seed: no template ${spec.template}`);
      out.push(buildRun(spec, orgId, tpl, now, i));
    }
  };
  add(ACME_RUNS, SEED.orgId);
  add(LABS_RUNS, SEED.secondOrg.id);
  const byAge = [...out].sort((a, b) => a.created_at.localeCompare(b.created_at));
  for (const [i, run] of byAge.entries()) run.increment_id = 5001 + i;
  return out;
}

/**
 * Seeded tasks: step task types and form fields on a few templates (copied into their runs'
 * tasks), and one-off tasks for every seeded user: overdue, due today, upcoming, each task type,
 * a form of several field types, a completed one, and for some an open issue or fields Slack
 * cannot fill. Deadlines are relative to `now`.
 */
import { type FieldSpec, field, isoAt, templateId } from "./seed-builders.ts";
import { hexId, SEED } from "./seed-ids.ts";
import { stepTaskDetails } from "./tasks.ts";
import type {
  SandboxField,
  SandboxOneOffTask,
  SandboxRun,
  SandboxTemplate,
  SandboxThread,
  TaskType,
} from "./types.ts";

const DAY_MS = 86_400_000;
type UserKey = keyof typeof SEED.users;

export type OneOffKind =
  | "overdue"
  | "today"
  | "ack"
  | "email"
  | "form"
  | "done"
  | "issue"
  | "blocked";

const KIT_FIELDS: FieldSpec[] = [
  { key: "address", type: "textarea", label: "Shipping address", position: 1, required: true },
  {
    key: "kit",
    type: "radio",
    label: "Kit",
    position: 2,
    required: true,
    options: ["Standard", "Developer", "Designer"],
    optionIdBase: 41,
  },
  {
    key: "desk",
    type: "dropdown",
    label: "Desk location",
    position: 3,
    options: ["Floor 1", "Floor 2", "Floor 3"],
    optionIdBase: 51,
  },
  {
    key: "accessories",
    type: "multiselect",
    label: "Accessories",
    position: 4,
    options: ["Monitor", "Headset", "Keyboard", "Mouse"],
    optionIdBase: 61,
  },
  { key: "ship-by", type: "date", label: "Ship by", position: 5 },
  {
    key: "serials",
    type: "table",
    label: "Serial numbers",
    position: 6,
    columns: ["Item", "Serial"],
  },
];

const SURVEY_FIELDS: FieldSpec[] = [
  { key: "team", type: "text", label: "Your team", position: 1, required: true },
  {
    key: "laptop",
    type: "dropdown",
    label: "Laptop",
    position: 2,
    required: true,
    options: ["MacBook Pro", "ThinkPad", "Dell XPS"],
    optionIdBase: 71,
  },
  {
    key: "os",
    type: "radio",
    label: "Operating system",
    position: 3,
    options: ["macOS", "Windows", "Linux"],
    optionIdBase: 81,
  },
  {
    key: "peripherals",
    type: "multiselect",
    label: "Peripherals",
    position: 4,
    options: ["Monitor", "Dock", "Webcam"],
    optionIdBase: 91,
  },
  { key: "review", type: "date", label: "Next review", position: 5 },
  { key: "email", type: "email", label: "Backup email", position: 6 },
];

const BLOCKED_FIELDS: FieldSpec[] = [
  { key: "notes", type: "text", label: "Notes", position: 1 },
  { key: "nda", type: "file", label: "Signed NDA", position: 2, required: true },
  {
    key: "returns",
    type: "table",
    label: "Returned equipment",
    position: 3,
    required: true,
    columns: ["Item", "Condition"],
  },
];

/** Field ids, stable: `${scope}:${key}` as field() derives them. */
export const taskFieldId = (scope: string, key: string) => hexId(`field:${scope}:${key}`);

/** Well-known seeded task ids. */
export const SEED_TASKS = {
  oneOff: (user: UserKey, kind: OneOffKind) => hexId(`oneoff:${user}:${kind}`),
  /** Maria's onboarding (SEED.runs.active): the next task, a form with six field types. */
  mariaKit: hexId("task:onboarding-maria:3"),
  /** Maria's onboarding: an expiring task ("Introduce onboarding buddy"). */
  mariaBuddy: hexId("task:onboarding-maria:5"),
  /** Maria's onboarding: an approval ("Benefits enrolment"). */
  mariaBenefits: hexId("task:onboarding-maria:6"),
  kitFields: {
    address: taskFieldId("onboarding-step-3", "address"),
    kit: taskFieldId("onboarding-step-3", "kit"),
    desk: taskFieldId("onboarding-step-3", "desk"),
    accessories: taskFieldId("onboarding-step-3", "accessories"),
    shipBy: taskFieldId("onboarding-step-3", "ship-by"),
    serials: taskFieldId("onboarding-step-3", "serials"),
  },
  surveyFields: (user: UserKey) => ({
    team: taskFieldId(`oneoff-${user}-form`, "team"),
    laptop: taskFieldId(`oneoff-${user}-form`, "laptop"),
    os: taskFieldId(`oneoff-${user}-form`, "os"),
    peripherals: taskFieldId(`oneoff-${user}-form`, "peripherals"),
    review: taskFieldId(`oneoff-${user}-form`, "review"),
    email: taskFieldId(`oneoff-${user}-form`, "email"),
  }),
} as const;

interface StepDetail {
  template: string;
  step: number;
  type: TaskType;
  fields?: { scope: string; specs: FieldSpec[] };
}

const STEP_DETAILS: StepDetail[] = [
  { template: "onboarding", step: 0, type: "email" },
  {
    template: "onboarding",
    step: 3,
    type: "task",
    fields: { scope: "onboarding-step-3", specs: KIT_FIELDS },
  },
  { template: "onboarding", step: 5, type: "expiring" },
  { template: "onboarding", step: 6, type: "approval" },
  { template: "expenseApproval", step: 0, type: "approval" },
  { template: "countryAccess", step: 0, type: "approval" },
  { template: "refundRequest", step: 0, type: "approval" },
];

const fieldsOf = (scope: string, specs: FieldSpec[]): SandboxField[] =>
  specs.map((s) => field(scope, s));

/** Gives steps their task types and form fields, then copies them into the seeded runs' tasks. */
export function seedStepTasks(templates: SandboxTemplate[], runs: SandboxRun[]): void {
  for (const d of STEP_DETAILS) {
    const tpl = templates.find((t) => t.id === templateId(d.template));
    const step = tpl?.steps[d.step];
    if (!step) continue;
    step.task_type = d.type;
    if (d.fields) step.form_fields = fieldsOf(d.fields.scope, d.fields.specs);
  }
  for (const run of runs) {
    const tpl = templates.find((t) => t.id === run.checklist_id);
    for (const task of run.tasks) {
      const step = tpl?.steps.find((s) => s.id === task.step_id);
      if (step) Object.assign(task, stepTaskDetails(step));
    }
  }
}

interface OneOffSpec {
  kind: OneOffKind;
  title: string;
  type: TaskType;
  /** Days from now; "today" is placed within the current UTC day. */
  dueInDays: number | "today";
  fields?: FieldSpec[];
}

const COMMON: OneOffSpec[] = [
  { kind: "overdue", title: "Submit last month's expense report", type: "task", dueInDays: -2 },
  { kind: "today", title: "Approve the PTO request", type: "approval", dueInDays: "today" },
  { kind: "ack", title: "Read the updated security policy", type: "expiring", dueInDays: 3 },
  { kind: "email", title: "Send the monthly customer update", type: "email", dueInDays: 5 },
  {
    kind: "form",
    title: "Complete the equipment survey",
    type: "task",
    dueInDays: 2,
    fields: SURVEY_FIELDS,
  },
  { kind: "done", title: "Book the team offsite venue", type: "task", dueInDays: -1 },
];
const ISSUE: OneOffSpec = {
  kind: "issue",
  title: "Renew the SSL certificate",
  type: "task",
  dueInDays: 1,
};
const BLOCKED: OneOffSpec = {
  kind: "blocked",
  title: "Return your equipment and sign the NDA",
  type: "task",
  dueInDays: 4,
  fields: BLOCKED_FIELDS,
};

/** Half-way through what is left of the current UTC day (at least a minute ahead). */
function laterToday(now: number): number {
  const endOfDay = Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
  return now + Math.max(60_000, Math.floor((endOfDay - now) / 2));
}

function issueThread(userId: number, now: number, taskId: string): SandboxThread {
  return {
    id: hexId(`thread:${taskId}:problem`),
    label: "problem",
    content: "The certificate authority rejected our CSR; waiting on IT.",
    state: "open",
    author_id: userId,
    created_at: isoAt(now - DAY_MS / 2),
    resolve_id: null,
    mentions: [],
  };
}

function oneOff(user: UserKey, spec: OneOffSpec, orgId: string, now: number): SandboxOneOffTask {
  const u = SEED.users[user];
  const id = SEED_TASKS.oneOff(user, spec.kind);
  const deadline = spec.dueInDays === "today" ? laterToday(now) : now + spec.dueInDays * DAY_MS;
  const done = spec.kind === "done";
  const created = isoAt(now - 7 * DAY_MS);
  return {
    id,
    orgId,
    container_run_id: hexId(`container:${user}:${spec.kind}`),
    created_by: SEED.users.admin.id,
    step_id: "",
    title: spec.title,
    position: 1,
    status: done ? "completed" : "not-started",
    deadline: isoAt(deadline),
    completed_at: done ? isoAt(now - DAY_MS - 3_600_000) : null,
    completer_id: done ? u.id : null,
    users: [u.id],
    guests: [],
    groups: [],
    task_type: spec.type,
    summary: `Seeded one-off task for ${u.first_name}.`,
    threads: spec.kind === "issue" ? [issueThread(u.id, now, id)] : [],
    created_at: created,
    last_updated: created,
    // Bob's survey may only be completed by its assignees (admins excepted).
    can_complete_only_assignees: user === "bob" && spec.kind === "form",
    ...(spec.fields
      ? { form_fields: fieldsOf(`oneoff-${user}-${spec.kind}`, spec.fields), taskdata: {} }
      : {}),
  };
}

/** One-off tasks for every seeded user, in the organization(s) they belong to. */
export function buildOneOffTasks(now: number): SandboxOneOffTask[] {
  const out: SandboxOneOffTask[] = [];
  for (const key of Object.keys(SEED.users) as UserKey[]) {
    const orgId = key === "zoe" ? SEED.secondOrg.id : SEED.orgId;
    const specs = [...COMMON];
    if (key === "admin" || key === "bob") specs.push(ISSUE);
    if (key === "admin") specs.push(BLOCKED);
    for (const spec of specs) out.push(oneOff(key, spec, orgId, now));
  }
  return out;
}

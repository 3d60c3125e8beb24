/** The sandbox's live data model. Field names follow Tallyfy's JSON where one exists. */

export type RunStatus = "active" | "problem" | "delayed" | "complete" | "archived";
export type FieldType =
  | "text"
  | "textarea"
  | "radio"
  | "dropdown"
  | "multiselect"
  | "date"
  | "email"
  | "file"
  | "table"
  | "assignees_form";

export interface SandboxOrganization {
  id: string;
  name: string;
}

export interface SandboxUser {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  timezone: string;
  role: "admin" | "standard" | "light";
  /** Personal access token (Bearer). */
  token: string;
  /** Organizations this user belongs to. */
  orgIds: string[];
}

export interface SandboxGroup {
  id: string;
  orgId: string;
  name: string;
  members: number[];
}

export interface SandboxTag {
  id: string;
  orgId: string;
  title: string;
  color: string;
}

export interface SandboxOption {
  id: number;
  text: string;
  value: null;
}

export interface SandboxField {
  id: string;
  alias: string;
  label: string;
  field_type: FieldType;
  required: boolean;
  position: number;
  guidance: string | null;
  options: SandboxOption[];
  /** table fields only */
  columns?: { id: number; label: string }[];
  /** date fields only */
  collect_time?: boolean;
}

export interface SandboxStep {
  id: string;
  title: string;
  position: number;
  /** Deadline of the task made from this step, in days after launch. */
  deadlineDays: number;
  /** What the step's tasks are; "task" when absent. */
  task_type?: TaskType;
  /** Form fields ("captures") of the step's tasks. */
  form_fields?: SandboxField[];
}

export interface SandboxTemplate {
  id: string;
  orgId: string;
  title: string;
  summary: string | null;
  type: "procedure" | "form" | "document";
  status: "published" | "draft";
  starred: boolean;
  archived_at: string | null;
  created_at: string;
  last_updated: string;
  steps: SandboxStep[];
  /** Kick-off form fields, deliberately stored out of position order. */
  prerun: SandboxField[];
}

export type TaskType = "task" | "approval" | "expiring" | "email" | "expiring_email";

/** A comment or an issue ("problem") on a task. */
export interface SandboxThread {
  id: string;
  label: string;
  content: string;
  state: string;
  author_id: number;
  created_at: string;
  /** Set when a problem thread is resolved. */
  resolve_id: string | null;
  /** User ids named as @[id] in the content (the only mentions that notify). */
  mentions: number[];
}

export interface SandboxTask {
  id: string;
  step_id: string;
  title: string;
  position: number;
  status: "not-started" | "in-progress" | "completed";
  deadline: string | null;
  completed_at: string | null;
  users: number[];
  /** The fields below are optional so older seeds stay valid; absent means the default. */
  task_type?: TaskType;
  guests?: string[];
  groups?: string[];
  summary?: string | null;
  form_fields?: SandboxField[];
  /** Form values keyed by field id. */
  taskdata?: Record<string, unknown>;
  threads?: SandboxThread[];
  completer_id?: number | null;
  is_approved?: boolean | null;
  can_complete_only_assignees?: boolean;
  created_at?: string;
  last_updated?: string;
}

/** A one-off task: lives in a hidden "container" process of its own, as on the live service. */
export interface SandboxOneOffTask extends SandboxTask {
  orgId: string;
  container_run_id: string;
  created_by: number;
}

/** Every completion request the sandbox accepted, repeats included (they re-fire on Tallyfy). */
export interface CompletionRecord {
  taskId: string;
  userId: number;
  at: number;
  /** The task was already completed: Tallyfy answers 200 and re-fires webhooks and emails. */
  repeat: boolean;
  is_approved: boolean | null;
}

export interface SandboxRun {
  id: string;
  orgId: string;
  increment_id: number;
  name: string;
  summary: string | null;
  status: RunStatus;
  /** What `activate` restores; set while archived. */
  previous_status: RunStatus | null;
  checklist_id: string;
  checklist_title: string;
  owner_id: number;
  started_by: number;
  users: number[];
  groups: string[];
  /** Kick-off values keyed by field id. */
  prerun: Record<string, unknown>;
  due_date: string | null;
  created_at: string;
  last_updated: string;
  completed_at: string | null;
  archived_at: string | null;
  prevent_guest_comment: boolean;
  is_public: boolean;
  starred: boolean;
  parent_id: string | null;
  tags: string[];
  folders: string[];
  tasks: SandboxTask[];
  /** Mimics pages where Tallyfy sends `progress` as a bare percentage. */
  progressAsNumber?: boolean;
  /**
   * Fields sent exactly as given, over the rendered ones, in every view of this run (lists,
   * gets, updates): mimics the odd rows the live service sometimes sends (`name: null`,
   * `progress: "abc"`…). The run's own data, which filters and sorts use, is untouched.
   */
  raw?: Record<string, unknown>;
}

export interface SandboxState {
  organizations: SandboxOrganization[];
  users: SandboxUser[];
  groups: SandboxGroup[];
  tags: SandboxTag[];
  templates: SandboxTemplate[];
  runs: Map<string, SandboxRun>;
  /** Next `increment_id` handed to a launched run. */
  nextIncrementId: number;
  oneOffTasks: SandboxOneOffTask[];
  completionLog: CompletionRecord[];
}

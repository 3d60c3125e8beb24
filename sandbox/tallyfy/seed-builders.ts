/** Small builders that keep the seed files readable. */
import { hexId, SEED } from "./seed-ids.ts";
import type { FieldType, SandboxField, SandboxStep, SandboxTemplate } from "./types.ts";

const DAY_MS = 86_400_000;

export function isoAt(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

export function daysFrom(now: number, days: number): string {
  return isoAt(now + days * DAY_MS);
}

export interface FieldSpec {
  key: string;
  type: FieldType;
  label: string;
  position: number;
  required?: boolean;
  guidance?: string;
  options?: readonly string[];
  /** First option id; option ids are integers, not positions. */
  optionIdBase?: number;
  columns?: readonly string[];
  collectTime?: boolean;
}

function slug(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function field(templateKey: string, spec: FieldSpec): SandboxField {
  const base = spec.optionIdBase ?? 1;
  const f: SandboxField = {
    id: hexId(`field:${templateKey}:${spec.key}`),
    alias: `${slug(spec.label).slice(0, 40)}-${spec.position}`,
    label: spec.label,
    field_type: spec.type,
    required: spec.required ?? false,
    position: spec.position,
    guidance: spec.guidance ?? null,
    options: (spec.options ?? []).map((text, i) => ({ id: base + i, text, value: null })),
  };
  if (spec.type === "table") {
    f.columns = (spec.columns ?? []).map((label, i) => ({ id: i + 1, label }));
  }
  if (spec.type === "date") f.collect_time = spec.collectTime ?? false;
  return f;
}

export function steps(templateKey: string, titles: readonly string[]): SandboxStep[] {
  return titles.map((title, i) => ({
    id: hexId(`step:${templateKey}:${i}`),
    title,
    position: i + 1,
    deadlineDays: (i + 1) * 2,
  }));
}

/** Well-known templates use their SEED id; the rest derive one from their key. */
export function templateId(key: string): string {
  return (SEED.templates as Record<string, string>)[key] ?? hexId(`tpl:${key}`);
}

export interface TemplateSpec {
  key: string;
  orgId: string;
  title: string;
  summary: string;
  type?: SandboxTemplate["type"];
  starred?: boolean;
  steps: readonly string[];
  fields?: FieldSpec[];
  ageDays: number;
}

export function template(spec: TemplateSpec, now: number): SandboxTemplate {
  return {
    id: templateId(spec.key),
    orgId: spec.orgId,
    title: spec.title,
    summary: spec.summary,
    type: spec.type ?? "procedure",
    status: "published",
    starred: spec.starred ?? false,
    archived_at: null,
    created_at: daysFrom(now, -spec.ageDays),
    last_updated: daysFrom(now, -Math.floor(spec.ageDays / 3)),
    steps: steps(spec.key, spec.steps),
    prerun: (spec.fields ?? []).map((f) => field(spec.key, f)),
  };
}

/** Templates, runs and state helpers for the modal view tests. */
import type { ModalView } from "@slack/types";
import { defaultState, fullState } from "../../sandbox/slack/state.ts";
import { type Run, runSchema, type Template, templateSchema } from "../../src/tallyfy/schemas.ts";
import { assertBlockKit } from "../support/block-limits.ts";

// biome-ignore lint/suspicious/noExplicitAny: views are inspected loosely.
export type Json = any;

const options = (names: string[], base: number) => names.map((text, i) => ({ id: base + i, text }));

/** Every one of Tallyfy's 10 field types, stored out of position order. */
export function allTypesTemplate(over: Partial<Record<string, unknown>> = {}): Template {
  return templateSchema.parse({
    id: "tpl_all",
    title: "Employee Onboarding",
    prerun: [
      {
        id: "f_dropdown",
        label: "Department",
        field_type: "dropdown",
        position: 4,
        required: true,
        options: options(["Engineering", "Sales"], 11),
      },
      {
        id: "f_text",
        label: "Full name",
        field_type: "text",
        position: 1,
        required: true,
        guidance: "As on the badge",
      },
      {
        id: "f_radio",
        label: "Location",
        field_type: "radio",
        position: 3,
        options: options(["Office", "Remote"], 1),
      },
      { id: "f_textarea", label: "Notes", field_type: "textarea", position: 2 },
      {
        id: "f_multi",
        label: "Systems",
        field_type: "multiselect",
        position: 5,
        options: options(["Email", "Slack", "VPN"], 21),
      },
      { id: "f_date", label: "Start date", field_type: "date", position: 6 },
      { id: "f_email", label: "Personal email", field_type: "email", position: 7 },
      { id: "f_file", label: "Contract", field_type: "file", position: 8 },
      {
        id: "f_table",
        label: "Equipment",
        field_type: "table",
        position: 9,
        columns: [{ id: 1, label: "Item" }],
      },
      { id: "f_people", label: "Buddy", field_type: "assignees_form", position: 10 },
    ],
    ...over,
  });
}

export function runOf(over: Partial<Record<string, unknown>> = {}): Run {
  return runSchema.parse({
    id: "run_1",
    name: "Onboarding – Maria",
    status: "active",
    checklist_id: "tpl_all",
    owner_id: 1001,
    users: [1001, 1002],
    groups: ["g1"],
    last_updated: "2026-11-20T10:00:00.000Z",
    tags: [{ id: "tag_u", title: "Urgent" }],
    prerun: {},
    ...over,
  });
}

/** Checks a view against Slack's modal limits and returns it for inspection. */
export function checked(view: ModalView): Json {
  assertBlockKit({
    type: "modal",
    blocks: view.blocks as unknown[],
    title: view.title,
    submit: view.submit,
    close: view.close,
    private_metadata: view.private_metadata,
    callback_id: view.callback_id,
  });
  return view;
}

/** The state Slack would submit for a view nobody touched (initial values only). */
export function untouchedState(view: ModalView): Json {
  return fullState(view.blocks as Json[], {});
}

/** state.values with some inputs replaced (block id -> the element's state). */
export function withState(view: ModalView, changes: Record<string, Json>): Json {
  const values = untouchedState(view);
  for (const [blockId, state] of Object.entries(changes)) {
    const block = (view.blocks as Json[]).find((b) => b.block_id === blockId);
    if (!block) throw new Error(`no block ${blockId}`);
    const action = block.element.action_id;
    values[blockId] = { [action]: { ...defaultState(block.element), ...state } };
  }
  return values;
}

export function blockById(view: ModalView, id: string): Json {
  return (view.blocks as Json[]).find((b) => b.block_id === id);
}

export function allText(view: ModalView): string {
  return JSON.stringify(view.blocks);
}

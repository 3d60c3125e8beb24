import { describe, expect, it } from "vitest";
import { ACTION, VIEW } from "../../src/blocks/ids.ts";
import {
  decodePrerun,
  encodePrerun,
  prerunChanges,
  readKickoffState,
} from "../../src/blocks/kickoff/index.ts";
import {
  decodeEditMeta,
  type EditMeta,
  editFormView,
  editLoadingView,
  editMessageView,
} from "../../src/blocks/modals/edit-views.ts";
import { readRunForm } from "../../src/blocks/modals/run-form.ts";
import { templateSchema } from "../../src/tallyfy/schemas.ts";
import {
  allText,
  allTypesTemplate,
  blockById,
  checked,
  type Json,
  runOf,
  untouchedState,
  withState,
} from "./modals-fixtures.ts";

const RUN_URL = "https://go.tallyfy.com/org/processes/run_1";
const SLACK: Record<number, string> = { 1001: "U0ALICE", 1002: "U0BOB" };
const slackUserIdsFor = (ids: number[]) => ids.flatMap((id) => SLACK[id] ?? []);

const meta: EditMeta = {
  runId: "run_1",
  templateId: "tpl_all",
  lastUpdated: "2026-11-20T10:00:00.000Z",
  origin: { kind: "message", channel: "C0OPS", ts: "1700000000.000100" },
  channelId: "C0OPS",
  nonce: "n1",
};

const template = allTypesTemplate();
const storedPrerun = encodePrerun(template.prerun, {
  f_text: { kind: "text", value: "Maria Lopez" },
  f_radio: { kind: "option", optionId: "2" },
  f_dropdown: { kind: "option", optionId: "11" },
  f_multi: { kind: "options", optionIds: ["21", "22"] },
  f_date: { kind: "date", value: "2026-12-01T00:00:00.000Z", hasTime: false },
  f_email: { kind: "text", value: "maria@example.com" },
  // 1005 has no Slack account: not shown, but kept
  f_people: { kind: "assignees", users: [1002, 1005], guests: ["g@x.test"], groups: [] },
});

function editForm(over: Partial<Parameters<typeof editFormView>[0]> = {}) {
  const run = runOf({ prerun: storedPrerun, summary: "Sum", prevent_guest_comment: true });
  return checked(
    editFormView({
      run,
      template,
      meta,
      values: {
        name: run.name,
        summary: run.summary ?? "",
        ownerSlackId: "U0ALICE",
        tags: run.tags.map((t) => ({ id: t.id, title: t.title })),
        preventGuestComment: run.prevent_guest_comment,
      },
      answers: decodePrerun(template.prerun, run.prerun),
      slackUserIdsFor,
      runUrl: RUN_URL,
      ...over,
    }),
  );
}

describe("edit metadata", () => {
  it("round-trips each kind of origin", () => {
    const url = `https://hooks.slack.com/actions/T0/${"1".repeat(13)}/${"a".repeat(24)}`;
    const withUrl = { kind: "message", channel: "C0OPS", ts: "1.2", url } as const;
    for (const origin of [
      meta.origin,
      withUrl,
      { kind: "response_url", url } as const,
      undefined,
    ]) {
      const m = { ...meta, origin };
      const view = editLoadingView(m);
      expect(decodeEditMeta(view.private_metadata)).toEqual(m);
    }
  });

  it("is undefined for a view that is not an edit form", () => {
    expect(decodeEditMeta("{}")).toBeUndefined();
    expect(decodeEditMeta("[1,2]")).toBeUndefined();
    expect(decodeEditMeta(undefined)).toBeUndefined();
  });
});

describe("edit form", () => {
  it("starts from the run: name, summary, owner, tags, guest comments and kick-off values", () => {
    const view = editForm();
    expect(view.callback_id).toBe(VIEW.edit);
    expect(view.submit.text).toBe("Save");
    expect(blockById(view, "run_name").element.initial_value).toBe("Onboarding – Maria");
    expect(blockById(view, "run_summary").element.initial_value).toBe("Sum");
    expect(blockById(view, "run_owner").element.initial_user).toBe("U0ALICE");
    expect(blockById(view, "run_tags").element.initial_options).toEqual([
      { text: { type: "plain_text", text: "Urgent" }, value: "tag_u" },
    ]);
    expect(blockById(view, "run_guest_comments").element.initial_options).toHaveLength(1);
    expect(blockById(view, "ko_f_text").element.initial_value).toBe("Maria Lopez");
    expect(blockById(view, "ko_f_radio").element.initial_option.value).toBe("2");
    expect(blockById(view, "ko_f_multi").element.initial_options.map((o: Json) => o.value)).toEqual(
      ["21", "22"],
    );
    expect(blockById(view, "ko_f_date").element.initial_date).toBe("2026-12-01");
    expect(blockById(view, "ko_f_people").element.initial_users).toEqual(["U0BOB"]);
    expect(blockById(view, "run_channel")).toBeUndefined();
    expect(decodeEditMeta(view.private_metadata)).toEqual(meta);
  });

  it("submitted untouched, changes nothing", () => {
    const view = editForm();
    const state = untouchedState(view);
    const form = readRunForm(state, { withGuestComments: true });
    expect(form.errors).toEqual({});
    expect(form.values).toMatchObject({
      name: "Onboarding – Maria",
      summary: "Sum",
      preventGuestComment: true,
    });
    const before = decodePrerun(template.prerun, storedPrerun);
    const after = readKickoffState(template.prerun, state);
    expect(after.errors).toEqual({});
    // assignees come back as Slack users; everything else must encode to what is stored
    const { f_people: _people, ...rest } = after.answers;
    const { f_people: _was, ...restBefore } = before;
    expect(prerunChanges(template.prerun, restBefore, rest)).toEqual({});
  });

  it("an emptied optional field is sent cleared", () => {
    const view = editForm();
    const state = withState(view, { ko_f_radio: { selected_option: null } });
    const before = decodePrerun(template.prerun, storedPrerun);
    const { f_people: _p, ...after } = readKickoffState(template.prerun, state).answers;
    const { f_people: _w, ...was } = before;
    expect(prerunChanges(template.prerun, was, after)).toEqual({ f_radio: "" });
  });

  it("offers Reload next to a notice when asked", () => {
    const view = editForm({
      notice: { tone: "warning", mrkdwn: "Changed in Tallyfy" },
      reload: true,
    });
    expect(view.blocks[0].text.text).toContain("Changed in Tallyfy");
    expect(view.blocks[1].elements[0]).toMatchObject({
      action_id: ACTION.editReload,
      value: "run_1",
    });
  });

  it("keeps metadata within 3000 characters however long the response_url", () => {
    const url = `https://hooks.slack.com/${"x".repeat(3000)}`;
    const onCard = editForm({
      meta: { ...meta, origin: { kind: "message", channel: "C0OPS", ts: "1.2", url } },
    });
    expect(onCard.private_metadata.length).toBeLessThanOrEqual(3000);
    expect(decodeEditMeta(onCard.private_metadata)).toMatchObject({
      runId: meta.runId,
      origin: { kind: "message", channel: "C0OPS", ts: "1.2" },
    });
    const viaUrl = editForm({ meta: { ...meta, origin: { kind: "response_url", url } } });
    expect(viaUrl.private_metadata.length).toBeLessThanOrEqual(3000);
    expect(decodeEditMeta(viaUrl.private_metadata)?.runId).toBe(meta.runId);
    // a short url is kept
    const short = editForm({
      meta: { ...meta, origin: { kind: "response_url", url: "https://h/1" } },
    });
    expect(decodeEditMeta(short.private_metadata)?.origin).toEqual({
      kind: "response_url",
      url: "https://h/1",
    });
  });

  it("a form that fits still fits with the concurrent-change warning and Reload", () => {
    const many = (n: number) =>
      templateSchema.parse({
        id: "tpl_many",
        title: "Audit",
        prerun: Array.from({ length: n }, (_, i) => ({
          id: `q${i}`,
          label: `Q${i}`,
          field_type: "text",
          position: i,
        })),
      });
    const largest = editForm({ template: many(91), answers: {} });
    expect(largest.submit.text).toBe("Save");
    const warned = editForm({
      template: many(91),
      answers: {},
      notice: { tone: "warning", mrkdwn: "Changed in Tallyfy." },
      reload: true,
    });
    expect(warned.blocks).toHaveLength(100);
    expect(warned.submit.text).toBe("Save");
    expect(editForm({ template: many(92), answers: {} }).submit).toBeUndefined();
  });

  it("says a template with too many fields must be edited in Tallyfy", () => {
    const big = templateSchema.parse({
      id: "tpl_big",
      title: "Audit",
      prerun: Array.from({ length: 120 }, (_, i) => ({
        id: `q${i}`,
        label: `Q${i}`,
        field_type: "text",
        position: i,
      })),
    });
    const view = editForm({ template: big, answers: {} });
    expect(view.submit).toBeUndefined();
    expect(allText(view)).toContain("has 120 kick-off fields");
    expect(allText(view)).toContain(RUN_URL);
  });
});

describe("edit messages", () => {
  it("have only a Close button and link to Tallyfy", () => {
    const view = checked(editMessageView("info", "Nothing to update: *x*", RUN_URL));
    expect(view.submit).toBeUndefined();
    expect((view.blocks as Json[])[0].accessory.url).toBe(RUN_URL);
  });
});

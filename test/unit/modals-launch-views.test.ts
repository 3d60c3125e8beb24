import { describe, expect, it } from "vitest";
import { ACTION, VIEW } from "../../src/blocks/ids.ts";
import { type FieldAnswer, readKickoffState } from "../../src/blocks/kickoff/index.ts";
import {
  decodeLaunchMeta,
  defaultRunName,
  encodeLaunchMeta,
  launchedView,
  launchFormView,
  launchingView,
  launchNameBlock,
  launchPickerView,
  PICKER_BLOCK,
} from "../../src/blocks/modals/launch-views.ts";
import { readRunForm } from "../../src/blocks/modals/run-form.ts";
import { type TemplateSummary, templateSchema } from "../../src/tallyfy/schemas.ts";
import {
  allText,
  allTypesTemplate,
  blockById,
  checked,
  type Json,
  untouchedState,
  withState,
} from "./modals-fixtures.ts";

const NOW = new Date("2026-11-22T09:30:00Z");
const WEB = "https://go.tallyfy.com";
const meta = { templateId: "tpl_all", channelId: "C0OPS", nonce: "n1" };

function form(over: Partial<Parameters<typeof launchFormView>[0]> = {}) {
  const template = over.template ?? allTypesTemplate();
  return checked(
    launchFormView({
      template,
      meta: { ...meta, templateId: template.id },
      values: {
        name: defaultRunName(template.title, NOW),
        summary: "",
        ownerSlackId: "U0ALICE",
        tags: [],
        channelId: "C0OPS",
      },
      answers: {},
      webUrl: WEB,
      ...over,
    }),
  );
}

const summary = (id: string, title: string, extra: Partial<TemplateSummary> = {}) =>
  ({
    id,
    title,
    summary: null,
    type: null,
    status: null,
    starred: false,
    steps_count: null,
    archived_at: null,
    ...extra,
  }) as TemplateSummary;

describe("launch metadata", () => {
  it("round-trips and tolerates garbage", () => {
    expect(decodeLaunchMeta(encodeLaunchMeta(meta))).toEqual(meta);
    expect(decodeLaunchMeta("not json")).toEqual({
      templateId: undefined,
      channelId: undefined,
      nonce: undefined,
    });
    expect(decodeLaunchMeta(undefined).templateId).toBeUndefined();
  });
});

describe("picker", () => {
  it("is an external select that lists templates on open, with nothing to submit", () => {
    const view = checked(launchPickerView({ meta: { channelId: "C0OPS" } }));
    const picker = blockById(view, PICKER_BLOCK).accessory;
    expect(picker).toMatchObject({
      type: "external_select",
      action_id: ACTION.launchTemplate,
      min_query_length: 0,
    });
    expect(view.submit).toBeUndefined();
    expect(view.callback_id).toBe(VIEW.launch);
    expect(decodeLaunchMeta(view.private_metadata).channelId).toBe("C0OPS");
  });

  it("says when nothing matches, escaping the words", () => {
    const view = checked(launchPickerView({ meta: {}, query: "<!channel> & co", matches: [] }));
    expect(allText(view)).toContain("No template matches “&lt;!channel&gt; &amp; co”");
    expect(allText(view)).not.toContain("<!channel>");
  });

  it("lists several matches with a Choose button each, at most 10", () => {
    const matches = Array.from({ length: 12 }, (_, i) => summary(`t${i}`, `Onboarding ${i} <b>`));
    const view = checked(launchPickerView({ meta: {}, query: "onboarding", matches }));
    const buttons = (view.blocks as Json[]).filter(
      (b) => b.accessory?.action_id === ACTION.launchPickMatch,
    );
    expect(buttons.map((b) => b.accessory.value)).toEqual(matches.slice(0, 10).map((m) => m.id));
    expect(buttons[0].text.text).toContain("Onboarding 0 &lt;b&gt;");
    expect(allText(view)).toContain("More templates match");
  });
});

describe("launch form", () => {
  it("has name, summary, every kick-off field in position order, owner, tags and channel", () => {
    const view = form();
    expect(view.submit.text).toBe("Launch");
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    const ids = (view.blocks as Json[]).filter((b) => b.type === "input").map((b) => b.block_id);
    expect(ids).toEqual([
      launchNameBlock("tpl_all"),
      "run_summary",
      "ko_f_text",
      "ko_f_textarea",
      "ko_f_radio",
      "ko_f_dropdown",
      "ko_f_multi",
      "ko_f_date",
      "ko_f_email",
      "ko_f_people",
      "run_owner",
      "run_tags",
      "run_channel",
    ]);
    expect(blockById(view, launchNameBlock("tpl_all")).element.initial_value).toBe(
      "Employee Onboarding – 22 Nov 2026",
    );
    expect(blockById(view, "run_summary")).toMatchObject({
      optional: true,
      element: { multiline: true },
    });
    expect(blockById(view, "run_owner").element).toMatchObject({
      type: "users_select",
      initial_user: "U0ALICE",
    });
    expect(blockById(view, "run_tags").element).toMatchObject({
      type: "multi_external_select",
      action_id: ACTION.tagSearch,
      min_query_length: 0,
    });
    expect(blockById(view, "run_channel").element).toMatchObject({
      type: "conversations_select",
      initial_conversation: "C0OPS",
      default_to_current_conversation: true,
    });
    // file and table fields can't be typed in Slack: a note, not an input
    expect(allText(view)).toContain("Contract");
    expect(allText(view)).toMatch(/fill this in .*Tallyfy.* after launch/);
    expect(decodeLaunchMeta(view.private_metadata)).toEqual(meta);
  });

  it("shows a notice at the top when given one", () => {
    const view = form({ notice: { tone: "error", mrkdwn: "Tallyfy said no" } });
    expect(view.blocks[0].text.text).toContain("Tallyfy said no");
  });

  it("refuses a template with a required file field, with a link to Tallyfy", () => {
    const template = templateSchema.parse({
      id: "tpl_vendor",
      title: "Vendor Contract Review",
      prerun: [
        { id: "v1", label: "Vendor name", field_type: "text", position: 1, required: true },
        { id: "v2", label: "Contract document", field_type: "file", position: 2, required: true },
      ],
    });
    const view = form({ template });
    expect(view.submit).toBeUndefined();
    expect((view.blocks as Json[]).some((b) => b.type === "input")).toBe(false);
    expect(allText(view)).toContain("*Contract document*");
    expect(allText(view)).toContain("Launch it in Tallyfy");
    const link = (view.blocks as Json[]).find((b) => b.accessory?.url);
    expect(link.accessory.url).toBe(WEB);
  });

  it("fills the modal up to 100 blocks, room for a notice kept, and refuses one field more", () => {
    const many = (n: number) =>
      templateSchema.parse({
        id: "tpl_many",
        title: "Audit",
        prerun: Array.from({ length: n }, (_, i) => ({
          id: `q${i}`,
          label: `Question ${i}`,
          field_type: "text",
          position: i,
        })),
      });
    const fits = form({ template: many(90) });
    expect(fits.blocks).toHaveLength(99);
    expect(fits.submit.text).toBe("Launch");
    // the same form back after an error: the notice fits, nothing is dropped
    const withNotice = form({ template: many(90), notice: { tone: "error", mrkdwn: "Refused." } });
    expect(withNotice.blocks).toHaveLength(100);
    expect(withNotice.submit.text).toBe("Launch");
    const tooMany = form({ template: many(91) });
    expect(tooMany.submit).toBeUndefined();
    expect(allText(tooMany)).toContain("has 91 kick-off fields");
  });

  it("gives back exactly the initial values when submitted untouched", () => {
    const template = allTypesTemplate();
    const answers: Record<string, FieldAnswer> = {
      f_text: { kind: "text", value: "Maria" },
      f_textarea: { kind: "text", value: "Line 1\nLine 2" },
      f_radio: { kind: "option", optionId: "2" },
      f_dropdown: { kind: "option", optionId: "12" },
      f_multi: { kind: "options", optionIds: ["21", "23"] },
      f_date: { kind: "date", value: "2026-12-01T00:00:00.000Z", hasTime: false },
      f_email: { kind: "text", value: "maria@example.com" },
      f_people: { kind: "slack_users", slackUserIds: ["U0BOB"] },
    };
    const values = {
      name: "Onboarding Maria",
      summary: "Summary text",
      ownerSlackId: "U0BOB",
      tags: [{ id: "tag1", title: "Urgent" }],
      channelId: "C0GENERAL",
    };
    const view = form({ template, answers, values });
    const state = untouchedState(view);
    expect(readKickoffState(template.prerun, state)).toEqual({ answers, errors: {} });
    expect(readRunForm(state, { nameKey: template.id, withChannel: true })).toEqual({
      values,
      errors: {},
    });
  });

  it("reads absent optional values as absent and flags missing required ones", () => {
    const template = allTypesTemplate();
    const view = form({ template });
    const state = withState(view, { ko_f_text: { value: "Maria" }, ko_f_dropdown: {} });
    const read = readKickoffState(template.prerun, state);
    expect(read.answers).toEqual({ f_text: { kind: "text", value: "Maria" } });
    expect(Object.keys(read.errors)).toEqual(["ko_f_dropdown"]);
  });

  it("keeps the default name within 550 characters", () => {
    const name = defaultRunName("x".repeat(600), NOW);
    expect(name.length).toBeLessThanOrEqual(550);
    expect(name.endsWith(" – 22 Nov 2026")).toBe(true);
  });
});

describe("launching and launched", () => {
  it("launching names the process, escaped", () => {
    const view = checked(launchingView("A <b> & c"));
    expect(allText(view)).toContain("A &lt;b&gt; &amp; c");
    expect(view.submit).toBeUndefined();
  });

  it("launched links the run and the channel, then says where the card went", () => {
    const base = {
      name: "Onboarding <Maria>",
      runUrl: "https://go.tallyfy.com/org/processes/r1",
      channelId: "C0OPS",
    };
    const posting = checked(launchedView(base));
    expect(allText(posting)).toContain(
      "<https://go.tallyfy.com/org/processes/r1|Onboarding &lt;Maria&gt;>",
    );
    expect(allText(posting)).toContain("<#C0OPS>");
    expect(allText(posting)).toContain("Posting the status card");
    const posted = checked(launchedView({ ...base, card: { posted: true } }));
    expect(allText(posted)).toContain("The status card is in <#C0OPS>");
    const failed = checked(
      launchedView({ ...base, card: { posted: false, problem: "Invite me <now>" } }),
    );
    expect(allText(failed)).toContain("Invite me &lt;now&gt;");
  });
});

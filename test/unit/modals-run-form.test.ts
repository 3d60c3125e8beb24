import { describe, expect, it } from "vitest";
import { ACTION } from "../../src/blocks/ids.ts";
import { NAME_MAX, nameBlockId, RUN_BLOCK, readRunForm } from "../../src/blocks/modals/run-form.ts";

const text = (value: string | null) => ({ value: { type: "plain_text_input", value } });

describe("readRunForm", () => {
  it("reads every shared input, trimming text", () => {
    const state = {
      [nameBlockId("tpl")]: text("  Onboarding Maria  "),
      [RUN_BLOCK.summary]: text(" line\n"),
      [RUN_BLOCK.owner]: { value: { type: "users_select", selected_user: "U0BOB" } },
      [RUN_BLOCK.tags]: {
        [ACTION.tagSearch]: {
          type: "multi_external_select",
          selected_options: [{ text: { type: "plain_text", text: "Urgent" }, value: "t1" }],
        },
      },
      [RUN_BLOCK.channel]: {
        value: { type: "conversations_select", selected_conversation: "C0OPS" },
      },
    };
    expect(readRunForm(state, { nameKey: "tpl", withChannel: true })).toEqual({
      values: {
        name: "Onboarding Maria",
        summary: "line",
        ownerSlackId: "U0BOB",
        tags: [{ id: "t1", title: "Urgent" }],
        channelId: "C0OPS",
      },
      errors: {},
    });
  });

  it("treats absent optional inputs as empty", () => {
    const read = readRunForm({ [RUN_BLOCK.name]: text("N") }, { withGuestComments: true });
    expect(read).toEqual({
      values: {
        name: "N",
        summary: "",
        ownerSlackId: undefined,
        tags: [],
        preventGuestComment: false,
      },
      errors: {},
    });
  });

  it("puts problems on the exact inputs", () => {
    const blank = readRunForm(
      { [nameBlockId("tpl")]: text("   ") },
      { nameKey: "tpl", withChannel: true },
    );
    expect(blank.errors).toEqual({
      [nameBlockId("tpl")]: "Give the process a name.",
      [RUN_BLOCK.channel]: "Choose where to post the status card.",
    });
    const long = readRunForm({ [RUN_BLOCK.name]: text("x".repeat(NAME_MAX + 1)) });
    expect(long.errors[RUN_BLOCK.name]).toContain(`${NAME_MAX} characters`);
    expect(readRunForm({ [RUN_BLOCK.name]: text("x".repeat(NAME_MAX)) }).errors).toEqual({});
  });

  it("reads the guest comments checkbox", () => {
    const checked = {
      [RUN_BLOCK.name]: text("N"),
      [RUN_BLOCK.guestComments]: {
        value: {
          type: "checkboxes",
          selected_options: [{ text: { type: "plain_text", text: "x" }, value: "prevent" }],
        },
      },
    };
    expect(readRunForm(checked, { withGuestComments: true }).values.preventGuestComment).toBe(true);
  });
});

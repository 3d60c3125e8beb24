import { describe, expect, it } from "vitest";
import { mentionedUsers, messageMarkup } from "../../src/features/create-task/message.ts";

describe("the words of a message a shortcut was used on", () => {
  it("prefers the message's text", () => {
    expect(messageMarkup({ text: "  Hello &lt;b&gt;  ", blocks: [{ type: "header" }] })).toBe(
      "Hello &lt;b&gt;",
    );
  });

  it("reads blocks-only messages: header, section text and fields, context, rich text lists", () => {
    const blocks = [
      { type: "header", text: { type: "plain_text", text: "Launch review" } },
      {
        type: "section",
        text: { type: "mrkdwn", text: "*Owner:* <@U1>" },
        fields: [{ type: "mrkdwn", text: "Due Friday" }],
      },
      { type: "divider" },
      { type: "context", elements: [{ type: "mrkdwn", text: "From #ops" }, { type: "image" }] },
      {
        type: "rich_text",
        elements: [
          {
            type: "rich_text_list",
            elements: [
              { type: "rich_text_section", elements: [{ type: "text", text: "a < b" }] },
              {
                type: "rich_text_section",
                elements: [{ type: "link", url: "https://x.test", text: "site" }],
              },
            ],
          },
        ],
      },
    ];
    expect(messageMarkup({ blocks })).toBe(
      "Launch review\n*Owner:* <@U1>\nDue Friday\nFrom #ops\n• a &lt; b\n• <https://x.test|site>",
    );
  });

  it("falls back to attachments, and to nothing for a message without words", () => {
    expect(messageMarkup({ text: "", attachments: [{ fallback: "Build failed" }] })).toBe(
      "Build failed",
    );
    expect(
      messageMarkup({
        attachments: [{ title: "Deploy", fields: [{ title: "Env", value: "prod" }] }],
      }),
    ).toBe("Deploy\nEnv: prod");
    expect(messageMarkup({ files: [{ id: "F1" }] })).toBe("");
    expect(messageMarkup(undefined)).toBe("");
  });

  it("lists the people mentioned, once each, a few at most", () => {
    expect(mentionedUsers("<@U1> <@W2|w> <@U1> <@U3> <@U4> <@U5> <@U6>")).toEqual([
      "U1",
      "W2",
      "U3",
      "U4",
      "U5",
    ]);
  });
});

// The app's Home tab and link unfurls (under messages and in the composer), drawn with the same
// Block Kit renderer as messages. Clicks go to /play/click like any other.
import { renderBlocks } from "./blocks.js";
import { h, post, toast } from "./dom.js";
import { renderMrkdwn } from "./mrkdwn.js";

const report = (answer) => {
  if (!answer.ok) toast(answer.error ?? "Something went wrong.");
};

/** The Home tab, or a note while the app has not published it yet. */
export function renderHomeTab(home, me) {
  if (!home) {
    return h("div", { class: "home-tab home-empty" }, "Opening the app's Home…");
  }
  const surface = {
    kind: "view",
    stateOf: (blockId, actionId) => home.view.state?.values?.[blockId]?.[actionId],
    act: async (block, element, payload) =>
      report(
        await post("/play/click", {
          user: me,
          viewId: home.id,
          blockId: block.block_id,
          actionId: element.action_id,
          ...payload,
        }),
      ),
    suggest: async () => ({ hint: "Searches aren't available in Home." }),
  };
  return h(
    "div",
    { class: "home-tab", dataset: { viewId: home.id } },
    renderBlocks(home.view.blocks, surface),
  );
}

/** One attachment per unfurled URL, under the message, each with the link's host. */
export function renderUnfurls(unfurls, act) {
  const entries = Object.entries(unfurls ?? {});
  if (entries.length === 0) return null;
  return h(
    "div",
    { class: "unfurls" },
    entries.map(([url, unfurl]) =>
      unfurlCard(url, unfurl, (block, element, payload) => act(url, block, element, payload), {
        hint: "Not available in a link preview.",
      }),
    ),
  );
}

/** One unfurled link: its host, then its blocks; `act` answers a click, `suggested` a search. */
function unfurlCard(url, unfurl, act, suggested) {
  return h(
    "div",
    { class: "unfurl", dataset: { url } },
    h("div", { class: "unfurl-source" }, hostOf(url)),
    renderBlocks(unfurl.blocks ?? [], {
      kind: "message",
      stateOf: () => undefined,
      act,
      suggest: async () => suggested,
    }),
  );
}

/** What the app shows for links still in the composer: their previews, or its prompt. */
export function renderComposerPreview(composer) {
  if (!composer) return [];
  const previews = Object.entries(composer.unfurls).map(([url, unfurl]) =>
    unfurlCard(url, unfurl, async () => toast("Send the message first.", "info"), {}),
  );
  const prompt = composer.authPrompt
    ? h(
        "div",
        { class: "unfurl unfurl-prompt" },
        composer.authPrompt.blocks
          ? renderBlocks(composer.authPrompt.blocks, {
              kind: "message",
              stateOf: () => undefined,
              act: async () => toast("Use /tallyfy connect to connect.", "info"),
              suggest: async () => ({}),
            })
          : renderMrkdwn(composer.authPrompt.text ?? ""),
      )
    : null;
  return [...previews, prompt].filter(Boolean);
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

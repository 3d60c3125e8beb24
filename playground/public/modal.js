// The open modal: an overlay with title, close and submit, redrawn on views.update/push,
// keeping what the user typed (as Slack does for inputs whose block and action ids survive),
// and showing validation errors under the inputs they name.
import { renderBlocks } from "./blocks.js";
import { h, post, toast } from "./dom.js";
import { plainOf } from "./mrkdwn.js";

const REQUIRED = "Please complete this required field.";

/** @param app { me(), channel() } */
export function createModalHost(app) {
  let current = null;

  const values = () => {
    const out = {};
    for (const { block, element, field } of current?.fields ?? []) {
      out[block.block_id] ??= {};
      out[block.block_id][element.action_id] = field.get();
    }
    return out;
  };

  const report = (answer) => {
    if (!answer.ok) toast(answer.error ?? "Something went wrong.");
    return answer;
  };

  const surfaceFor = (v, kept) => ({
    kind: "view",
    channel: app.channel(),
    stateOf: (blockId, actionId) =>
      kept[blockId]?.[actionId] ?? v.view.state?.values?.[blockId]?.[actionId],
    register: (block, element, field) => current.fields.push({ block, element, field }),
    act: async (block, element, payload) =>
      report(
        await post("/play/click", {
          user: app.me(),
          viewId: v.id,
          blockId: block.block_id,
          actionId: element.action_id,
          values: values(),
          ...payload,
        }),
      ),
    suggest: async (block, element, query) => {
      const answer = await post("/play/suggest", {
        user: app.me(),
        viewId: v.id,
        blockId: block.block_id,
        actionId: element.action_id,
        value: query,
        values: values(),
      });
      if (!answer.ok) return { hint: answer.error ?? "The app did not answer." };
      return answer;
    },
  });

  const showErrors = (clientErrors = {}) => {
    const errors = { ...current.view.errors, ...clientErrors };
    for (const block of current.el.querySelectorAll(".block-input")) {
      const message = errors[block.dataset.blockId];
      block.classList.toggle("has-error", Boolean(message));
      block.querySelector(".input-error").textContent = message ?? "";
    }
  };

  const close = async () => {
    if (!current) return;
    report(await post("/play/close", { user: app.me(), viewId: current.view.id }));
  };

  const submit = async (button) => {
    const problems = clientProblems(current.fields);
    showErrors(problems);
    if (Object.keys(problems).length) return;
    button.disabled = true;
    button.classList.add("busy");
    try {
      report(
        await post("/play/submit", { user: app.me(), viewId: current.view.id, values: values() }),
      );
    } finally {
      button.disabled = false;
      button.classList.remove("busy");
    }
  };

  const render = (v, kept) => {
    const view = v.view;
    const titleId = `modal-title-${v.id}`;
    const submitButton = view.submit
      ? h("button", { type: "submit", class: "btn btn-primary" }, plainOf(view.submit))
      : null;
    current = { view: v, fields: [], el: null };
    const body = renderBlocks(view.blocks, surfaceFor(v, kept));
    const form = h(
      "form",
      {
        class: "dialog modal",
        role: "dialog",
        "aria-modal": "true",
        "aria-labelledby": titleId,
        dataset: { viewId: v.id, callbackId: view.callback_id ?? "" },
        novalidate: true,
        onsubmit: (e) => {
          e.preventDefault();
          if (submitButton) void submit(submitButton);
        },
      },
      h(
        "header",
        {},
        v.depth > 1
          ? h(
              "button",
              { type: "button", class: "icon-button", "aria-label": "Back", onclick: close },
              "←",
            )
          : null,
        h("h2", { id: titleId }, plainOf(view.title)),
        h(
          "button",
          { type: "button", class: "icon-button", "aria-label": "Close", onclick: close },
          "×",
        ),
      ),
      h("div", { class: "modal-body" }, body),
      h(
        "footer",
        {},
        h(
          "button",
          { type: "button", class: "btn", onclick: close },
          plainOf(view.close) || "Cancel",
        ),
        submitButton,
      ),
    );
    const overlay = h("div", { class: "overlay modal-overlay" }, form);
    app.root.replaceChildren(overlay);
    current.el = form;
    current.errorsKey = JSON.stringify(v.errors);
    showErrors();
    return form;
  };

  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && current) void close();
  });

  return {
    /** Show the user's open view (or none) from /play/state. */
    show(v) {
      if (!v) {
        current = null;
        app.root.replaceChildren();
        return;
      }
      if (current && current.view.id === v.id && current.view.hash === v.hash) {
        const key = JSON.stringify(v.errors);
        current.view = v;
        if (key !== current.errorsKey) {
          current.errorsKey = key;
          showErrors();
        }
        return;
      }
      const same = current && current.view.id === v.id;
      const form = render(v, same ? values() : {});
      // A new modal puts the cursor in its first text box, as Slack does.
      if (!same)
        form
          .querySelector(".modal-body :is(textarea, input[type=text], input[type=email]).input")
          ?.focus();
    },
    get open() {
      return current !== null;
    },
  };
}

/** What Slack's own client refuses before anything reaches the app. */
function clientProblems(fields) {
  const problems = {};
  for (const { block, element, field } of fields) {
    const v = field.get();
    if (isEmpty(v)) {
      if (!block.optional) problems[block.block_id] = REQUIRED;
      continue;
    }
    if (typeof v.value !== "string") continue;
    if (element.min_length && v.value.length < element.min_length)
      problems[block.block_id] = `Please enter at least ${element.min_length} characters.`;
    if (element.type === "email_text_input" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.value))
      problems[block.block_id] = "Please enter a valid email address.";
    if (element.type === "number_input" && Number.isNaN(Number(v.value)))
      problems[block.block_id] = "Please enter a number.";
  }
  return problems;
}

function isEmpty(v) {
  return Object.entries(v).every(
    ([k, x]) =>
      k === "type" || x === null || x === undefined || x === "" || (Array.isArray(x) && !x.length),
  );
}

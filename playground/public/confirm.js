// A button's `confirm` object as Slack shows it: a small dialog that must be accepted first.
import { h } from "./dom.js";
import { plainOf, renderText } from "./mrkdwn.js";

/** Resolves to true when the user confirms, false when they cancel. */
export function confirmDialog(confirm) {
  return new Promise((resolve) => {
    const done = (answer) => {
      document.removeEventListener("keydown", onKey, true);
      overlay.remove();
      resolve(answer);
    };
    const onKey = (e) => {
      if (e.key === "Escape") {
        e.stopPropagation();
        done(false);
      }
    };
    const titleId = `confirm-${Date.now()}`;
    const yes = h(
      "button",
      {
        type: "button",
        class: `btn ${confirm.style === "danger" ? "btn-danger" : "btn-primary"}`,
        onclick: () => done(true),
      },
      plainOf(confirm.confirm) || "Yes",
    );
    const overlay = h(
      "div",
      { class: "overlay confirm-overlay" },
      h(
        "div",
        {
          class: "dialog confirm",
          role: "alertdialog",
          "aria-modal": "true",
          "aria-labelledby": titleId,
        },
        h("h2", { id: titleId, class: "confirm-title" }, plainOf(confirm.title) || "Are you sure?"),
        h("p", {}, renderText(confirm.text)),
        h(
          "div",
          { class: "dialog-buttons" },
          h(
            "button",
            { type: "button", class: "btn", onclick: () => done(false) },
            plainOf(confirm.deny) || "Cancel",
          ),
          yes,
        ),
      ),
    );
    document.addEventListener("keydown", onKey, true);
    document.body.append(overlay);
    yes.focus();
  });
}

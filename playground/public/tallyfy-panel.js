// The sidebar's "Tallyfy" panel: the sandbox's open tasks of active processes, each completed
// as its assignee would in Tallyfy's web app. Tallyfy's webhook then reaches the bot, which
// redraws the cards in place and DMs the next assignee: nothing on the page is changed here.
import { h } from "./dom.js";

/** panel: { processes, moreProcesses } from /play/state, or null (real Tallyfy: no panel). */
export function renderTallyfyPanel(panel, complete) {
  if (!panel) return [];
  const heading = h("h2", {}, "Tallyfy (sandbox)");
  const help = h(
    "p",
    { class: "panel-help" },
    "Complete a task as its assignee, as in Tallyfy: cards update live and the next assignee gets a DM.",
  );
  if (!panel.processes.length)
    return [heading, help, h("p", { class: "panel-help" }, "No open tasks.")];
  const processes = panel.processes.map((p) =>
    h(
      "li",
      { class: "panel-process", dataset: { run: p.id } },
      h("div", { class: "panel-process-name", title: p.template }, p.name),
      h("div", { class: "panel-progress" }, `${p.done} of ${p.total} tasks done`),
      h(
        "ul",
        {},
        p.tasks.map((t) => taskItem(t, complete)),
      ),
      p.moreTasks ? h("div", { class: "panel-more" }, `+${p.moreTasks} more open`) : null,
    ),
  );
  return [
    heading,
    help,
    h("ul", { class: "panel-processes" }, processes),
    panel.moreProcesses
      ? h("p", { class: "panel-more" }, `${panel.moreProcesses} more active processes`)
      : null,
  ];
}

function taskItem(t, complete) {
  const verb = t.type === "approval" ? "Approve" : "Complete";
  const who = t.as ? t.as.name : "admin";
  const button = h(
    "button",
    {
      type: "button",
      class: "btn panel-complete",
      disabled: Boolean(t.blocked),
      title: t.blocked ? `Tallyfy would refuse: ${t.blocked}` : null,
      onclick: async (e) => {
        const el = e.currentTarget;
        el.disabled = true;
        el.classList.add("busy");
        try {
          await complete(t);
        } finally {
          el.disabled = false;
          el.classList.remove("busy");
        }
      },
    },
    `${verb} as ${who}`,
  );
  return h(
    "li",
    { class: "panel-task", dataset: { task: t.id } },
    h("span", { class: "panel-task-title" }, t.title),
    button,
  );
}

// The page: user switcher, channel sidebar, message list, composer and the open modal, all
// redrawn from /play/state whenever the fake Slack reports a change (Server-Sent Events).
import { renderBlocks } from "./blocks.js";
import { h, post, toast } from "./dom.js";
import { createModalHost } from "./modal.js";
import { directory, renderMrkdwn } from "./mrkdwn.js";
import { renderComposerPreview, renderHomeTab, renderUnfurls } from "./surfaces.js";
import { renderTallyfyPanel } from "./tallyfy-panel.js";

const params = new URLSearchParams(location.search);
let me = params.get("user") || "U0ALICE";
let channel = params.get("channel") || "";
/** In the app's DM: its Home tab or its Messages tab. */
let tab = params.get("tab") === "home" ? "home" : "messages";
/** Links typed in the composer and shared with the app (its unfurl_id). */
let composerId = "";
let state = null;
let seq = 0;
/** Messages only this page shows (Slackbot's answers to what the app never saw). */
const notes = [];
const dismissed = new Set();

const $ = (id) => document.getElementById(id);
const list = $("messages");
const modal = createModalHost({ root: $("modal-root"), me: () => me, channel: () => channel });

async function refresh() {
  const mine = ++seq;
  const res = await fetch(
    `/play/state?user=${encodeURIComponent(me)}&channel=${encodeURIComponent(channel)}&composer=${encodeURIComponent(composerId)}`,
  ).catch(() => null);
  if (!res) return; // the playground stopped; EventSource reconnects and refreshes again
  if (!res.ok) {
    toast(`Could not load the workspace (HTTP ${res.status}).`);
    return;
  }
  const next = await res.json();
  if (mine !== seq) return;
  state = next;
  channel = state.channel;
  history.replaceState(
    null,
    "",
    `?user=${me}&channel=${channel}${tab === "home" ? "&tab=home" : ""}`,
  );
  directory.users = new Map(state.users.map((u) => [u.id, u]));
  directory.channels = new Map(state.channels.map((c) => [c.id, c]));
  renderSidebar();
  $("tallyfy-panel").replaceChildren(...renderTallyfyPanel(state.tallyfy, completeTask));
  renderMessages();
  renderTabs();
  $("composer-preview").replaceChildren(...renderComposerPreview(state.composer));
  modal.show(state.view);
}

/** The app's DM has two tabs; Home replaces the messages and the composer. */
function renderTabs() {
  const current = directory.channels.get(channel);
  const onHome = Boolean(current?.isIm) && tab === "home";
  $("tabs").hidden = !current?.isIm;
  for (const b of $("tabs").querySelectorAll(".tab")) {
    const selected = b.dataset.tab === (onHome ? "home" : "messages");
    b.classList.toggle("current", selected);
    b.setAttribute("aria-pressed", String(selected));
  }
  $("home").hidden = !onHome;
  $("messages").hidden = onHome;
  $("composer").hidden = onHome;
  document.querySelector(".composer-hint").hidden = onHome;
  if (onHome) {
    $("empty").hidden = true;
    $("home").replaceChildren(renderHomeTab(state.home, me));
  }
}

async function openTab(next) {
  tab = next;
  if (tab === "home") {
    const answer = await post("/play/home", { user: me });
    if (!answer.ok) toast(answer.error ?? "The app did not answer.");
  }
  await refresh();
}

for (const b of $("tabs").querySelectorAll(".tab")) {
  b.addEventListener("click", () => void openTab(b.dataset.tab));
}

/** The Tallyfy panel's button: the sandbox completes the task and sends its webhooks. */
async function completeTask(task) {
  const answer = await post("/play/tallyfy/complete", { taskId: task.id });
  if (!answer.ok) toast(answer.error ?? "Tallyfy did not complete the task.");
  else {
    const who = task.as ? task.as.name : "an admin";
    toast(`Completed in Tallyfy as ${who}. Switch user to see the next assignee's DM.`, "info");
  }
  await refresh();
}

let pending;
function scheduleRefresh() {
  clearTimeout(pending);
  pending = setTimeout(() => void refresh(), 25);
}

function renderSidebar() {
  const users = $("user");
  if (!users.options.length) {
    for (const id of state.players) {
      const u = directory.users.get(id);
      users.append(h("option", { value: id }, u ? u.realName : id));
    }
  }
  users.value = me;
  const item = (c) =>
    h(
      "li",
      {},
      h(
        "a",
        {
          href: `?user=${me}&channel=${c.id}`,
          class: c.id === channel ? "current" : null,
          "aria-current": c.id === channel ? "page" : null,
          onclick: (e) => {
            e.preventDefault();
            channel = c.id;
            void refresh();
          },
        },
        h("span", { class: "sigil" }, c.isIm ? "●" : c.isPrivate ? "🔒" : "#"),
        c.name,
      ),
    );
  $("channels").replaceChildren(...state.channels.filter((c) => !c.isIm && c.member).map(item));
  $("dms").replaceChildren(...state.channels.filter((c) => c.isIm).map(item));
  const current = directory.channels.get(channel);
  const title = current
    ? current.isIm
      ? current.name
      : `${current.isPrivate ? "🔒" : "#"} ${current.name}`
    : "";
  $("channel-title").textContent = title;
  $("channel-note").textContent = current?.isIm
    ? "Your direct messages with the Tallyfy app"
    : current?.botMember
      ? "The Tallyfy app is in this channel"
      : "The Tallyfy app is not in this channel (it joins public channels when it posts)";
  $("composer-input").placeholder = current
    ? `Message ${current.isIm ? current.name : `#${current.name}`} — try /tallyfy help`
    : "";
}

/** Keyed redraw: a message's DOM is rebuilt only when it changed (in-place updates flash). */
function renderMessages() {
  const wasAtBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const items = [...state.messages, ...notes.filter((n) => n.channel === channel)]
    .filter((m) => !dismissed.has(m.ts))
    .sort((a, b) => Number(a.ts) - Number(b.ts));
  const existing = new Map([...list.children].map((el) => [el.dataset.ts, el]));
  let added = false;
  const nodes = items.map((m) => {
    const key = JSON.stringify([m.text, m.blocks, m.edited, m.unfurls]);
    const old = existing.get(m.ts);
    if (old && old.dataset.key === key) return old;
    const el = renderMessage(m);
    el.dataset.key = key;
    if (old) el.classList.add("flash");
    else added = true;
    return el;
  });
  list.replaceChildren(...nodes);
  $("empty").hidden = nodes.length > 0;
  if (added || wasAtBottom) list.scrollTop = list.scrollHeight;
}

function renderMessage(m) {
  const author = m.bot
    ? { realName: "Tallyfy", name: "tallyfy" }
    : (directory.users.get(m.user) ?? { realName: m.user ?? "Slackbot" });
  const name = m.user === "USLACKBOT" ? "Slackbot" : author.realName || author.name;
  const time = new Date(Number(m.ts) * 1000).toLocaleTimeString([], {
    hour: "numeric",
    minute: "2-digit",
  });
  const surface = {
    kind: "message",
    channel,
    stateOf: () => undefined,
    act: async (block, element, payload) => {
      const answer = await post("/play/click", {
        user: me,
        channel: m.channel ?? channel,
        ts: m.ts,
        blockId: block.block_id,
        actionId: element.action_id,
        ...payload,
      });
      if (!answer.ok) toast(answer.error ?? "Something went wrong.");
    },
    suggest: async (block, element, query) => {
      const answer = await post("/play/suggest", {
        user: me,
        channel,
        ts: m.ts,
        blockId: block.block_id,
        actionId: element.action_id,
        value: query,
      });
      return answer.ok ? answer : { hint: answer.error };
    },
  };
  const content = m.blocks?.length
    ? renderBlocks(m.blocks, surface)
    : h("div", { class: "message-text" }, renderMrkdwn(m.text ?? ""));
  return h(
    "article",
    {
      class: `message${m.ephemeral ? " ephemeral" : ""}`,
      dataset: { ts: m.ts, ephemeral: String(m.ephemeral) },
    },
    // Slack offers message shortcuts on messages everyone sees, not on ephemeral ones.
    m.ephemeral || m.user === "USLACKBOT" ? null : messageActions(m),
    h(
      "div",
      { class: `avatar${m.bot ? " avatar-bot" : ""}`, "aria-hidden": "true" },
      name.charAt(0).toUpperCase(),
    ),
    h(
      "div",
      { class: "message-main" },
      m.ephemeral
        ? h(
            "div",
            { class: "ephemeral-note" },
            "👁 Only visible to you",
            h(
              "button",
              {
                type: "button",
                class: "link-button",
                onclick: () => {
                  dismissed.add(m.ts);
                  renderMessages();
                },
              },
              "Dismiss",
            ),
          )
        : null,
      h(
        "div",
        { class: "message-meta" },
        h("strong", {}, name),
        m.bot ? h("span", { class: "app-badge" }, "APP") : null,
        h("time", {}, time),
        m.edited ? h("span", { class: "edited" }, "(edited)") : null,
        m.threadTs && m.threadTs !== m.ts
          ? h("span", { class: "edited" }, "· replied in a thread")
          : null,
      ),
      content,
      renderUnfurls(m.unfurls, async (url, block, element, payload) => {
        const answer = await post("/play/click", {
          user: me,
          channel: m.channel ?? channel,
          ts: m.ts,
          unfurl: url,
          blockId: block.block_id,
          actionId: element.action_id,
          ...payload,
        });
        if (!answer.ok) toast(answer.error ?? "Something went wrong.");
      }),
    ),
  );
}

/** The "More actions" (⋯) menu on a message: the app's message shortcuts (manifest.yml). */
function messageActions(m) {
  const shortcuts = state.shortcuts ?? [];
  if (!shortcuts.length) return null;
  const menu = h("ul", { class: "overflow-menu", role: "menu", hidden: true });
  const toggle = h(
    "button",
    {
      type: "button",
      class: "btn btn-overflow",
      // Not "More actions": that is the accessible name of overflow menus inside messages.
      "aria-label": "Message actions",
      "aria-haspopup": "menu",
      title: "More actions",
    },
    "⋯",
  );
  for (const shortcut of shortcuts) {
    const item = h("li", { role: "menuitem", tabindex: "-1" }, shortcut.name);
    item.addEventListener("mousedown", async (ev) => {
      ev.preventDefault();
      menu.hidden = true;
      const answer = await post("/play/shortcut", {
        user: me,
        channel,
        ts: m.ts,
        callbackId: shortcut.callbackId,
      });
      if (!answer.ok) toast(answer.error ?? `${shortcut.name} failed.`);
    });
    menu.append(item);
  }
  menu.prepend(h("li", { class: "menu-heading", role: "presentation" }, "Tallyfy"));
  toggle.addEventListener("click", () => {
    menu.hidden = !menu.hidden;
  });
  toggle.addEventListener("blur", () => {
    menu.hidden = true;
  });
  return h("div", { class: "message-actions overflow" }, toggle, menu);
}

function note(text) {
  notes.push({
    channel,
    ts: (Date.now() / 1000).toFixed(6),
    user: "USLACKBOT",
    text,
    blocks: [],
    ephemeral: true,
  });
  renderMessages();
}

$("composer").addEventListener("submit", async (e) => {
  e.preventDefault();
  const input = $("composer-input");
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  composerId = "";
  $("composer-preview").replaceChildren();
  if (!text.startsWith("/")) {
    const said = await post("/play/say", { user: me, channel, text });
    if (!said.ok) note(said.error ?? "The message couldn't be sent.");
    return;
  }
  const answer = await post("/play/command", { user: me, channel, text });
  if (!answer.ok) note(answer.error ?? `${text.split(/\s/)[0]} failed.`);
});

// Links typed in the composer are shared with the app before the message is sent (Slack's
// composer unfurls): once typing pauses, if the text has a link the preview is asked for.
let typing;
let lastComposed = "";
$("composer-input").addEventListener("input", (e) => {
  clearTimeout(typing);
  const text = e.target.value;
  typing = setTimeout(async () => {
    if (text.startsWith("/") || !/https?:\/\/\S/.test(text) || text === lastComposed) {
      if (!/https?:\/\/\S/.test(text)) {
        composerId = "";
        $("composer-preview").replaceChildren();
      }
      return;
    }
    lastComposed = text;
    const answer = await post("/play/compose", { user: me, channel, text });
    if (answer.ok && answer.unfurlId) {
      composerId = answer.unfurlId;
      scheduleRefresh();
    }
  }, 300);
});

$("composer-input").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey) {
    e.preventDefault();
    $("composer").requestSubmit();
  }
});

$("user").addEventListener("change", (e) => {
  me = e.target.value;
  composerId = "";
  void refresh();
});

const events = new EventSource("/play/events");
events.addEventListener("message", scheduleRefresh);
events.addEventListener("open", scheduleRefresh);
void refresh();

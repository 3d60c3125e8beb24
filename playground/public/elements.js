// Block Kit interactive elements. Each returns { el, get? }: get() gives the element's value
// as Slack puts it in state.values, so one element works in actions blocks (sent at once)
// and in input blocks (collected on submit).
import { confirmDialog } from "./confirm.js";
import { h, safeUrl } from "./dom.js";
import { directory, plainOf, renderText } from "./mrkdwn.js";
import { filterOptions, picker } from "./picker.js";

/**
 * @param block the block holding the element
 * @param e the element
 * @param surface { kind, channel, stateOf(blockId, actionId), act(block, e, payload), suggest(block, e, query) }
 * @param dispatch whether a change is sent to the app at once (actions, accessories, dispatch_action)
 */
export function renderElement(block, e, surface, dispatch) {
  const state = surface.stateOf(block.block_id, e.action_id);
  const changed = (get) => () => {
    if (dispatch) void surface.act(block, e, { kind: "select", selection: get() });
  };
  const make = BUILDERS[e.type];
  if (!make) return { el: h("span", { class: "unsupported" }, `[${e.type}]`) };
  const field = make(e, state, { block, surface, changed, dispatch });
  field.el.dataset.actionId = e.action_id ?? "";
  field.el.dataset.type = e.type;
  return field;
}

const BUILDERS = {
  button: (e, _state, { block, surface }) => {
    const el = h(
      "button",
      { type: "button", class: `btn${e.style ? ` btn-${e.style}` : ""}` },
      plainOf(e.text),
    );
    el.addEventListener("click", async () => {
      if (e.confirm && !(await confirmDialog(e.confirm))) return;
      if (safeUrl(e.url)) window.open(e.url, "_blank", "noopener");
      el.disabled = true;
      el.classList.add("busy");
      try {
        await surface.act(block, e, { kind: "button", value: e.value });
      } finally {
        el.disabled = false;
        el.classList.remove("busy");
      }
    });
    return { el };
  },

  overflow: (e, _state, { block, surface }) => {
    const menu = h("ul", { class: "overflow-menu", role: "menu", hidden: true });
    const toggle = h(
      "button",
      {
        type: "button",
        class: "btn btn-overflow",
        "aria-label": "More actions",
        "aria-haspopup": "menu",
      },
      "⋯",
    );
    const el = h("span", { class: "overflow" }, toggle, menu);
    for (const opt of e.options ?? []) {
      const item = h("li", { role: "menuitem", tabindex: "-1" }, plainOf(opt.text));
      item.addEventListener("mousedown", async (ev) => {
        ev.preventDefault();
        menu.hidden = true;
        if (e.confirm && !(await confirmDialog(e.confirm))) return;
        if (safeUrl(opt.url)) window.open(opt.url, "_blank", "noopener");
        await surface.act(block, e, {
          kind: "select",
          selection: { selected_option: option(opt) },
        });
      });
      menu.append(item);
    }
    toggle.addEventListener("click", () => {
      menu.hidden = !menu.hidden;
    });
    toggle.addEventListener("blur", () => {
      menu.hidden = true;
    });
    return { el };
  },

  static_select: (e, state, ctx) => selectField(e, state, ctx, staticLoader(e)),
  multi_static_select: (e, state, ctx) => selectField(e, state, ctx, staticLoader(e)),
  external_select: (e, state, ctx) => selectField(e, state, ctx, externalLoader(e, ctx)),
  multi_external_select: (e, state, ctx) => selectField(e, state, ctx, externalLoader(e, ctx)),
  users_select: (e, state, ctx) => selectField(e, state, ctx, listLoader(userOptions)),
  multi_users_select: (e, state, ctx) => selectField(e, state, ctx, listLoader(userOptions)),
  conversations_select: (e, state, ctx) =>
    selectField(
      e,
      state,
      ctx,
      listLoader(() => channelOptions(e)),
    ),
  multi_conversations_select: (e, state, ctx) =>
    selectField(
      e,
      state,
      ctx,
      listLoader(() => channelOptions(e)),
    ),
  channels_select: (e, state, ctx) =>
    selectField(
      e,
      state,
      ctx,
      listLoader(() => channelOptions(e, true)),
    ),
  multi_channels_select: (e, state, ctx) =>
    selectField(
      e,
      state,
      ctx,
      listLoader(() => channelOptions(e, true)),
    ),

  plain_text_input: (e, state, ctx) => textField(e, state, ctx, e.multiline ? "textarea" : "text"),
  email_text_input: (e, state, ctx) => textField(e, state, ctx, "email"),
  url_text_input: (e, state, ctx) => textField(e, state, ctx, "url"),
  number_input: (e, state, ctx) => textField(e, state, ctx, "number"),
  rich_text_input: (e, state, ctx) => textField(e, state, ctx, "textarea"),

  datepicker: (e, state, { changed }) => {
    const el = h("input", {
      type: "date",
      class: "input",
      value: state?.selected_date ?? e.initial_date ?? "",
    });
    const get = () => ({ type: e.type, selected_date: el.value || null });
    el.addEventListener("change", changed(get));
    return { el, get };
  },
  timepicker: (e, state, { changed }) => {
    const el = h("input", {
      type: "time",
      class: "input",
      value: state?.selected_time ?? e.initial_time ?? "",
    });
    const get = () => ({ type: e.type, selected_time: el.value || null });
    el.addEventListener("change", changed(get));
    return { el, get };
  },
  datetimepicker: (e, state, { changed }) => {
    const epoch = state?.selected_date_time ?? e.initial_date_time;
    const el = h("input", {
      type: "datetime-local",
      class: "input",
      value: epoch ? localDateTime(epoch) : "",
    });
    const get = () => ({
      type: e.type,
      selected_date_time: el.value ? Math.floor(new Date(el.value).getTime() / 1000) : null,
    });
    el.addEventListener("change", changed(get));
    return { el, get };
  },

  radio_buttons: (e, state, ctx) => choiceField(e, state, ctx, "radio"),
  checkboxes: (e, state, ctx) => choiceField(e, state, ctx, "checkbox"),

  image: (e) => ({
    el: h("img", { class: "element-image", src: e.image_url, alt: e.alt_text ?? "" }),
  }),
};

function selectField(e, state, { changed, surface }, load) {
  const multi = e.type.startsWith("multi_");
  const p = picker({
    multi,
    placeholder: e.placeholder
      ? plainOf(e.placeholder)
      : multi
        ? "Select options"
        : "Select an option",
    initial: initialOptions(e, state, surface.channel),
    load,
    onChange: () => changed(get)(),
  });
  const get = () => selectState(e, p.selected());
  return { el: p.el, get };
}

const staticLoader = (e) => async (query) => {
  if (e.option_groups) {
    const optionGroups = e.option_groups
      .map((g) => ({ label: g.label, options: filterOptions(g.options ?? [], query) }))
      .filter((g) => g.options.length);
    return { optionGroups };
  }
  return { options: filterOptions(e.options ?? [], query) };
};

const externalLoader =
  (e, { block, surface }) =>
  async (query) => {
    const min = e.min_query_length ?? 3;
    if (query.length < min)
      return { hint: `Type at least ${min} character${min === 1 ? "" : "s"} to search` };
    return surface.suggest(block, e, query);
  };

const listLoader = (all) => async (query) => ({ options: filterOptions(all(), query) });

function userOptions() {
  return [...directory.users.values()]
    .filter((u) => !u.isBot)
    .map((u) => option({ text: { type: "plain_text", text: u.realName || u.name }, value: u.id }));
}

function channelOptions(e, publicOnly = false) {
  const include = e.filter?.include;
  const kind = (c) => (c.isIm ? "im" : c.isPrivate ? "private" : "public");
  return [...directory.channels.values()]
    .filter((c) => (publicOnly ? kind(c) === "public" : !include || include.includes(kind(c))))
    .map((c) =>
      option({ text: { type: "plain_text", text: c.isIm ? c.name : `#${c.name}` }, value: c.id }),
    );
}

/** What a select starts with: its state if the view has one, else initial_*. */
function initialOptions(e, state, currentChannel) {
  const user = (id) =>
    userOptions().find((o) => o.value === id) ??
    option({ text: { type: "plain_text", text: id }, value: id });
  const channel = (id) =>
    channelOptions(e).find((o) => o.value === id) ??
    option({ text: { type: "plain_text", text: id }, value: id });
  const list = (v) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const kind = e.type.replace(/^multi_/, "");
  if (kind === "users_select")
    return list(
      state ? (state.selected_user ?? state.selected_users) : (e.initial_user ?? e.initial_users),
    ).map(user);
  if (kind === "conversations_select" || kind === "channels_select") {
    const key = kind === "channels_select" ? "channel" : "conversation";
    const fromState = state ? (state[`selected_${key}`] ?? state[`selected_${key}s`]) : undefined;
    const initial = e[`initial_${key}`] ?? e[`initial_${key}s`];
    const current = e.default_to_current_conversation ? currentChannel : undefined;
    return list(state ? fromState : (initial ?? current)).map(channel);
  }
  const chosen = state
    ? (state.selected_option ?? state.selected_options)
    : (e.initial_option ?? e.initial_options);
  return list(chosen).map(option);
}

function selectState(e, selected) {
  const multi = e.type.startsWith("multi_");
  const kind = e.type.replace(/^multi_/, "");
  const ids = selected.map((o) => o.value);
  const key = {
    users_select: "user",
    conversations_select: "conversation",
    channels_select: "channel",
  }[kind];
  if (key)
    return multi
      ? { type: e.type, [`selected_${key}s`]: ids }
      : { type: e.type, [`selected_${key}`]: ids[0] ?? null };
  return multi
    ? { type: e.type, selected_options: selected.map(option) }
    : { type: e.type, selected_option: selected[0] ? option(selected[0]) : null };
}

function textField(e, state, { block, surface, dispatch }, kind) {
  const initial = state ? (state.value ?? "") : (e.initial_value ?? "");
  const props = {
    class: "input",
    placeholder: e.placeholder ? plainOf(e.placeholder) : null,
    maxlength: e.max_length ?? null,
    value: typeof initial === "string" ? initial : "",
  };
  const el =
    kind === "textarea"
      ? h("textarea", { ...props, rows: 4 })
      : h("input", {
          ...props,
          type: kind,
          step: kind === "number" ? (e.is_decimal_allowed ? "any" : "1") : null,
          min: e.min_value ?? null,
          max: e.max_value ?? null,
        });
  const get = () => ({ type: e.type, value: el.value === "" ? null : el.value });
  if (dispatch) {
    const triggers = e.dispatch_action_config?.trigger_actions_on ?? ["on_enter_pressed"];
    const send = () => void surface.act(block, e, { kind: "select", selection: get() });
    if (triggers.includes("on_enter_pressed")) {
      el.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" && !ev.shiftKey) {
          ev.preventDefault();
          send();
        }
      });
    }
    if (triggers.includes("on_character_entered")) {
      let timer;
      el.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(send, 300);
      });
    }
  }
  return { el, get };
}

function choiceField(e, state, { changed }, kind) {
  const name = `${kind}-${Math.random().toString(36).slice(2)}`;
  const chosen = state
    ? state.selected_option
      ? [state.selected_option]
      : (state.selected_options ?? [])
    : e.initial_option
      ? [e.initial_option]
      : (e.initial_options ?? []);
  const inputs = [];
  const el = h("div", { class: "choices", role: kind === "radio" ? "radiogroup" : "group" });
  for (const opt of e.options ?? []) {
    const input = h("input", {
      type: kind,
      name,
      value: opt.value,
      checked: chosen.some((c) => c.value === opt.value),
    });
    inputs.push({ input, opt });
    el.append(
      h(
        "label",
        { class: "choice" },
        input,
        h(
          "span",
          {},
          renderText(opt.text),
          opt.description
            ? h("small", { class: "choice-description" }, renderText(opt.description))
            : null,
        ),
      ),
    );
  }
  const picked = () => inputs.filter((i) => i.input.checked).map((i) => option(i.opt));
  const get = () =>
    kind === "radio"
      ? { type: e.type, selected_option: picked()[0] ?? null }
      : { type: e.type, selected_options: picked() };
  el.addEventListener("change", changed(get));
  return { el, get };
}

/** An option as Slack echoes it in state and payloads. */
function option(o) {
  return {
    text: o.text,
    value: o.value,
    ...(o.description ? { description: o.description } : {}),
  };
}

function localDateTime(epoch) {
  const d = new Date(epoch * 1000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

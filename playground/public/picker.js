// One searchable dropdown for every select: static, external (asks the bot), users and
// conversations, single or multi. Options are Block Kit option objects ({ text, value }).
import { h } from "./dom.js";
import { plainOf } from "./mrkdwn.js";

let nextId = 0;

/**
 * @param {object} o
 * @param {boolean} o.multi
 * @param {string} o.placeholder
 * @param {object[]} o.initial selected options
 * @param {(query: string) => Promise<{ options?: object[], optionGroups?: object[], hint?: string }>} o.load
 * @param {(selected: object[]) => void} [o.onChange]
 */
export function picker(o) {
  const id = `picker-${++nextId}`;
  let selected = [...o.initial];
  let shown = [];
  let active = -1;
  let timer;
  let loadSeq = 0;

  const input = h("input", {
    class: "picker-input",
    type: "text",
    role: "combobox",
    autocomplete: "off",
    "aria-expanded": "false",
    "aria-controls": id,
    placeholder: o.placeholder || "Select an option",
  });
  const chips = h("span", { class: "picker-chips" });
  const menu = h("ul", { class: "picker-menu", role: "listbox", id, hidden: true });
  const root = h(
    "div",
    { class: `picker${o.multi ? " picker-multi" : ""}` },
    h(
      "div",
      { class: "picker-control", onclick: () => input.focus() },
      chips,
      input,
      h("span", { class: "picker-caret" }, "▾"),
    ),
    menu,
  );

  const labelOf = (opt) => plainOf(opt.text);
  const showSelection = () => {
    chips.replaceChildren();
    if (o.multi) {
      for (const opt of selected) {
        const remove = h(
          "button",
          {
            type: "button",
            class: "chip-remove",
            "aria-label": `Remove ${labelOf(opt)}`,
            onclick: (e) => {
              e.stopPropagation();
              selected = selected.filter((s) => s.value !== opt.value);
              showSelection();
              o.onChange?.(selected);
            },
          },
          "×",
        );
        chips.append(h("span", { class: "chip" }, labelOf(opt), remove));
      }
      input.value = "";
      input.placeholder = selected.length ? "" : o.placeholder || "Select options";
    } else {
      input.value = selected[0] ? labelOf(selected[0]) : "";
    }
  };

  const close = () => {
    menu.hidden = true;
    input.setAttribute("aria-expanded", "false");
    active = -1;
  };

  const choose = (opt) => {
    if (o.multi) {
      if (!selected.some((s) => s.value === opt.value)) selected = [...selected, opt];
    } else selected = [opt];
    close();
    showSelection();
    if (!o.multi) input.blur();
    o.onChange?.(selected);
  };

  const highlight = (i) => {
    const items = [...menu.querySelectorAll("[role=option]")];
    active = Math.max(-1, Math.min(i, items.length - 1));
    for (const [j, el] of items.entries()) el.classList.toggle("active", j === active);
    items[active]?.scrollIntoView({ block: "nearest" });
  };

  const optionItem = (opt) => {
    shown.push(opt);
    const isSelected = selected.some((s) => s.value === opt.value);
    return h(
      "li",
      {
        role: "option",
        "aria-selected": String(isSelected),
        class: isSelected ? "selected" : null,
        onmousedown: (e) => {
          e.preventDefault();
          choose(opt);
        },
      },
      labelOf(opt),
      opt.description ? h("small", {}, plainOf(opt.description)) : null,
    );
  };

  const renderMenu = (result) => {
    shown = [];
    menu.replaceChildren();
    if (result.hint) menu.append(h("li", { class: "picker-note" }, result.hint));
    for (const group of result.optionGroups ?? []) {
      menu.append(h("li", { class: "picker-group", role: "presentation" }, plainOf(group.label)));
      for (const opt of group.options ?? []) menu.append(optionItem(opt));
    }
    for (const opt of result.options ?? []) menu.append(optionItem(opt));
    if (!result.hint && shown.length === 0)
      menu.append(h("li", { class: "picker-note" }, "No results"));
    highlight(0);
  };

  const open = async (query) => {
    menu.hidden = false;
    input.setAttribute("aria-expanded", "true");
    const seq = ++loadSeq;
    menu.replaceChildren(h("li", { class: "picker-note" }, "Loading…"));
    let result;
    try {
      result = await o.load(query);
    } catch (e) {
      result = { hint: `Could not load options: ${e.message}` };
    }
    if (seq === loadSeq && !menu.hidden) renderMenu(result);
  };

  input.addEventListener("focus", () => {
    if (!o.multi) input.select();
    void open("");
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => void open(input.value), 200);
  });
  input.addEventListener("blur", () => {
    clearTimeout(timer);
    close();
    showSelection();
  });
  input.addEventListener("keydown", (e) => {
    if (menu.hidden) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      highlight(active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (shown[active]) choose(shown[active]);
    } else if (e.key === "Escape") {
      e.stopPropagation();
      close();
    } else if (e.key === "Backspace" && o.multi && input.value === "" && selected.length) {
      selected = selected.slice(0, -1);
      showSelection();
      o.onChange?.(selected);
    }
  });

  showSelection();
  return { el: root, selected: () => selected };
}

/** Filter options by a typed query, the way Slack's client filters static menus. */
export function filterOptions(options, query) {
  const q = query.trim().toLowerCase();
  return q ? options.filter((opt) => plainOf(opt.text).toLowerCase().includes(q)) : options;
}

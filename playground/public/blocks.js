// Block Kit layout blocks: header, section (text, fields, accessory), context, divider,
// actions, input, image, rich_text. Unknown blocks show as a placeholder, never break the page.
import { h, safeUrl } from "./dom.js";
import { renderElement } from "./elements.js";
import { plainOf, renderMrkdwn, renderText } from "./mrkdwn.js";

/**
 * @param blocks Block Kit blocks
 * @param surface see elements.js; plus register(block, element, field) for input blocks
 */
export function renderBlocks(blocks, surface) {
  const root = h("div", { class: "blocks" });
  for (const block of blocks ?? []) {
    const el = renderBlock(block, surface);
    el.classList.add("block", `block-${block.type}`);
    if (block.block_id) el.dataset.blockId = block.block_id;
    root.append(el);
  }
  return root;
}

function renderBlock(block, surface) {
  switch (block.type) {
    case "header":
      return h("h3", {}, plainOf(block.text));
    case "divider":
      return h("hr");
    case "section":
      return section(block, surface);
    case "context":
      return h(
        "div",
        {},
        (block.elements ?? []).map((e) =>
          e.type === "image"
            ? h("img", { class: "context-image", src: e.image_url, alt: e.alt_text ?? "" })
            : h("span", { class: "context-item" }, renderText(e)),
        ),
      );
    case "actions":
      return h(
        "div",
        {},
        (block.elements ?? []).map((e) => renderElement(block, e, surface, true).el),
      );
    case "input":
      return input(block, surface);
    case "image":
      return h(
        "figure",
        {},
        block.title ? h("figcaption", {}, plainOf(block.title)) : null,
        h("img", { src: block.image_url, alt: block.alt_text ?? "" }),
      );
    case "rich_text":
      return h("div", {}, richText(block.elements ?? []));
    case "markdown":
      return h("div", {}, renderMrkdwn(block.text ?? ""));
    default:
      return h("div", { class: "unsupported" }, `[unsupported block: ${block.type}]`);
  }
}

function section(block, surface) {
  const body = h("div", { class: "section-body" });
  if (block.text) body.append(h("div", { class: "section-text" }, renderText(block.text)));
  if (block.fields?.length) {
    body.append(
      h(
        "div",
        { class: "section-fields" },
        block.fields.map((f) => h("div", { class: "field" }, renderText(f))),
      ),
    );
  }
  const accessory = block.accessory
    ? h(
        "div",
        { class: "accessory" },
        renderElement(block, block.accessory, surface, block.accessory.type !== "image").el,
      )
    : null;
  return h("div", {}, body, accessory);
}

function input(block, surface) {
  const e = block.element ?? {};
  const field = renderElement(block, e, surface, Boolean(block.dispatch_action));
  if (field.get) surface.register?.(block, e, field);
  const labelId = `label-${block.block_id}`;
  const control =
    field.el.matches("input, textarea") || field.el.getAttribute("role")
      ? field.el
      : field.el.querySelector("input, textarea");
  control?.setAttribute("aria-labelledby", labelId);
  return h(
    "div",
    { dataset: { optional: block.optional ? "true" : "false" } },
    h(
      "label",
      { class: "input-label", id: labelId },
      plainOf(block.label),
      block.optional ? h("span", { class: "optional" }, " (optional)") : null,
    ),
    field.el,
    block.hint ? h("div", { class: "input-hint" }, plainOf(block.hint)) : null,
    h("div", { class: "input-error", role: "alert" }),
  );
}

/** Enough of rich_text for messages: sections, lists, quotes, preformatted text. */
function richText(elements) {
  return elements.map((el) => {
    const inner = () => (el.elements ?? []).map(richInline);
    switch (el.type) {
      case "rich_text_list":
        return h(
          el.style === "ordered" ? "ol" : "ul",
          {},
          (el.elements ?? []).map((item) => h("li", {}, richText([item]))),
        );
      case "rich_text_quote":
        return h("blockquote", {}, inner());
      case "rich_text_preformatted":
        return h("pre", { class: "code-block" }, inner());
      default:
        return h("div", {}, inner());
    }
  });
}

function richInline(el) {
  if (el.type === "link")
    return h("a", { href: safeUrl(el.url), target: "_blank", rel: "noopener" }, el.text ?? el.url);
  if (el.type === "user") return h("span", { class: "mention" }, renderMrkdwn(`<@${el.user_id}>`));
  if (el.type === "emoji") return renderMrkdwn(`:${el.name}:`);
  const text = el.text ?? "";
  const s = el.style ?? {};
  let node = s.code ? h("code", {}, text) : document.createTextNode(text);
  if (s.bold) node = h("b", {}, node);
  if (s.italic) node = h("i", {}, node);
  if (s.strike) node = h("s", {}, node);
  return node;
}

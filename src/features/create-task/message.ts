/**
 * What the shortcut's message says, as Slack markup: its `text`, or (blocks-only and bot
 * messages send none) the text of its blocks and attachments. Pure.
 */

// biome-ignore lint/suspicious/noExplicitAny: Slack messages are read defensively
type Json = Record<string, any>;

const str = (v: unknown): string => (typeof v === "string" ? v : "");
/** rich_text carries raw text; message text is escaped, so escape it the same way. */
const escapeLikeSlack = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** One rich_text element (text, link, mention, emoji…) as Slack markup. */
function richElement(e: Json): string {
  switch (e?.type) {
    case "text":
      return escapeLikeSlack(str(e.text));
    case "link":
      return e.text ? `<${str(e.url)}|${escapeLikeSlack(str(e.text))}>` : `<${str(e.url)}>`;
    case "user":
      return `<@${str(e.user_id)}>`;
    case "channel":
      return `<#${str(e.channel_id)}>`;
    case "usergroup":
      return `<!subteam^${str(e.usergroup_id)}>`;
    case "broadcast":
      return `<!${str(e.range)}>`;
    case "emoji":
      return `:${str(e.name)}:`;
    case "date":
      return escapeLikeSlack(str(e.fallback));
    default:
      return "";
  }
}

/** A rich_text block's sections, lists, quotes and preformatted parts, one per line. */
function richText(block: Json): string[] {
  const lines: string[] = [];
  for (const part of Array.isArray(block.elements) ? block.elements : []) {
    const inner: Json[] = Array.isArray(part?.elements) ? part.elements : [];
    if (part?.type === "rich_text_list") {
      for (const item of inner) {
        const words: Json[] = Array.isArray(item?.elements) ? item.elements : [];
        lines.push(`• ${words.map(richElement).join("")}`);
      }
    } else {
      lines.push(inner.map(richElement).join(""));
    }
  }
  return lines;
}

const textOf = (t: unknown): string => str((t as Json | undefined)?.text);

function blockLines(block: Json): string[] {
  switch (block?.type) {
    case "rich_text":
      return richText(block);
    case "header":
      return [textOf(block.text)];
    case "section":
      return [textOf(block.text), ...(Array.isArray(block.fields) ? block.fields.map(textOf) : [])];
    case "context":
      return (Array.isArray(block.elements) ? block.elements : []).map(textOf);
    default:
      return [];
  }
}

function attachmentLines(a: Json): string[] {
  const own = [str(a?.pretext), str(a?.title), str(a?.text)];
  const fields = Array.isArray(a?.fields)
    ? a.fields.map((f: Json) => [str(f?.title), str(f?.value)].filter(Boolean).join(": "))
    : [];
  const lines = [...own, ...fields].filter((l) => l.trim());
  return lines.length ? lines : [str(a?.fallback)];
}

const joined = (lines: string[]) =>
  lines
    .filter((l) => l.trim())
    .join("\n")
    .trim();

/** The message's words in Slack markup; "" when it has none (a file, an image). */
export function messageMarkup(message: Json | undefined): string {
  if (!message) return "";
  const text = str(message.text).trim();
  if (text) return text;
  const blocks = Array.isArray(message.blocks) ? message.blocks : [];
  const fromBlocks = joined(blocks.flatMap(blockLines));
  if (fromBlocks) return fromBlocks;
  const attachments = Array.isArray(message.attachments) ? message.attachments : [];
  return joined(attachments.flatMap(attachmentLines));
}

/** Slack user ids mentioned in markup (`<@U123>`), first `max` distinct. */
export function mentionedUsers(markup: string, max = 5): string[] {
  const ids = [...markup.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1] ?? "");
  return [...new Set(ids.filter(Boolean))].slice(0, max);
}

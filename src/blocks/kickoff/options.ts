/** A choice field's options as Slack options: one per id, chosen ones marked, searchable. Pure. */
import type { PlainTextOption } from "@slack/types";
import type { FieldOption, KickoffField } from "../../tallyfy/schemas.ts";
import { plainLine } from "../text.ts";
import { type FieldAnswer, OPTION_TEXT_MAX, OPTION_VALUE_MAX, STATIC_SELECT_MAX } from "./model.ts";

function slackOption(o: FieldOption): PlainTextOption {
  return {
    text: { type: "plain_text", text: plainLine(o.text, OPTION_TEXT_MAX) || "(blank)" },
    value: String(o.id).slice(0, OPTION_VALUE_MAX),
  };
}

/** Options as Slack shows them: one per id, in the template's order. */
function uniqueOptions(field: KickoffField): FieldOption[] {
  const seen = new Set<string>();
  return field.options.filter((o) => {
    const id = String(o.id);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function chosenIds(answer: FieldAnswer | undefined): string[] {
  if (answer?.kind === "option") return [answer.optionId];
  if (answer?.kind === "options") return answer.optionIds;
  return [];
}

/** Options in the field and those of them the answer chose (same objects, as Slack requires). */
export function optionsWithInitial(field: KickoffField, answer: FieldAnswer | undefined) {
  const options = uniqueOptions(field).map(slackOption);
  const chosen = new Set(chosenIds(answer));
  return { options, initial: options.filter((o) => chosen.has(o.value ?? "")) };
}

/** Up to 100 options whose text contains the query (case-insensitive), prefix matches first. */
export function searchFieldOptions(field: KickoffField, query: string): PlainTextOption[] {
  const q = query.trim().toLowerCase();
  const all = uniqueOptions(field);
  const starts: FieldOption[] = [];
  const contains: FieldOption[] = [];
  for (const o of all) {
    const text = o.text.toLowerCase();
    if (text.startsWith(q)) starts.push(o);
    else if (text.includes(q)) contains.push(o);
  }
  return [...starts, ...contains].slice(0, STATIC_SELECT_MAX).map(slackOption);
}

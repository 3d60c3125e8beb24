/** What an edit form asks to change, against the run as Tallyfy has it now. */
import {
  decodePrerun,
  editableInSlack,
  type FieldAnswer,
  mergePickedAssignees,
  prerunChanges,
} from "../../blocks/kickoff/index.ts";
import {
  NAME_MAX,
  type RunFormValues,
  readBackAs,
  SUMMARY_MAX,
} from "../../blocks/modals/run-form.ts";
import type { BotContext } from "../../slack/context.ts";
import { type FormPeople, mapFormPeople } from "../../slack/form-people.ts";
import type { WebClient } from "../../slack/web-client.ts";
import type { RunChanges, TallyfyApi } from "../../tallyfy/api.ts";
import type { KickoffField, Run } from "../../tallyfy/schemas.ts";

export interface EditedForm {
  fresh: Run;
  fields: KickoffField[];
  values: RunFormValues;
  answers: Record<string, FieldAnswer>;
  /** Tallyfy user id -> Slack user id, for the people the form showed. */
  slack: Map<number, string>;
}

/** The people a form names, as Tallyfy user ids; found before the run is read. */
export type MappedPeople = FormPeople;

/**
 * Slack people chosen in the form mapped to Tallyfy by email. Done before the run is re-read,
 * so nothing slow sits between that read and the PUT.
 */
export async function mapPeople(
  bot: BotContext,
  client: WebClient,
  api: TallyfyApi,
  fields: KickoffField[],
  values: RunFormValues,
  answers: Record<string, FieldAnswer>,
): Promise<MappedPeople> {
  const picks = fields.flatMap((field) => {
    const picked = answers[field.id];
    return field.field_type === "assignees_form" && picked?.kind === "slack_users"
      ? [{ fieldId: field.id, slackUserIds: picked.slackUserIds }]
      : [];
  });
  return mapFormPeople(bot, client, api, values.ownerSlackId, picks);
}

/** The form's values as changes against the fresh run. Pure. */
export function changesAgainst(form: EditedForm, people: MappedPeople): RunChanges {
  const { fresh, fields, values, answers, slack } = form;
  // A name or summary left as the form showed it is not sent: the form clips and trims what
  // it shows, and sending that back would cut the stored text.
  const changes: RunChanges = {
    ...(values.name !== readBackAs(fresh.name, NAME_MAX) ? { name: values.name } : {}),
    ...(values.summary !== readBackAs(fresh.summary, SUMMARY_MAX)
      ? { summary: values.summary }
      : {}),
    preventGuestComment: values.preventGuestComment ?? false,
    tags: values.tags.map((t) => t.id),
    ...(people.ownerId !== undefined ? { ownerId: people.ownerId } : {}),
  };
  const before = decodePrerun(fields, fresh.prerun);
  const after: Record<string, FieldAnswer | undefined> = { ...answers };
  for (const field of fields) {
    if (field.field_type !== "assignees_form" || !editableInSlack(field, before[field.id]))
      continue;
    const prior = before[field.id];
    const shown = prior?.kind === "assignees" ? prior.users.filter((u) => slack.has(u)) : [];
    after[field.id] = mergePickedAssignees(prior, people.picked[field.id] ?? [], shown);
  }
  const prerun = prerunChanges(fields, before, after);
  if (Object.keys(prerun).length > 0) changes.prerun = prerun;
  return changes;
}

/**
 * The PUT answers with a bare run (tags as ids, no next task). An edit changes neither tasks
 * nor tag titles, so those come from the run read just before; no extra request for the card.
 */
export function withDetails(
  updated: Run,
  fresh: Run,
  formTags: { id: string; title: string }[],
): Run {
  const titles = new Map<string, string>();
  for (const t of [...formTags, ...fresh.tags])
    if (t.title && t.title !== t.id) titles.set(t.id, t.title);
  return {
    ...updated,
    next_task: updated.next_task ?? fresh.next_task,
    tags: updated.tags.map((t) =>
      t.title === t.id ? { ...t, title: titles.get(t.id) ?? t.title } : t,
    ),
  };
}

export function assigneeIds(answers: Record<string, FieldAnswer>): number[] {
  return Object.values(answers).flatMap((a) => (a.kind === "assignees" ? a.users : []));
}

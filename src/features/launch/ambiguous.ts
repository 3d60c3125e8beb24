/**
 * After a launch that may have gone through (the POST was sent, the answer was a reset or a
 * 504), the next Launch looks for the process it may have created before launching again.
 */
import type { CallPolicy, LaunchInput, TallyfyApi } from "../../tallyfy/api.ts";
import type { Run } from "../../tallyfy/schemas.ts";

/** How far before the uncertain launch a created_at may be (clocks differ). */
export const CHECK_WINDOW_MS = 5 * 60_000;
/** Newest runs of the template with the name looked at. */
const CHECK_PAGE = 20;

export interface LaunchCheck {
  /** When the uncertain launch was tried (ms since the epoch). */
  since: number;
  /** The Tallyfy user who launched, when known (the run's started_by). */
  launcherId: number | null | undefined;
}

/** The run the uncertain launch created, if Tallyfy has one: same template, name, launcher. */
export async function findLaunched(
  api: TallyfyApi,
  input: Pick<LaunchInput, "checklistId" | "name">,
  check: LaunchCheck,
  policy: CallPolicy,
): Promise<Run | undefined> {
  const page = await api.runs.list(
    { checklistId: input.checklistId, q: input.name, sort: "-created_at", perPage: CHECK_PAGE },
    { policy },
  );
  const name = input.name.trim();
  const earliest = check.since - CHECK_WINDOW_MS;
  return page.items.find(
    (run) =>
      run.checklist_id === input.checklistId &&
      run.name.trim() === name &&
      (check.launcherId == null || run.started_by === check.launcherId) &&
      Date.parse(run.created_at ?? "") >= earliest,
  );
}

/** Launch, unless an earlier uncertain launch of this submission already created the run. */
export async function launchOrFind(
  api: TallyfyApi,
  input: LaunchInput,
  check: LaunchCheck | undefined,
  policy: CallPolicy,
): Promise<{ run: Run; found: boolean }> {
  if (check) {
    const found = await findLaunched(api, input, check, policy);
    if (found) return { run: found, found: true };
  }
  return { run: await api.runs.launch(input, { policy }), found: false };
}

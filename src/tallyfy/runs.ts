import type { CallOptions, RunsService } from "./api.ts";
import { noteSkipped, orgPath, type ServiceContext } from "./context.ts";
import { fieldId, runId, templateId } from "./ids.ts";
import { launchBody, listQuery, updateBody } from "./run-changes.ts";
import { itemEnvelope, listEnvelope, runSchema } from "./schemas.ts";

/** What a run's card needs: template, tasks, tags and the next task, plus kick-off values. */
export const RUN_DETAIL_WITH = ["checklist", "tasks", "tags", "next_task"];

/** Includes asked for with a launch (Tallyfy reads `with` on a POST as on a GET). */
export const LAUNCH_WITH = ["tasks", "next_task"];

const one = itemEnvelope(runSchema);
const many = listEnvelope(runSchema);

export function createRunsService(ctx: ServiceContext): RunsService {
  const { client, conn } = ctx;
  const runPath = (id: string, ...rest: string[]) => orgPath(conn, "runs", runId(id), ...rest);

  const get: RunsService["get"] = async (id, opts = {}) =>
    client.request(
      conn,
      {
        method: "GET",
        path: runPath(id),
        query: { with: (opts.with ?? RUN_DETAIL_WITH).join(","), form_fields_values: true },
        schema: one,
      },
      opts,
    );

  return {
    get,

    async launch(input, opts?: CallOptions) {
      templateId(input.checklistId);
      if (input.parentId !== undefined) runId(input.parentId);
      checkFieldIds(input.prerun);
      const body = launchBody(input);
      return client.request(
        conn,
        // The answer's tasks give the new card its next task without a second request.
        {
          method: "POST",
          path: orgPath(conn, "runs"),
          query: { with: LAUNCH_WITH.join(",") },
          body,
          schema: one,
        },
        opts,
      );
    },

    async list(filter = {}, opts?: CallOptions) {
      if (filter.checklistId !== undefined) templateId(filter.checklistId);
      const page = await client.request(
        conn,
        { method: "GET", path: orgPath(conn, "runs"), query: listQuery(filter), schema: many },
        opts,
      );
      return noteSkipped(ctx, "runs", page);
    },

    async update(id, changes, opts = {}) {
      runId(id);
      checkFieldIds(changes.prerun);
      const current = opts.current ?? (await get(id, opts));
      const body = updateBody(current, changes);
      if (!body) return current;
      return client.request(conn, { method: "PUT", path: runPath(id), body, schema: one }, opts);
    },

    async archive(id, opts?: CallOptions) {
      return client.request(conn, { method: "DELETE", path: runPath(id), schema: one }, opts);
    },

    async activate(id, opts?: CallOptions) {
      return client.request(
        conn,
        { method: "PUT", path: runPath(id, "activate"), schema: one },
        opts,
      );
    },
  };
}

/** Kick-off values are keyed by field id; a key that is not one would be dropped by Tallyfy. */
function checkFieldIds(prerun: Record<string, unknown> | undefined): void {
  if (prerun && typeof prerun === "object" && !Array.isArray(prerun)) {
    for (const key of Object.keys(prerun)) fieldId(key);
  }
}

import type { CallOptions, RunsService } from "./api.ts";
import { orgPath, type ServiceContext } from "./context.ts";
import { launchBody, listQuery, updateBody } from "./run-changes.ts";
import { itemEnvelope, listEnvelope, runSchema } from "./schemas.ts";

/** What a run's card needs: template, tasks, tags and the next task, plus kick-off values. */
export const RUN_DETAIL_WITH = ["checklist", "tasks", "tags", "next_task"];

const one = itemEnvelope(runSchema);
const many = listEnvelope(runSchema);

export function createRunsService(ctx: ServiceContext): RunsService {
  const { client, conn } = ctx;
  const runPath = (id: string, ...rest: string[]) => orgPath(conn, "runs", id, ...rest);

  const get: RunsService["get"] = (id, opts = {}) =>
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

    launch(input, opts?: CallOptions) {
      const body = launchBody(input);
      return client.request(
        conn,
        { method: "POST", path: orgPath(conn, "runs"), body, schema: one },
        opts,
      );
    },

    list(filter = {}, opts?: CallOptions) {
      return client.request(
        conn,
        { method: "GET", path: orgPath(conn, "runs"), query: listQuery(filter), schema: many },
        opts,
      );
    },

    async update(id, changes, opts = {}) {
      const current = opts.current ?? (await get(id, opts));
      const body = updateBody(current, changes);
      if (!body) return current;
      return client.request(conn, { method: "PUT", path: runPath(id), body, schema: one }, opts);
    },

    archive(id, opts?: CallOptions) {
      return client.request(conn, { method: "DELETE", path: runPath(id), schema: one }, opts);
    },

    activate(id, opts?: CallOptions) {
      return client.request(
        conn,
        { method: "PUT", path: runPath(id, "activate"), schema: one },
        opts,
      );
    },
  };
}

import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { startTallyfySandbox } from "./sandbox/tallyfy/server.ts";
import { itemEnvelope, listEnvelope, runSchema } from "./src/tallyfy/schemas.ts";

const sb = await startTallyfySandbox();
const get = async (p: string) =>
  (
    await fetch(`${sb.url}${p}`, {
      headers: {
        Authorization: `Bearer ${sb.token}`,
        "X-Tallyfy-Client": "APIClient",
        Accept: "application/json",
      },
    })
  ).json();
const list = await get(`/organizations/${sb.orgId}/runs?status=active&per_page=10`);
const all = await get(
  `/organizations/${sb.orgId}/runs?per_page=100&with=checklist,tasks,tags,next_task`,
);
console.log(
  "list bytes",
  JSON.stringify(list).length,
  "items",
  (list as any).data?.length,
  "all",
  (all as any).data?.length,
);
const plain = listEnvelope(runSchema);
const fast = z.compile(plain);
for (const doc of [list, all]) {
  const a = plain.safeParse(doc),
    b = fast.safeParse(doc);
  console.log("same result:", isDeepStrictEqual(a, b), a.success);
}
// each run alone through item schemas, also with some fields broken
const item = itemEnvelope(runSchema),
  fitem = z.compile(item);
let same = 0,
  diff = 0;
const mutations: ((r: any) => void)[] = [
  (r) => {},
  (r) => {
    r.id = 12345;
  },
  (r) => {
    r.users = null;
  },
  (r) => {
    r.tags = ["x", { id: "y", title: "Y" }];
  },
  (r) => {
    delete r.progress;
  },
  (r) => {
    r.due_date = 7;
  },
  (r) => {
    r.name = null;
  },
  (r) => {
    r.status = 3;
  },
  (r) => {
    r.next_task = { data: [] };
  },
  (r) => {
    r.prerun = [];
  },
  (r) => {
    r.starred = 1;
  },
];
for (const r of (all as any).data)
  for (const m of mutations) {
    const copy = structuredClone(r);
    m(copy);
    const a = item.safeParse({ data: copy }),
      b = fitem.safeParse({ data: copy });
    if (isDeepStrictEqual(a.success ? a.data : a.error.issues, b.success ? b.data : b.error.issues))
      same++;
    else {
      diff++;
      if (diff < 3) console.log("DIFF", m.toString(), a.success, b.success);
    }
  }
console.log("mutated runs same", same, "diff", diff);
let t = performance.now();
for (let i = 0; i < 3000; i++) plain.parse(list);
const tp = performance.now() - t;
t = performance.now();
for (let i = 0; i < 3000; i++) fast.parse(list);
const tf = performance.now() - t;
console.log(`3000 list parses: runtime ${tp.toFixed(0)} ms, compiled ${tf.toFixed(0)} ms`);
await sb.close();

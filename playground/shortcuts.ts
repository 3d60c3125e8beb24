/** The app's message shortcuts, as manifest.yml declares them: the page's "More actions" menu. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";

export interface MessageShortcut {
  name: string;
  callbackId: string;
}

const MANIFEST = join(import.meta.dirname, "..", "manifest.yml");

export async function messageShortcuts(path = MANIFEST): Promise<MessageShortcut[]> {
  const manifest = parse(await readFile(path, "utf8")) as {
    features?: { shortcuts?: { name?: unknown; type?: unknown; callback_id?: unknown }[] };
  };
  return (manifest.features?.shortcuts ?? []).flatMap((s) =>
    s.type === "message" && typeof s.name === "string" && typeof s.callback_id === "string"
      ? [{ name: s.name, callbackId: s.callback_id }]
      : [],
  );
}

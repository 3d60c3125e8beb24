import type { Deps } from "./deps.ts";
import type { ModalOpeners } from "./modal-openers.ts";
import { comingSoon } from "./soon.ts";

export function createEditOpener(_deps: Deps): ModalOpeners["edit"] {
  return comingSoon("Editing from Slack");
}

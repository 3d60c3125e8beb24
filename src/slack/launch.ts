import type { Deps } from "./deps.ts";
import type { ModalOpeners } from "./modal-openers.ts";
import { comingSoon } from "./soon.ts";

export function createLaunchOpener(_deps: Deps): ModalOpeners["launch"] {
  return comingSoon("Launching from Slack");
}

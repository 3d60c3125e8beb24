import { hash } from "node:crypto";

/**
 * What a card showed, as a short hash of the data it was drawn from (a run or a task, as read
 * from Tallyfy). A redraw whose data hashes the same is skipped: nothing on the card changed.
 */
export function fingerprint(data: unknown): string {
  return hash("sha256", JSON.stringify(data), "base64url").slice(0, 22);
}

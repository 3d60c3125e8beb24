/** `/tallyfy help` and the answer to a word nobody recognises: the usage card, from the table. */
import { renderHelp } from "../../blocks/help.ts";
import { inHelpOrder } from "../commands/table.ts";

export function helpMessage(opts: { unknown?: string; suggestion?: string | undefined } = {}) {
  const ordered = inHelpOrder();
  const sections = {
    processes: ordered.filter((c) => c.group === "processes"),
    account: ordered.filter((c) => c.group !== "processes"),
  };
  return renderHelp(sections, opts);
}

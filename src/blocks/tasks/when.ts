/**
 * Deadlines in a person's own day: which group a task falls in (overdue is computed from the
 * deadline, never read from a status), and "tomorrow at 17:00" in their time zone. Pure.
 */
import { tz } from "@date-fns/tz";
import type { Task } from "../../tallyfy/task-schemas.ts";
import { addDays, isSameDay, set } from "../date-fns.ts";
import { parseInstant } from "../dates.ts";

export type TaskGroup = "overdue" | "today" | "upcoming";

/** The reader's zone as a date-fns context; UTC when Slack gave none Intl knows. */
function zoneOf(timeZone: string | undefined): ReturnType<typeof tz> {
  if (timeZone) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone });
      return tz(timeZone);
    } catch {
      // An unknown zone name: fall through to UTC.
    }
  }
  return tz("UTC");
}

/** Sorts out tasks by deadline for one reader. */
export function taskGrouper(now: Date, timeZone?: string): (task: Task) => TaskGroup {
  const inZone = zoneOf(timeZone);
  return (task) => {
    const due = parseInstant(task.deadline);
    if (!due) return "upcoming";
    if (due.getTime() < now.getTime()) return "overdue";
    return isSameDay(due, now, { in: inZone }) ? "today" : "upcoming";
  };
}

/** Tomorrow at `hour`:00 in the reader's time zone: the create-task modal's default deadline. */
export function tomorrowAt(now: Date, timeZone: string | undefined, hour = 17): Date {
  const inZone = zoneOf(timeZone);
  const tomorrow = addDays(now, 1, { in: inZone });
  const at = set(
    tomorrow,
    { hours: hour, minutes: 0, seconds: 0, milliseconds: 0 },
    { in: inZone },
  );
  return new Date(at.getTime());
}

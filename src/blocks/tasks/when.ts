/**
 * Deadlines in a person's own day: which group a task falls in (overdue is computed from the
 * deadline, never read from a status), and "tomorrow at 17:00" in their time zone. Pure.
 */
import type { Task } from "../../tallyfy/task-schemas.ts";
import { parseInstant } from "../dates.ts";

export type TaskGroup = "overdue" | "today" | "upcoming";

/** Intl's formatter for a time zone; UTC when the zone is unknown to Intl. */
function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const options: Intl.DateTimeFormatOptions = {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  };
  try {
    return new Intl.DateTimeFormat("en-US", { ...options, timeZone: timeZone || "UTC" });
  } catch {
    return new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" });
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localParts(fmt: Intl.DateTimeFormat, ms: number): LocalParts {
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(ms))) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

const dayOf = (p: LocalParts) => p.year * 10_000 + p.month * 100 + p.day;

/** Sorts out tasks by deadline for one reader: one formatter per list, not per row. */
export function taskGrouper(now: Date, timeZone?: string): (task: Task) => TaskGroup {
  const fmt = formatter(timeZone);
  const today = dayOf(localParts(fmt, now.getTime()));
  return (task) => {
    const due = parseInstant(task.deadline);
    if (!due) return "upcoming";
    if (due.getTime() < now.getTime()) return "overdue";
    return dayOf(localParts(fmt, due.getTime())) === today ? "today" : "upcoming";
  };
}

/** The instant a wall-clock time in `timeZone` stands for (DST gaps move forward). */
function instantOf(fmt: Intl.DateTimeFormat, wall: LocalParts): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  let guess = asUtc;
  for (let i = 0; i < 3; i++) {
    const p = localParts(fmt, guess);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const diff = asUtc - shown;
    if (diff === 0) break;
    guess += diff;
  }
  return guess;
}

/** Tomorrow at `hour`:00 in the reader's time zone: the create-task modal's default deadline. */
export function tomorrowAt(now: Date, timeZone: string | undefined, hour = 17): Date {
  const fmt = formatter(timeZone);
  const p = localParts(fmt, now.getTime());
  const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return new Date(
    instantOf(fmt, {
      year: next.getUTCFullYear(),
      month: next.getUTCMonth() + 1,
      day: next.getUTCDate(),
      hour,
      minute: 0,
      second: 0,
    }),
  );
}

// <!date^…> formats, shown in the browser's time zone and locale-neutral English like Slack:
// {date_num} {date} {date_short} {date_long} {date_pretty} {date_short_pretty}
// {date_long_pretty} {time} {time_secs} {ago}.

const DAY_MS = 86_400_000;

function parts(date, options) {
  const out = {};
  for (const p of new Intl.DateTimeFormat("en-US", options).formatToParts(date))
    out[p.type] = p.value;
  return out;
}

function ordinal(n) {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

function startOfDay(d) {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** "Today", "Yesterday", "Tomorrow", or undefined. */
function relativeDay(date) {
  const diff = Math.round((startOfDay(date) - startOfDay(new Date())) / DAY_MS);
  return { 0: "Today", [-1]: "Yesterday", 1: "Tomorrow" }[diff];
}

function ago(date) {
  const s = Math.round((Date.now() - date.getTime()) / 1000);
  const future = s < 0;
  const abs = Math.abs(s);
  const [n, unit] =
    abs < 60
      ? [abs, "second"]
      : abs < 3600
        ? [Math.floor(abs / 60), "minute"]
        : abs < 86400
          ? [Math.floor(abs / 3600), "hour"]
          : abs < 2_592_000
            ? [Math.floor(abs / 86400), "day"]
            : abs < 31_536_000
              ? [Math.floor(abs / 2_592_000), "month"]
              : [Math.floor(abs / 31_536_000), "year"];
  const label = `${n} ${unit}${n === 1 ? "" : "s"}`;
  return future ? `in ${label}` : `${label} ago`;
}

const TOKENS = {
  date_num: (d) => {
    const p = parts(d, { year: "numeric", month: "2-digit", day: "2-digit" });
    return `${p.year}-${p.month}-${p.day}`;
  },
  date: (d) => {
    const p = parts(d, { year: "numeric", month: "long", day: "numeric" });
    return `${p.month} ${ordinal(Number(p.day))}, ${p.year}`;
  },
  date_short: (d) => {
    const p = parts(d, { year: "numeric", month: "short", day: "numeric" });
    return `${p.month} ${p.day}, ${p.year}`;
  },
  date_long: (d) => {
    const p = parts(d, { weekday: "long", year: "numeric", month: "long", day: "numeric" });
    return `${p.weekday}, ${p.month} ${ordinal(Number(p.day))}, ${p.year}`;
  },
  date_pretty: (d) => relativeDay(d) ?? TOKENS.date(d),
  date_short_pretty: (d) => relativeDay(d) ?? TOKENS.date_short(d),
  date_long_pretty: (d) => relativeDay(d) ?? TOKENS.date_long(d),
  time: (d) => new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" }).format(d),
  time_secs: (d) =>
    new Intl.DateTimeFormat("en-US", {
      hour: "numeric",
      minute: "2-digit",
      second: "2-digit",
    }).format(d),
  ago,
};

/** The token's text, or undefined when Slack would show the fallback instead. */
export function formatSlackDate(epochSeconds, format) {
  if (!Number.isFinite(epochSeconds) || !format) return undefined;
  const date = new Date(epochSeconds * 1000);
  let unknown = false;
  const text = format.replace(/\{(\w+)\}/g, (_, token) => {
    const fn = TOKENS[token];
    if (!fn) unknown = true;
    return fn ? fn(date) : "";
  });
  return unknown ? undefined : text;
}

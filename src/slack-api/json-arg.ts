/**
 * Blocks (or a view) as the JSON string Slack's form-encoded Web API takes: the same bytes on
 * the wire as the array, which @slack/web-api would JSON.stringify itself. Why: for every call
 * it builds its debug log lines whatever the log level, deep-copying ("redacting") the whole
 * body and the answer into JSON strings; a string argument skips the deep copy. In issue 18's
 * bench that copy was a third of the bot's @slack/web-api time and garbage on every card post.
 * Web API calls only: a response_url takes JSON with real arrays.
 */
export const jsonArg = (value: unknown): never => JSON.stringify(value) as never;

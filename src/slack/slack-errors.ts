/** The `error` code of a failed Web API call (or response_url post), e.g. "not_in_channel". */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } })?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

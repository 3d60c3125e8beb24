import { describe, expect, it } from "vitest";
import { createResponseUrls, isSlackResponseUrl } from "../../src/slack/response-url.ts";

describe("the response_url client", () => {
  it("accepts https on hooks.slack.com, and the SLACK_API_URL host when set", () => {
    expect(isSlackResponseUrl("https://hooks.slack.com/actions/T0/1/abc")).toBe(true);
    expect(isSlackResponseUrl("https://hooks.slack.com:443/commands/T0/1/abc")).toBe(true);
    const api = "http://127.0.0.1:4567/api/";
    expect(isSlackResponseUrl("http://127.0.0.1:4567/response/1", api)).toBe(true);
    expect(isSlackResponseUrl("http://127.0.0.1:4567/response/1")).toBe(false);
  });

  it("refuses every other URL", () => {
    const api = "http://127.0.0.1:4567/api/";
    for (const url of [
      "http://hooks.slack.com/actions/T0/1/abc",
      "https://hooks.slack.com.evil.example/actions",
      "https://evil.example/hooks.slack.com/",
      "https://user:pw@hooks.slack.com/actions/T0/1/abc",
      "https://slack.com/api/chat.postMessage",
      "http://127.0.0.1:4568/response/1",
      "https://127.0.0.1:4567/response/1",
      "not a url",
    ]) {
      expect(isSlackResponseUrl(url, api), url).toBe(false);
    }
  });

  it("never fetches a refused URL", async () => {
    const fetched: string[] = [];
    const fetchFn = (async (url: string) => {
      fetched.push(url);
      return new Response("ok");
    }) as unknown as typeof fetch;
    const urls = createResponseUrls(fetchFn);
    await expect(urls.respondTo("https://evil.example/x")({ text: "hi" })).rejects.toMatchObject({
      data: { error: "untrusted_response_url" },
    });
    await urls.post("https://hooks.slack.com/actions/T0/1/abc", "hi");
    expect(fetched).toEqual(["https://hooks.slack.com/actions/T0/1/abc"]);
  });
});

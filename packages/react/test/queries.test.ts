import { readFileSync } from "node:fs";
import { dehydrate, hydrate, QueryClient } from "@tanstack/react-query";
import { createVideoRetalk } from "@videoretalk/core";
import { describe, expect, it } from "vitest";
import { taskQueryKey, taskQueryOptions } from "../src/queries.js";
import { BASE_URL, createFakeApi, RESULT_URL, task } from "./support/fake-api.js";

const ID = "task-unified-1756817821-ssr00001";

describe("@videoretalk/react/queries on the server", () => {
  it("runs where there is no window or document", async () => {
    expect(typeof window).toBe("undefined");
    expect(typeof document).toBe("undefined");
    // Importing the hooks entry touches no browser global either.
    const hooks = await import("../src/index.js");
    expect(typeof hooks.useLipSync).toBe("function");
  });

  it("taskQueryKey is a stable, namespaced key", () => {
    expect(taskQueryKey(ID)).toEqual(["videoretalk", "task", ID]);
    expect(taskQueryOptions(createFakeApi().client(), ID).queryKey).toEqual(taskQueryKey(ID));
  });

  it("prefetches a task with a server client and hands it to the browser's cache", async () => {
    const api = createFakeApi();
    api.setTimeline(ID, [task("completed", 100, { results: [RESULT_URL] })]);
    // A plain server client: the API key is fine here, and no browser opt-in is needed.
    const client = createVideoRetalk({ apiKey: "sk-server", baseUrl: BASE_URL, fetch: api.fetch, maxRetries: 0 });
    const server = new QueryClient();
    await server.prefetchQuery(taskQueryOptions(client, ID));

    expect(server.getQueryData(taskQueryKey(ID))).toMatchObject({ id: ID, status: "completed" });
    expect(api.gets()).toHaveLength(1);
    expect(api.gets()[0]?.headers.authorization).toBe("Bearer sk-server");
    expect(api.gets()[0]?.signal).toBeDefined();

    const browser = new QueryClient();
    hydrate(browser, JSON.parse(JSON.stringify(dehydrate(server))));
    expect(browser.getQueryData(taskQueryKey(ID))).toMatchObject({ results: [RESULT_URL] });
    // A terminal task stays fresh: using the same options does not read it again.
    await browser.ensureQueryData(taskQueryOptions(client, ID));
    await browser.fetchQuery(taskQueryOptions(client, ID));
    expect(api.gets()).toHaveLength(1);
  });

  it('only the hooks entry carries "use client"', () => {
    const first = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8").split("\n")[0];
    expect(first("../src/index.ts")).toBe('"use client";');
    expect(readFileSync(new URL("../src/queries.ts", import.meta.url), "utf8")).not.toMatch(/^\s*(["'])use client\1/m);
  });
});

import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { callbackTarget } from "../src/callbacks.js";
import { type Body, call, create, emulator, lipSync, pollUntilDone } from "./helpers.js";

interface Received {
  at: number;
  method: string;
  path: string;
  contentType: string | undefined;
  body: Body;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A callback receiver on 127.0.0.1 that answers `statuses` in turn (then 200). */
async function receiver(statuses: number[] = []) {
  const received: Received[] = [];
  let notify: () => void = () => {};
  const server = createServer(async (req: IncomingMessage, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    received.push({
      at: Date.now(),
      method: req.method ?? "",
      path: req.url ?? "",
      contentType: req.headers["content-type"],
      body: JSON.parse(text) as Body,
    });
    res.statusCode = statuses.shift() ?? 200;
    res.end();
    notify();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const waitFor = (count: number, timeoutMs = 3000) =>
    new Promise<Received[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`got ${received.length} of ${count} callbacks`)), timeoutMs);
      notify = () => {
        if (received.length >= count) {
          clearTimeout(timer);
          resolve(received);
        }
      };
      notify();
    });
  return { origin, received, waitFor };
}

describe("callbacks", () => {
  it("POSTs the finished task to a loopback callback_url once", async () => {
    const hook = await receiver();
    const { url } = await emulator({ speed: 200 });
    const id = await create(url, { callback_url: `${hook.origin}/hooks/done?token=abc` });
    const [delivery] = await hook.waitFor(1);
    expect(delivery).toMatchObject({ method: "POST", path: "/hooks/done?token=abc", contentType: "application/json" });
    const task = (await call(url, `/v1/tasks/${id}`)).body;
    expect(delivery?.body).toEqual(task);
    expect(task.status).toBe("completed");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hook.received).toHaveLength(1);
  });

  it("retries after 1 s, 2 s and 4 s (divided by speed) until a 2xx", async () => {
    const hook = await receiver([500, 503]);
    const speed = 20;
    const { url } = await emulator({ speed });
    await create(url, { callback_url: `${hook.origin}/hook` }, { "X-Emulator-Scenario": "fail:service_error" });
    const deliveries = await hook.waitFor(3, 5000);
    expect(deliveries.map((d) => d.body.status)).toEqual(["failed", "failed", "failed"]);
    expect(deliveries[0]?.body.error.code).toBe("service_error");
    const gaps = deliveries.slice(1).map((d, i) => d.at - (deliveries[i]?.at ?? 0));
    // 1 s and 2 s at speed 20: 50 ms and 100 ms (upper bounds are loose for busy machines).
    expect(gaps[0]).toBeGreaterThanOrEqual(45);
    expect(gaps[1]).toBeGreaterThanOrEqual(95);
    expect(Math.max(...gaps)).toBeLessThan(900);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hook.received).toHaveLength(3);
  });

  it("gives up after three retries", async () => {
    const hook = await receiver([500, 500, 500, 500, 500]);
    const { url } = await emulator({ speed: 1000 });
    await create(url, { callback_url: `${hook.origin}/hook` }, { "X-Emulator-Scenario": "cancel" });
    const deliveries = await hook.waitFor(4);
    expect(deliveries[0]?.body.status).toBe("cancelled");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hook.received).toHaveLength(4);
  });

  it("forwards every callback to forwardCallbacksTo, keeping path and query", async () => {
    const hook = await receiver();
    const { url } = await emulator({ speed: 500, forwardCallbacksTo: hook.origin });
    const id = await create(url, { callback_url: "https://api.example.com/webhooks/videoretalk?vr_token=xyz" });
    const [delivery] = await hook.waitFor(1);
    expect(delivery?.path).toBe("/webhooks/videoretalk?vr_token=xyz");
    expect(delivery?.body).toMatchObject({ id, status: "completed" });
  });

  it("never contacts non-loopback hosts without forwardCallbacksTo", () => {
    expect(callbackTarget("https://api.example.com/hook")).toBeUndefined();
    expect(callbackTarget("https://api.example.com/h?q=1", new URL("http://127.0.0.1:9"))?.href).toBe(
      "http://127.0.0.1:9/h?q=1",
    );
    expect(callbackTarget("http://localhost:8080/h")?.href).toBe("http://localhost:8080/h");
  });

  it("cancels pending callbacks on close", async () => {
    const hook = await receiver([500, 500, 500, 500]);
    const emu = await emulator({ speed: 2, forwardCallbacksTo: hook.origin });
    const id = await create(emu.url);
    await call(emu.url, "/v1/videos/generations", {
      body: lipSync(emu.url, { callback_url: "https://example.com/h" }),
    });
    expect(id).toBeTruthy();
    await emu.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hook.received).toHaveLength(0);
  });

  it("reaches the terminal state before the callback fires", async () => {
    const hook = await receiver();
    const { url } = await emulator({ speed: 100 });
    const id = await create(url, { callback_url: `${hook.origin}/x` });
    const seen = await pollUntilDone(url, id);
    const [delivery] = await hook.waitFor(1);
    expect(delivery?.body).toEqual(seen.at(-1));
  });
});

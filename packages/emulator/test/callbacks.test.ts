import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { callbackTarget, normalizeCallbackHost } from "../src/callbacks.js";
import { type Body, call, clockOf, create, emulator, lipSync } from "./helpers.js";

// Every schedule below runs on the emulator's fake clock: the test waits for the emulator to
// schedule a timer (an event), checks its delay, and moves time exactly that far. Deliveries
// themselves are real HTTP POSTs to a receiver on 127.0.0.1.

interface Received {
  /** The emulator's (fake) time when the POST arrived. */
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
async function receiver(statuses: number[] = [], now: () => number = () => 0) {
  const received: Received[] = [];
  const waiting = new Set<() => void>();
  const server = createServer(async (req: IncomingMessage, res) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    received.push({
      at: now(),
      method: req.method ?? "",
      path: req.url ?? "",
      contentType: req.headers["content-type"],
      body: JSON.parse(text) as Body,
    });
    res.statusCode = statuses.shift() ?? 200;
    res.end();
    for (const wake of [...waiting]) wake();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** Resolves once `count` callbacks have arrived (the test's timeout guards against a hang). */
  const waitFor = (count: number) =>
    new Promise<Received[]>((resolve) => {
      const check = () => {
        if (received.length < count) return;
        waiting.delete(check);
        resolve(received);
      };
      waiting.add(check);
      check();
    });
  return { origin, host: new URL(origin).host, received, waitFor };
}

/**
 * Moves the emulator's clock to each scheduled callback attempt in turn (the task's end, then
 * each retry), waiting for the receiver to see attempt n before looking for the next timer.
 */
async function deliverAll(
  clock: ReturnType<typeof clockOf>,
  hook: { waitFor(count: number): Promise<Received[]> },
  attempts: number,
): Promise<void> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await clock.advance(await clock.nextTimer());
    await hook.waitFor(attempt);
  }
}

describe("callbacks", () => {
  it("POSTs the finished task to an allowed callback_url once, at its terminal instant", async () => {
    const hook = await receiver();
    const emu = await emulator({ speed: 200, callbackHosts: [hook.host] });
    const clock = clockOf(emu.url);
    const id = await create(emu.url, { callback_url: `${hook.origin}/hooks/done?token=abc` });
    const terminalInMs = await clock.nextTimer();
    // speed 200: the task's 30–60 s take 150–300 ms.
    expect(terminalInMs).toBeGreaterThanOrEqual(150);
    expect(terminalInMs).toBeLessThanOrEqual(300);
    expect((await call(emu.url, `/v1/tasks/${id}`)).body.status).not.toBe("completed");
    await clock.advance(terminalInMs + 1);
    const [delivery] = await hook.waitFor(1);
    expect(delivery).toMatchObject({ method: "POST", path: "/hooks/done?token=abc", contentType: "application/json" });
    const task = (await call(emu.url, `/v1/tasks/${id}`)).body;
    expect(task.status).toBe("completed");
    expect(delivery?.body).toEqual(task);
    // A 2xx ends the delivery: no retry is scheduled, and closing waits for nothing more.
    await emu.close();
    expect(clock.pendingTimers()).toBe(0);
    expect(hook.received).toHaveLength(1);
  });

  it("retries after 1 s, 2 s and 4 s (divided by speed) until a 2xx", async () => {
    let clock: ReturnType<typeof clockOf> | undefined;
    const hook = await receiver([500, 503, 500], () => clock?.now() ?? 0);
    const speed = 20;
    const emu = await emulator({ speed, callbackHosts: [hook.host] });
    clock = clockOf(emu.url);
    await create(emu.url, { callback_url: `${hook.origin}/hook` }, { "X-Emulator-Scenario": "fail:service_error" });
    await deliverAll(clock, hook, 4);
    const deliveries = await hook.waitFor(4);
    // After the timer of the task's end: 1, 2 and 4 s at speed 20, exactly.
    expect(clock.scheduled.slice(1)).toEqual([50, 100, 200]);
    expect(deliveries.map((d) => d.body.status)).toEqual(["failed", "failed", "failed", "failed"]);
    expect(deliveries[0]?.body.error.code).toBe("service_error");
    // No retry is sent before its delay has passed on the emulator's clock.
    const gaps = deliveries.slice(1).map((d, i) => d.at - (deliveries[i]?.at ?? 0));
    for (const [i, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual([50, 100, 200][i] ?? 0);
    await emu.close();
    expect(hook.received).toHaveLength(4);
  });

  it("gives up after three retries (four attempts)", async () => {
    const hook = await receiver([500, 500, 500, 500, 500]);
    const emu = await emulator({ speed: 1, callbackHosts: [hook.host] });
    const clock = clockOf(emu.url);
    await create(emu.url, { callback_url: `${hook.origin}/hook` }, { "X-Emulator-Scenario": "cancel" });
    await deliverAll(clock, hook, 4);
    const deliveries = await hook.waitFor(4);
    expect(clock.scheduled.slice(1)).toEqual([1000, 2000, 4000]);
    expect(deliveries[0]?.body.status).toBe("cancelled");
    // The fourth failure schedules nothing: closing finds the delivery finished.
    await emu.close();
    await clock.advance(60_000);
    expect(hook.received).toHaveLength(4);
  });

  it("forwards every callback to forwardCallbacksTo, keeping path and query", async () => {
    const hook = await receiver();
    const emu = await emulator({ speed: 500, forwardCallbacksTo: hook.origin });
    const clock = clockOf(emu.url);
    const id = await create(emu.url, { callback_url: "https://api.example.com/webhooks/videoretalk?vr_token=xyz" });
    await clock.advance(await clock.nextTimer());
    const [delivery] = await hook.waitFor(1);
    expect(delivery?.path).toBe("/webhooks/videoretalk?vr_token=xyz");
    expect(delivery?.body).toMatchObject({ id, status: "completed" });
  });

  it("by default delivers no callback at all, not even to a loopback URL", async () => {
    const hook = await receiver();
    const emu = await emulator({ speed: 200 });
    const clock = clockOf(emu.url);
    const id = await create(emu.url, { callback_url: `${hook.origin}/hook` });
    // Nothing was scheduled for it: the task completes, and no POST is ever made.
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(60_000);
    expect((await call(emu.url, `/v1/tasks/${id}`)).body.status).toBe("completed");
    await emu.close();
    expect(hook.received).toEqual([]);
  });

  it("delivers only to the callback hosts it was told, not to other local ports", async () => {
    const allowed = await receiver();
    const other = await receiver();
    const emu = await emulator({ speed: 200, callbackHosts: [allowed.host] });
    const clock = clockOf(emu.url);
    await create(emu.url, { callback_url: `${other.origin}/hook` });
    await create(emu.url, { callback_url: `http://localhost:${new URL(allowed.origin).port}/hook` });
    const mine = await create(emu.url, { callback_url: `${allowed.origin}/hook` });
    // One timer: only the allowed URL's callback was scheduled.
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(await clock.nextTimer());
    const [delivery] = await allowed.waitFor(1);
    expect(delivery?.body.id).toBe(mine);
    await emu.close();
    expect(other.received).toEqual([]);
    expect(allowed.received).toHaveLength(1);
  });

  it("cancels pending callbacks on close", async () => {
    const hook = await receiver([500, 500, 500, 500]);
    const emu = await emulator({ speed: 2, forwardCallbacksTo: hook.origin });
    const clock = clockOf(emu.url);
    await call(emu.url, "/v1/videos/generations", {
      body: lipSync(emu.url, { callback_url: "https://example.com/h" }),
    });
    expect(clock.pendingTimers()).toBe(1);
    await emu.close();
    // The emulator cleared its own timer: moving time past the task's end sends nothing.
    expect(clock.pendingTimers()).toBe(0);
    await clock.advance(60_000);
    expect(hook.received).toHaveLength(0);
  });

  it("reaches the terminal state before the callback fires", async () => {
    const hook = await receiver();
    const emu = await emulator({ speed: 100, callbackHosts: [hook.host] });
    const clock = clockOf(emu.url);
    const id = await create(emu.url, { callback_url: `${hook.origin}/x` });
    const terminalInMs = await clock.nextTimer();
    await clock.advance(terminalInMs - 1);
    expect((await call(emu.url, `/v1/tasks/${id}`)).body.status).toBe("processing");
    expect(hook.received).toEqual([]);
    await clock.advance(2);
    const seen = (await call(emu.url, `/v1/tasks/${id}`)).body;
    const [delivery] = await hook.waitFor(1);
    expect(seen.status).toBe("completed");
    expect(delivery?.body).toEqual(seen);
  });
});

describe("callbackTarget", () => {
  it("never contacts a host it was not told about", () => {
    expect(callbackTarget("https://api.example.com/hook")).toBeUndefined();
    expect(callbackTarget("http://localhost:8080/h")).toBeUndefined();
    expect(callbackTarget("http://127.0.0.1:8080/h")).toBeUndefined();
    expect(callbackTarget("http://127.0.0.1:8080/h", { callbackHosts: ["127.0.0.1:9090"] })).toBeUndefined();
    expect(callbackTarget("https://api.example.com/h", { callbackHosts: ["127.0.0.1"] })).toBeUndefined();
    expect(callbackTarget("http://user@127.0.0.1:8080/h", { callbackHosts: ["127.0.0.1:8080"] })).toBeUndefined();
  });

  it("delivers to a listed host (any port) or host:port", () => {
    expect(callbackTarget("http://localhost:8080/h", { callbackHosts: ["localhost"] })?.href).toBe(
      "http://localhost:8080/h",
    );
    expect(callbackTarget("http://127.0.0.1:8080/h?q=1", { callbackHosts: ["127.0.0.1:8080"] })?.href).toBe(
      "http://127.0.0.1:8080/h?q=1",
    );
    expect(callbackTarget("http://[::1]:9/h", { callbackHosts: ["[::1]:9"] })?.href).toBe("http://[::1]:9/h");
  });

  it("sends everything to forwardCallbacksTo, keeping path and query", () => {
    expect(
      callbackTarget("https://api.example.com/h?q=1", { forwardCallbacksTo: new URL("http://127.0.0.1:9") })?.href,
    ).toBe("http://127.0.0.1:9/h?q=1");
  });

  it("refuses callback hosts off this machine or with more than host:port", async () => {
    for (const entry of ["example.com", "10.0.0.1:80", "127.0.0.1/x", "user@127.0.0.1", "", "http://127.0.0.1"]) {
      expect(() => normalizeCallbackHost(entry), entry).toThrow(TypeError);
    }
    expect(normalizeCallbackHost("LOCALHOST:80")).toBe("localhost");
    await expect(emulator({ callbackHosts: ["example.com"] })).rejects.toThrow(/loopback/);
  });
});

import { jsonResponse, networkError } from "@videoretalk/test-support";
import { describe, expect, expectTypeOf, it } from "vitest";
import { APIError, AuthenticationError, type Credits } from "../../src/index.js";
import { API_KEY, BASE_URL, rejectionOnClock, setup } from "./harness.js";

const balance = {
  user: { remaining_credits: 9600, used_credits: 480 },
  token: { remaining_credits: 0, used_credits: 480, unlimited_credits: true },
};

describe("credits.get", () => {
  it("GETs /v1/credits with the key and returns the data object", async () => {
    const { client, clock, script } = setup([jsonResponse(200, { success: true, message: "success", data: balance })]);
    const credits = await clock.runUntilSettled(client.credits.get());
    expectTypeOf(credits).toEqualTypeOf<Credits>();
    expect(credits).toEqual(balance);
    expect(script.calls).toHaveLength(1);
    expect(script.calls[0]?.method).toBe("GET");
    expect(script.calls[0]?.url).toBe(`${BASE_URL}/v1/credits`);
    expect(script.calls[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("is retried like any read (a dropped connection, then the balance)", async () => {
    const { client, clock, script } = setup([
      networkError("ECONNRESET"),
      jsonResponse(200, { success: true, data: balance }),
    ]);
    await expect(clock.runUntilSettled(client.credits.get())).resolves.toEqual(balance);
    expect(script.calls).toHaveLength(2);
  });

  it("a bad key is an AuthenticationError without the key in its message", async () => {
    const { client, clock } = setup([
      jsonResponse(401, {
        error: { code: "unauthorized", message: "Invalid or expired token", type: "authentication_error" },
      }),
    ]);
    const error = await rejectionOnClock(clock, client.credits.get());
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(String((error as Error).message)).not.toContain(API_KEY);
  });

  it.each([
    ["success: false", { success: false, message: "denied", data: balance }],
    ["no data", { success: true }],
    ["a balance that is not a number", { success: true, data: { user: { remaining_credits: "lots" } } }],
  ])("a 200 with %s is an APIError naming the expected shape", async (_, body) => {
    const { client, clock } = setup([jsonResponse(200, body)]);
    const error = await rejectionOnClock(clock, client.credits.get());
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toMatch(/not a credit balance/);
  });
});

import { describe, expect, it } from "vitest";
import { flagForField, messageForFlag } from "../../src/flags.js";

describe("flagForField", () => {
  it.each([
    ["video_url", "--video"],
    ["audio_url", "--audio"],
    ["ref_image_url", "--ref-image"],
    ["video_extension", "--extend"],
    ["query_face_threshold", "--threshold"],
    ["callback_url", "--callback-url"],
    ["idempotencyKey", "--idempotency-key"],
    ["apiKey", "EVOLINK_API_KEY"],
    ["baseUrl", "--base-url"],
    ["filesBaseUrl", "--files-base-url"],
    ["task_id", "<id>"],
    ["destination", "--out"],
  ])("%s → %s", (field, flag) => {
    expect(flagForField(field)).toBe(flag);
  });

  it("passes unknown fields through", () => {
    expect(flagForField("model")).toBe("model");
  });
});

describe("messageForFlag", () => {
  it("replaces every mention of the wire name with the flag", () => {
    expect(
      messageForFlag(
        "query_face_threshold",
        "query_face_threshold must be an integer from 120 to 200 (default 170), got 300.",
      ),
    ).toBe("--threshold must be an integer from 120 to 200 (default 170), got 300.");
    expect(messageForFlag("callback_url", "callback_url must use https; callback_url was http.")).toBe(
      "--callback-url must use https; --callback-url was http.",
    );
  });

  it("prefixes the flag when the message does not name the field", () => {
    expect(messageForFlag("destination", "Cannot create a file in /nope (ENOENT).")).toBe(
      "--out: Cannot create a file in /nope (ENOENT).",
    );
  });

  it("leaves messages about fields without a flag alone", () => {
    expect(messageForFlag("model", 'model must be "videoretalk".')).toBe('model must be "videoretalk".');
  });
});

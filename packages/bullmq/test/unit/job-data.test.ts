import { jobIdempotencyKey, nextStep, snapshotsFrom } from "@videoretalk/batch";
import { describe, expect, it } from "vitest";
import { createParams } from "../../src/create-params.js";
import { isLipSyncJobData } from "../../src/job-data.js";
import { initialJobData } from "../../src/producer.js";

const job = {
  id: "intro-de",
  video: "/srv/in/intro.mp4",
  audio: "https://cdn.example.com/de.wav",
  query_face_threshold: 150,
};

describe("job data", () => {
  it("starts with the batch's planned and uploaded checkpoints, so the resume rule says: create with the job's key", () => {
    const data = initialJobData({ job, uploaded: { video_url: "https://files.example.com/intro.mp4" } }, 1_000);
    expect(isLipSyncJobData(data)).toBe(true);
    expect(data.checkpoints.map((checkpoint) => checkpoint.step)).toEqual(["planned", "uploaded"]);
    const snapshot = snapshotsFrom(data.checkpoints).get(job.id);
    expect(nextStep(job, snapshot as never, { now: 2_000 })).toMatchObject({
      kind: "create",
      idempotencyKey: jobIdempotencyKey(job),
      resumed: false,
    });
  });

  it("refuses a local file without its uploaded URL, naming the field", () => {
    expect(() => initialJobData({ job }, 0)).toThrow(
      expect.objectContaining({ name: "ValidationError", field: "video" }),
    );
  });

  it("builds the create body from URLs and uploads, adding the callback URL when callbacks are on", () => {
    expect(
      createParams(job, { video_url: "https://files.example.com/intro.mp4" }, "https://hooks.example.com/x?vr_token=t"),
    ).toEqual({
      video_url: "https://files.example.com/intro.mp4",
      audio_url: "https://cdn.example.com/de.wav",
      query_face_threshold: 150,
      callback_url: "https://hooks.example.com/x?vr_token=t",
    });
  });

  it("rejects data this package did not write", () => {
    expect(isLipSyncJobData({ format: 1, job: { id: "x" }, checkpoints: [] })).toBe(false);
    expect(isLipSyncJobData({ format: 2, job, checkpoints: [] })).toBe(false);
    expect(isLipSyncJobData({ format: 1, job, checkpoints: [{ step: "nonsense", job: "x" }] })).toBe(false);
  });
});

import {
  type BatchJob,
  isUrl,
  type JobSnapshot,
  MEDIA_FIELDS,
  nextStep,
  type UploadedCheckpoint,
  WIRE_FIELD,
} from "@videoretalk/batch";
import type { UploadClient } from "./types.js";

/**
 * Uploads the job's local files that have no fresh uploaded URL (the batch's resume rule decides),
 * sharing one upload per path across jobs. Returns every URL the job's create needs.
 */
export async function uploadInputs(
  client: UploadClient,
  job: BatchJob,
  snapshot: JobSnapshot,
  uploads: Map<string, Promise<string>>,
  signal: AbortSignal | undefined,
): Promise<{ urls: UploadedCheckpoint["urls"]; uploadedNow: UploadedCheckpoint["urls"] }> {
  const step = nextStep(job, snapshot, { now: Date.now() });
  const files = step.kind === "upload" ? step.files : {};
  const uploadedNow: UploadedCheckpoint["urls"] = {};
  for (const [wire, path] of Object.entries(files) as [keyof UploadedCheckpoint["urls"], string][]) {
    let pending = uploads.get(path);
    if (!pending) {
      pending = client.files.upload(path, { signal });
      uploads.set(path, pending);
      pending.catch(() => uploads.delete(path));
    }
    uploadedNow[wire] = await pending;
  }
  const urls: UploadedCheckpoint["urls"] = {};
  for (const field of MEDIA_FIELDS) {
    const value = job[field];
    if (value === undefined || isUrl(value)) continue;
    const wire = WIRE_FIELD[field];
    const url = uploadedNow[wire] ?? snapshot.urls[wire];
    if (url !== undefined) urls[wire] = url;
  }
  return { urls, uploadedNow };
}

import type { WebhookStore } from "./memory-store.js";

/**
 * The claim protocol between the webhook handler and its store. A delivery counts as done only
 * after `onTask` succeeded: until then the key holds a short in-flight claim, which a failed
 * `onTask` releases and which expires on its own if even the release fails.
 */

/** What a delivery found when it tried to take its key. */
export type ClaimOutcome = "claimed" | "delivered" | "in-flight";

/** Takes the in-flight claim on `key`, or says why not. */
export async function claimDelivery(store: WebhookStore, key: string, claimTtlMs: number): Promise<ClaimOutcome> {
  if ((await store.claim(key, claimTtlMs)) === true) return "claimed";
  // Without isDelivered a finished delivery cannot be told from a running one: answer "try
  // again" rather than acknowledge something that may still fail.
  if (typeof store.isDelivered === "function" && (await store.isDelivered(key)) === true) return "delivered";
  return "in-flight";
}

/** Records `key` as delivered for `dedupeTtlMs`, replacing its in-flight claim. */
export async function completeDelivery(store: WebhookStore, key: string, dedupeTtlMs: number): Promise<void> {
  if (typeof store.complete === "function") {
    await store.complete(key, dedupeTtlMs);
    return;
  }
  await store.release(key);
  await store.claim(key, dedupeTtlMs);
}

/** Checks the shape of a store option. */
export function isWebhookStore(store: unknown): store is WebhookStore {
  if (store === null || typeof store !== "object") return false;
  const { claim, release, complete, isDelivered } = store as Record<string, unknown>;
  return (
    typeof claim === "function" &&
    typeof release === "function" &&
    (complete === undefined || typeof complete === "function") &&
    (isDelivered === undefined || typeof isDelivered === "function")
  );
}

import type { TransportCallOptions } from "./transport.js";

/** Options of one SDK call; each overrides the client's default. */
export interface RequestOptions extends TransportCallOptions {
  /** Extra headers for this call only. */
  headers?: Record<string, string> | undefined;
}

/** Options of `lipSync.create()`. */
export interface CreateRequestOptions extends RequestOptions {
  /**
   * Reuse a key to retry a create safely: the gateway answers a repeated key with the task it
   * already created. Generated per call when omitted (16–96 chars of `[A-Za-z0-9._-]`).
   */
  idempotencyKey?: string | undefined;
}

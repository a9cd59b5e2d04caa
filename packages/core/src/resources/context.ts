import type { Transport } from "../transport.js";

/** What every resource needs from its client. */
export interface ResourceContext {
  transport: Transport;
  baseUrl: string;
  secrets: readonly string[];
  now: () => number;
}

import { lazyModule } from "../lazy-module.js";

export type OccasionalReads = typeof import("./occasional-reads.js");

/** Loads occasional-reads.ts once; a failed load is tried again by the next call. */
export const loadOccasionalReads = lazyModule("balance and batch read", () => import("./occasional-reads.js"));

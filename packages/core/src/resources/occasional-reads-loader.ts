import { lazyModule } from "../lazy-module.js";

export type OccasionalReads = typeof import("./occasional-reads.js");

/** What a failed load's `APIConnectionError` calls this code. */
export const OCCASIONAL_READS_LABEL = "balance and batch read";

/** Loads occasional-reads.ts once; a failed load is tried again by the next call. */
export const loadOccasionalReads = lazyModule(OCCASIONAL_READS_LABEL, () => import("./occasional-reads.js"));

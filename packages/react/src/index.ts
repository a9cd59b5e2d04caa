"use client";

/**
 * `@videoretalk/react`: React hooks for VideoRetalk lip-sync tasks on TanStack Query. Named
 * re-exports only; `@videoretalk/react/queries` has the server-safe query factories alone.
 */
export { useVideoRetalkClient, VideoRetalkProvider, type VideoRetalkProviderProps } from "./provider.js";
export { type TaskQueryKey, type TaskQueryOptions, taskQueryKey, taskQueryOptions } from "./queries.js";
export type { PollIntervalOptions } from "./task-schedule.js";
export {
  createLipSyncMutationKey,
  type UseCreateLipSyncResult,
  useCreateLipSync,
} from "./use-create-lip-sync.js";
export { type LipSyncStatus, type UseLipSyncOptions, type UseLipSyncResult, useLipSync } from "./use-lip-sync.js";
export { type UseTaskOptions, useTask } from "./use-task.js";

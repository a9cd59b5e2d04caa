"use client";

export {
  type CheckMediaFilesOptions,
  checkMediaFiles,
  type MediaFileFacts,
  type MediaFilesCheck,
  type MediaFilesInputs,
  type MediaInput,
  type MediaInputName,
  type MediaProblem,
  type PreflightModule,
} from "./media-check.js";
/**
 * `@videoretalk/react`: React hooks for VideoRetalk lip-sync tasks on TanStack Query. Named
 * re-exports only; `@videoretalk/react/queries` has the server-safe query factories alone.
 */
export { useVideoRetalkClient, VideoRetalkProvider, type VideoRetalkProviderProps } from "./provider.js";
export { type TaskQueryKey, type TaskQueryOptions, taskQueryKey, taskQueryOptions } from "./queries.js";
export type { PollIntervalOptions } from "./task-schedule.js";
export { type FileUploadProgress, type UploadFileOptions, type UploadXhr, uploadFile } from "./upload-file.js";
export {
  createLipSyncMutationKey,
  type UseCreateLipSyncResult,
  useCreateLipSync,
} from "./use-create-lip-sync.js";
export { type LipSyncStatus, type UseLipSyncOptions, type UseLipSyncResult, useLipSync } from "./use-lip-sync.js";
export { type UseMediaCheckOptions, type UseMediaCheckResult, useMediaCheck } from "./use-media-check.js";
export { type UseTaskOptions, useTask } from "./use-task.js";

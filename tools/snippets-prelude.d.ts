// biome-ignore-all lint/suspicious/noExplicitAny: the app code around a snippet is unknown, so its helpers are untyped on purpose.
// Names that README snippets use without declaring them (tools/check-readme-snippets.mjs).
// A snippet's own declaration or import shadows the name, so each snippet may still define it.
// The SDK's values carry the SDK's types, so snippets are checked against the real API; the
// app's own helpers, which snippets call but do not show, are `any`.
import type { LipSyncParams, Task, VideoRetalkClient } from "@videoretalk/core";

declare global {
  // From an earlier snippet of the same README.
  const client: VideoRetalkClient;
  const task: Task;
  const taskId: string;
  const video_url: string;
  const audio_url: string;
  /** Create parameters, e.g. `{ ...inputs, callback_url }`. */
  const inputs: LipSyncParams;
  const secret: string;
  // Handlers an earlier snippet built inline; their own snippets check them against the SDK.
  const authorize: any;
  const onTask: any;
  const proxy: any;
  // The application (or test) around the snippet.
  const hookPort: number;
  const user: { id: string };
  const getSession: any;
  const getUser: any;
  const db: any;
  const quota: any;
  const redis: any;
}

/**
 * `@videoretalk/emulator/msw`: the emulator's task state machine and failure scenarios as
 * Mock Service Worker handlers, for frontend tests and Storybook without a server.
 */

export { createEmulatorHandlers, type EmulatorHandlers } from "./msw/handlers.js";
export type { EmulatorHandlersOptions } from "./msw/options.js";
export { SCENARIO_HEADER, SCENARIO_QUERY_PARAMETER } from "./scenarios.js";
export type { TaskJson } from "./task-store.js";
export { TASK_DURATION_RANGE_S } from "./timeline.js";

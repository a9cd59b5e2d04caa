export { CALLBACK_RETRY_DELAYS_S, CALLBACK_TIMEOUT_MS } from "./callbacks.js";
export { MAX_FILES, MAX_UPLOAD_BYTES } from "./file-store.js";
export { SAMPLE_NAMES, type SampleName } from "./media.js";
export { SCENARIO_HEADER, SCENARIO_QUERY_PARAMETER } from "./scenarios.js";
export { type Emulator, type EmulatorOptions, startEmulator } from "./start-emulator.js";
export { TASK_FAILURE_MESSAGES } from "./task-failures.js";
export { TASK_DURATION_RANGE_S } from "./timeline.js";

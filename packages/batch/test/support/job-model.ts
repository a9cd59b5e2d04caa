export { IDEMPOTENCY_KEY_PATTERN as IDEMPOTENCY_KEY_PATTERN_FOR_TEST } from "@videoretalk/core";
export * from "../../src/index.js";

/**
 * The reads most apps make rarely, the credit balance and the batch task read, in one chunk:
 * loaded with `import()` on the first of them, so an app that only creates and reads single
 * tasks never downloads it, and one file name instead of two sits in every app's first load.
 */
export { getCredits } from "./get-credits.js";
export { getManyTasks } from "./tasks-batch.js";

/** Most ids one `POST /v1/tasks/batch` (`tasks.getMany()`) accepts. */
export const MAX_BATCH_TASK_IDS = 50;

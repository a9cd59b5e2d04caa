import { createScenarioCounter, type ScenarioCounter } from "../scenarios.js";
import { createTaskStore, type TaskJson, type TaskStore } from "../task-store.js";
import type { ResolvedHandlersOptions } from "./options.js";

/** Everything the MSW handlers remember between requests: one emulated account. */
export interface HandlerState {
  options: ResolvedHandlersOptions;
  tasks: TaskStore;
  /** Task ids created in order, for `tasks()`. */
  ids: string[];
  counter: ScenarioCounter;
  idempotency: Map<string, { fingerprint: string; body: TaskJson }>;
  /** `result-status:<code>` per task id. */
  resultStatus: Map<string, number>;
}

/** Where results are served: `<baseUrl>/results/<task id>.mp4`. */
export const resultsPath = "/results/";

/** A fresh state: no tasks, no idempotency keys, no used scenario counts. */
export function createState(options: ResolvedHandlersOptions): HandlerState {
  const tasks = createTaskStore({
    speed: options.speed,
    baseUrl: options.baseUrl,
    now: options.now,
    random: options.random,
  });
  const ids: string[] = [];
  const create = tasks.create.bind(tasks);
  tasks.create = (input) => {
    const task = create(input);
    ids.push(task.id);
    return task;
  };
  return {
    options,
    tasks,
    ids,
    counter: createScenarioCounter(),
    idempotency: new Map(),
    resultStatus: new Map(),
  };
}

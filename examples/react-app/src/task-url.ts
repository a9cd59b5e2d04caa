/**
 * The current task id lives in the page URL (`?task=<id>`), so a reload, a bookmark or a shared
 * link resumes it: the id is handed back to useLipSync({ taskId }), which polls the task
 * instead of creating a new one.
 */

const PARAM = "task";

/** The task id in the current URL, or null. */
export function readTaskIdFromUrl(): string | null {
  const id = new URLSearchParams(window.location.search).get(PARAM);
  return id === null || id.trim() === "" ? null : id;
}

/** Puts `taskId` into the URL (or removes it for null) without adding a history entry. */
export function writeTaskIdToUrl(taskId: string | null): void {
  const url = new URL(window.location.href);
  if (url.searchParams.get(PARAM) === taskId) return;
  if (taskId === null) url.searchParams.delete(PARAM);
  else url.searchParams.set(PARAM, taskId);
  window.history.replaceState(window.history.state, "", url);
}

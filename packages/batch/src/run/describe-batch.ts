import { join, resolve } from "node:path";
import { systemClock } from "@videoretalk/core";
import type { JobState } from "../job-model/checkpoints.js";
import { type BatchJob, isUrl, MEDIA_FIELDS } from "../job-model/job.js";
import { inputsChanged, nextStep } from "../job-model/next-step.js";
import { emptySnapshot, snapshotsFrom } from "../job-model/snapshot.js";
import { DEFAULT_JOURNAL_NAME, openJournal } from "../journal/jsonl-journal.js";
import { outputPathFor } from "../safe-file-name.js";
import { outputIsValid } from "./save-result.js";

/** What a run would do with one job (`--dry-run`). */
export interface PlannedAction {
  id: string;
  /** The job's state in the journal (`planned` when it has none). */
  state: JobState;
  action: "upload-and-create" | "create" | "wait" | "download" | "skip" | "retry" | "report-failed";
  /** Local files that would be uploaded. */
  uploads: string[];
  taskId: string | undefined;
  output: string;
  /** True when the journal knew this id with other inputs (the run would refuse to start). */
  inputsChanged: boolean;
}

/**
 * A dry run: what `runBatch` would do with each job given the journal, without writing, uploading
 * or creating anything. Reads the journal without taking its lock.
 *
 * @example
 * for (const a of await describeBatch(jobs, { outDir: "./dubbed" })) console.log(a.id, a.action);
 */
export async function describeBatch(
  jobs: BatchJob[],
  options: { outDir: string; journal?: string | undefined; retryFailed?: boolean | undefined },
): Promise<PlannedAction[]> {
  const journal = await openJournal(resolve(options.journal ?? join(options.outDir, DEFAULT_JOURNAL_NAME)), {
    readOnly: true,
  });
  const snapshots = snapshotsFrom(await journal.load());
  const actions: PlannedAction[] = [];
  for (const job of jobs) {
    const snapshot = snapshots.get(job.id) ?? emptySnapshot(job.id);
    const step = nextStep(job, snapshot, { now: systemClock.now(), retryFailed: options.retryFailed });
    const base = {
      id: job.id,
      state: snapshot.state,
      uploads: [] as string[],
      taskId: snapshot.taskId,
      output: outputPathFor(job, options.outDir),
      inputsChanged: inputsChanged(job, snapshot),
    };
    switch (step.kind) {
      case "upload":
        actions.push({ ...base, action: "upload-and-create", uploads: Object.values(step.files) as string[] });
        break;
      case "create":
        actions.push({ ...base, action: step.retried ? "retry" : "create" });
        break;
      case "wait":
        actions.push({ ...base, action: snapshot.state === "completed" ? "download" : "wait" });
        break;
      case "verify":
        actions.push({ ...base, action: (await outputIsValid(step.output)) ? "skip" : "download" });
        break;
      case "failed":
        actions.push({ ...base, action: "report-failed" });
        break;
    }
  }
  return actions;
}

/** Local files a job would upload (for display). */
export function localFiles(job: BatchJob): string[] {
  return MEDIA_FIELDS.map((field) => job[field]).filter((value): value is string => !!value && !isUrl(value));
}

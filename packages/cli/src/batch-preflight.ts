import { join, resolve } from "node:path";
import {
  type BatchJob,
  DEFAULT_JOURNAL_NAME,
  emptySnapshot,
  inputsChanged,
  isUrl,
  manifestLineOf,
  nextStep,
  openJournal,
  type PlannedAction,
  snapshotsFrom,
} from "@videoretalk/batch";
import { systemClock } from "@videoretalk/core";
import {
  checkLipSyncInputs,
  inspectMedia,
  type LipSyncCheck,
  type MediaFacts,
  MediaReadError,
  type PreflightProblem,
} from "@videoretalk/preflight";

/**
 * The media pre-check of `videoretalk batch`: every row the run would still upload and create is
 * checked with @videoretalk/preflight before anything is sent. It lives in the CLI so that
 * @videoretalk/batch stays free of the media parser.
 */

/** How many rows are inspected at once, so a 1,000-row manifest never opens 1,000 files together. */
export const ROW_CHECK_CONCURRENCY = 4;

/** The pre-check of one row. */
export interface RowCheck {
  id: string;
  /** The row's manifest line (undefined for a job not read from a manifest). */
  line: number | undefined;
  /** True when a problem has severity `refuse` (the API would fail the task). */
  refused: boolean;
  problems: PreflightProblem[];
  /** Seconds the task would bill; undefined when a length could not be read. */
  billableSeconds: number | undefined;
}

/** What the pre-check found over all the rows it checked. */
export interface BatchPreflight {
  rows: RowCheck[];
  /** Ids of the refused rows, in manifest order. */
  refused: string[];
  /** Billable seconds of the rows whose lengths could be read. */
  billableSeconds: number;
  /** Rows whose billable length is unknown (not counted in `billableSeconds`). */
  billableUnknown: number;
}

/** Dry-run actions that end in a create call. */
const CREATING_ACTIONS: ReadonlySet<PlannedAction["action"]> = new Set(["upload-and-create", "create", "retry"]);

/**
 * The jobs a dry run says would be created. A job whose inputs changed is left out: the run
 * refuses to start for it anyway (exit 2).
 */
export function jobsCreatedBy(jobs: BatchJob[], actions: PlannedAction[]): BatchJob[] {
  const creating = new Set(actions.filter((a) => CREATING_ACTIONS.has(a.action) && !a.inputsChanged).map((a) => a.id));
  return jobs.filter((job) => creating.has(job.id));
}

/**
 * The jobs a real run would upload and create, from the journal (read without its lock, so
 * nothing is written): rows already created, finished or downloaded are not checked again.
 * Cheaper than `describeBatch`, which also re-hashes every downloaded result.
 */
export async function jobsToCreate(
  jobs: BatchJob[],
  options: { outDir: string; journal?: string | undefined; retryFailed?: boolean | undefined },
): Promise<BatchJob[]> {
  const path = resolve(options.journal ?? join(options.outDir, DEFAULT_JOURNAL_NAME));
  const journal = await openJournal(path, { readOnly: true });
  const snapshots = snapshotsFrom(await journal.load());
  const now = systemClock.now();
  return jobs.filter((job) => {
    const snapshot = snapshots.get(job.id) ?? emptySnapshot(job.id);
    if (inputsChanged(job, snapshot)) return false;
    const step = nextStep(job, snapshot, { now, retryFailed: options.retryFailed });
    return step.kind === "upload" || step.kind === "create";
  });
}

/**
 * Runs `work` on every item with at most `limit` running at once; results keep the items'
 * order. The first failure stops handing out new items and is thrown.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The API downloads URLs itself, so one this machine cannot read may still work: a warning, as
 * in `lipsync`'s pre-check. A local file that cannot be read stays a refusal.
 */
function relaxUnreadableUrls(check: LipSyncCheck, job: BatchJob): PreflightProblem[] {
  const values = { video: job.video, audio: job.audio, ref_image: job.ref_image ?? "" };
  return check.problems.map((problem) =>
    problem.code === "unreadable" && isUrl(values[problem.input]) ? { ...problem, severity: "warn" as const } : problem,
  );
}

/**
 * Inspects each distinct source once (catalogues reuse a video or an audio across many rows).
 * A source that cannot be read is not cached: the row's check reads it again and reports it.
 */
function factsCache(signal: AbortSignal | undefined) {
  const cache = new Map<string, Promise<MediaFacts | undefined>>();
  return (source: string): Promise<MediaFacts | string> => {
    let facts = cache.get(source);
    if (!facts) {
      facts = inspectMedia(source, signal ? { signal } : {}).catch((error: unknown) => {
        if (error instanceof MediaReadError) return undefined;
        throw error;
      });
      cache.set(source, facts);
    }
    return facts.then((found) => found ?? source);
  };
}

/**
 * Checks `jobs` against VideoRetalk's limits, {@link ROW_CHECK_CONCURRENCY} rows at a time, and
 * adds up the billable seconds.
 *
 * @example
 * const found = await checkBatchRows(await jobsToCreate(jobs, { outDir }));
 * for (const row of found.rows.filter((r) => r.refused)) console.error(`line ${row.line}: refused`);
 */
export async function checkBatchRows(
  jobs: BatchJob[],
  options: { signal?: AbortSignal | undefined; concurrency?: number | undefined } = {},
): Promise<BatchPreflight> {
  const factsOf = factsCache(options.signal);
  const rows = await mapWithConcurrency(jobs, options.concurrency ?? ROW_CHECK_CONCURRENCY, async (job) => {
    const [video, audio, refImage] = await Promise.all([
      factsOf(job.video),
      factsOf(job.audio),
      job.ref_image === undefined ? undefined : factsOf(job.ref_image),
    ]);
    const check = await checkLipSyncInputs(
      {
        video,
        audio,
        ...(refImage === undefined ? {} : { ref_image: refImage }),
        video_extension: job.video_extension === true,
      },
      options.signal ? { signal: options.signal } : {},
    );
    const problems = relaxUnreadableUrls(check, job);
    const refused = problems.some((problem) => problem.severity === "refuse");
    return {
      id: job.id,
      line: manifestLineOf(job),
      refused,
      problems,
      billableSeconds: check.billableSeconds,
    } satisfies RowCheck;
  });
  return {
    rows,
    refused: rows.filter((row) => row.refused).map((row) => row.id),
    billableSeconds: rows.reduce((sum, row) => sum + (row.billableSeconds ?? 0), 0),
    billableUnknown: rows.filter((row) => row.billableSeconds === undefined).length,
  };
}

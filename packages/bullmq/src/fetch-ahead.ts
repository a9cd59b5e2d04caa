import type { Worker } from "bullmq";

/** What a job tells the fetch-ahead control about itself. */
export interface FetchAhead {
  /** The job has its task (created or resumed) and now only waits. */
  waiting(): void;
  /** The job's run ended; `wasWaiting` if it had reported {@link waiting}. */
  settled(wasWaiting: boolean): void;
}

/**
 * Keeps BullMQ from fetching far more jobs than this process is about to create: its
 * concurrency is the jobs already waiting on a task plus `lookahead`, up to `max`. Fetched all at
 * once, a worker's 250 jobs of a 1,000-job batch held up its first creates by 1–1.5 s in the
 * scale-out bench (fetches and checkpoints of jobs that could not be created for seconds
 * competing with the ones that could). Waiting jobs still never wait for a slot: each one raises
 * the concurrency by one.
 *
 * BullMQ reads a raised concurrency only when a job ends; so that a run of long tasks does not
 * stall fetching, once half of the jobs fetched ahead have started waiting, the raise also wakes
 * its fetch loop (`pause(true)` then `resume()`, its public way to do so).
 */
export function createFetchAhead(
  worker: Pick<Worker, "concurrency" | "pause" | "resume" | "isRunning" | "closing">,
  max: number,
  lookahead: number,
  shutdown: AbortSignal,
): FetchAhead {
  let waitingJobs = 0;
  let fetchedUpTo = worker.concurrency;
  let waking = false;
  const adjust = () => {
    const target = Math.min(max, waitingJobs + lookahead);
    worker.concurrency = target;
    if (target <= fetchedUpTo) {
      fetchedUpTo = target;
      return;
    }
    // Wake the fetch loop once half of the jobs fetched ahead are used up (not per job).
    if (waking || fetchedUpTo - waitingJobs > lookahead / 2) return;
    fetchedUpTo = target;
    if (shutdown.aborted || worker.closing || !worker.isRunning()) return;
    waking = true;
    void worker
      .pause(true)
      .then(() => (shutdown.aborted ? undefined : worker.resume()))
      .finally(() => {
        waking = false;
        adjust();
      });
  };
  return {
    waiting() {
      waitingJobs++;
      adjust();
    },
    settled(wasWaiting) {
      if (wasWaiting) waitingJobs = Math.max(0, waitingJobs - 1);
      adjust();
    },
  };
}

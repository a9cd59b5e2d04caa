import { open, readFile, rm } from "node:fs/promises";

/** Thrown when another live process holds the journal. */
export class JournalLockedError extends Error {
  override name = "JournalLockedError";
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(`${path} is in use by process ${pid}: one batch per journal (and per out-dir) at a time.`);
  }
}

/** Locks this process holds: its own pid in a lock file means "held" only if listed here. */
const held = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes `<journal>.lock` for this process. A lock left by a process that no longer runs (a
 * `kill -9`, a power cut) is taken over; one held by a live process is refused, because two
 * writers would interleave steps of the same jobs.
 *
 * @returns a function that removes the lock.
 */
export async function acquireLock(path: string): Promise<() => Promise<void>> {
  for (let tries = 0; tries < 3; tries++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      held.add(path);
      return async () => {
        held.delete(path);
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
      const live = pid === process.pid ? held.has(path) : Number.isInteger(pid) && pid > 0 && isAlive(pid);
      if (live) {
        throw new JournalLockedError(path, pid);
      }
      await rm(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}`);
}

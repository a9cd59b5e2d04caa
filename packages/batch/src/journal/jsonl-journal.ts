import { type FileHandle, mkdir, open, readFile, truncate } from "node:fs/promises";
import { dirname } from "node:path";
import { type Checkpoint, isCheckpoint } from "../job-model/checkpoints.js";
import type { CheckpointStore } from "../job-model/store.js";
import { acquireLock } from "./lock-file.js";

/** File name of the journal inside the out-dir when no path is given. */
export const DEFAULT_JOURNAL_NAME = ".videoretalk-batch.jsonl";

/** A journal line that is not the last one cannot be read: the file was edited or damaged. */
export class JournalCorruptError extends Error {
  override name = "JournalCorruptError";
  constructor(
    readonly path: string,
    readonly line: number,
  ) {
    super(`${path}, line ${line}: not a journal entry. Fix or remove that line, then run again.`);
  }
}

/** Options of {@link openJournal}. */
export interface OpenJournalOptions {
  /** Read only (for `--dry-run`): no lock, no repair, `append` throws. Default false. */
  readOnly?: boolean | undefined;
}

/** What {@link openJournal} found in an existing file. */
export interface JournalInfo {
  /** Bytes of a torn last line (a crash mid-write) that were dropped; 0 when the file was whole. */
  tornBytes: number;
}

/**
 * The local checkpoint store: an append-only JSONL file, one checkpoint per line. Every append is
 * written and fsynced before it resolves; appends that arrive while a sync is running are
 * written together by the next one (group commit), so a busy batch does not pay one fsync per
 * job step. A torn last line (the process died mid-write) is dropped when the journal is opened.
 */
export class JsonlJournal implements CheckpointStore {
  private queue: { line: string; done: () => void; fail: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;

  /** @internal use {@link openJournal}. */
  constructor(
    readonly path: string,
    readonly info: JournalInfo,
    private readonly checkpoints: Checkpoint[],
    private readonly handle: FileHandle | undefined,
    private readonly unlock: (() => Promise<void>) | undefined,
  ) {}

  async load(): Promise<Checkpoint[]> {
    return [...this.checkpoints];
  }

  append(checkpoint: Checkpoint): Promise<void> {
    if (!this.handle || this.closed) return Promise.reject(new Error(`${this.path} is not open for writing`));
    const line = `${JSON.stringify(checkpoint)}\n`;
    return new Promise<void>((done, fail) => {
      this.queue.push({ line, done, fail });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    const handle = this.handle as FileHandle;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await handle.write(batch.map((entry) => entry.line).join(""));
        await handle.sync();
        this.checkpoints.push(...batch.map((entry) => JSON.parse(entry.line) as Checkpoint));
        for (const entry of batch) entry.done();
      } catch (error) {
        for (const entry of batch) entry.fail(error);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.handle?.close();
    await this.unlock?.();
  }
}

function parseLines(path: string, text: string): { checkpoints: Checkpoint[]; wholeLength: number } {
  const lastNewline = text.lastIndexOf("\n");
  const wholeLength = lastNewline + 1;
  const checkpoints: Checkpoint[] = [];
  const lines = text.slice(0, wholeLength).split("\n");
  lines.pop();
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new JournalCorruptError(path, index + 1);
    }
    if (!isCheckpoint(value)) throw new JournalCorruptError(path, index + 1);
    checkpoints.push(value);
  });
  return { checkpoints, wholeLength };
}

/**
 * Opens (or creates) the journal at `path`, takes its lock (`<path>.lock`; a lock left by a dead
 * process is taken over), reads every checkpoint back and cuts off a torn last line.
 *
 * @example
 * const journal = await openJournal("./out/.videoretalk-batch.jsonl");
 * const snapshots = snapshotsFrom(await journal.load());
 * @throws {JournalLockedError} when another live process has it open.
 * @throws {JournalCorruptError} for an unreadable line that is not the last.
 */
export async function openJournal(path: string, options: OpenJournalOptions = {}): Promise<JsonlJournal> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  const { checkpoints, wholeLength } = parseLines(path, text);
  const info = { tornBytes: Buffer.byteLength(text.slice(wholeLength)) };
  if (options.readOnly) return new JsonlJournal(path, info, checkpoints, undefined, undefined);
  await mkdir(dirname(path), { recursive: true });
  const unlock = await acquireLock(`${path}.lock`);
  try {
    if (info.tornBytes > 0) await truncate(path, Buffer.byteLength(text.slice(0, wholeLength)));
    const handle = await open(path, "a");
    return new JsonlJournal(path, info, checkpoints, handle, unlock);
  } catch (error) {
    await unlock();
    throw error;
  }
}

import { join } from "node:path";
import { type CheckpointStore, DEFAULT_JOURNAL_NAME, openJournal } from "@videoretalk/batch";

/** The coordinator's store: the one given, or the local batch's journal in the out-dir. */
export async function openStore(
  journal: CheckpointStore | string | undefined,
  outDir: string,
): Promise<{ store: CheckpointStore; owned: boolean }> {
  if (journal !== undefined && typeof journal !== "string") return { store: journal, owned: false };
  return { store: await openJournal(journal ?? join(outDir, DEFAULT_JOURNAL_NAME)), owned: true };
}

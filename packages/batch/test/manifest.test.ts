import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultJobId, ManifestError, manifestLineOf, readManifest } from "../src/index.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vr-manifest-"));
  await writeFile(join(dir, "speaker.mp4"), "video");
  await writeFile(join(dir, "de.wav"), "audio");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function manifest(name: string, text: string) {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function problemsOf(path: string, outDir?: string) {
  const error = await readManifest(path, { outDir }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ManifestError);
  return (error as ManifestError).problems.map((p) => `${p.line}:${p.field}`);
}

describe("readManifest", () => {
  it("reads a CSV with a header row: URLs as given, local paths relative to the manifest's folder", async () => {
    const path = await manifest(
      "ok.csv",
      [
        "id,video,audio,query_face_threshold,video_extension,out",
        "intro-de,speaker.mp4,de.wav,150,true,de/intro.mp4",
        ',https://cdn.example.com/a.mp4,"https://cdn.example.com/a,fr.wav",,,',
      ].join("\n"),
    );
    const jobs = await readManifest(path, { outDir: join(dir, "out") });
    expect(jobs[0]).toEqual({
      id: "intro-de",
      video: join(dir, "speaker.mp4"),
      audio: join(dir, "de.wav"),
      query_face_threshold: 150,
      video_extension: true,
      out: "de/intro.mp4",
    });
    const second = { video: "https://cdn.example.com/a.mp4", audio: "https://cdn.example.com/a,fr.wav" };
    expect(jobs[1]).toEqual({ id: defaultJobId(second), ...second });
    expect(defaultJobId(second)).toMatch(/^job-[0-9a-f]{16}$/);
  });

  it("reads JSONL, one object per line", async () => {
    const path = await manifest(
      "ok.jsonl",
      '{"id":"a","video":"speaker.mp4","audio":"https://x.example/a.wav","video_extension":false}\n\n{"id":"b","video":"https://x.example/b.mp4","audio":"de.wav","query_face_threshold":"170"}\n',
    );
    const jobs = await readManifest(path);
    expect(jobs.map((job) => [job.id, job.video_extension, job.query_face_threshold])).toEqual([
      ["a", false, undefined],
      ["b", undefined, 170],
    ]);
  });

  it("lists every bad row with its line and field, before anything is sent", async () => {
    const path = await manifest(
      "bad.csv",
      [
        "id,video,audio,query_face_threshold,video_extension",
        "a,speaker.mp4,de.wav,119,",
        "b,missing.mp4,de.wav,,maybe",
        "c,,de.wav,,",
        "d,ftp://example.com/v.mp4,de.wav,abc,",
        "e,speaker.mp4,de.wav,200,false",
      ].join("\n"),
    );
    expect(await problemsOf(path)).toEqual([
      "2:query_face_threshold",
      "3:video_extension",
      "4:video",
      "5:query_face_threshold",
    ]);
    const unknown = await manifest(
      "unknown.jsonl",
      '{"video":"speaker.mp4","audio":"de.wav","vidoe":"x"}\nnot json\n[1]\n',
    );
    expect(await problemsOf(unknown)).toEqual(["1:vidoe", "2:row", "3:row"]);
    const local = await manifest(
      "local.jsonl",
      '{"video":"nope.mp4","audio":"de.wav"}\n{"video":"speaker.mp4","audio":"https://x/a.wav","ref_image":"face.png"}\n',
    );
    expect(await problemsOf(local)).toEqual(["1:video", "2:ref_image"]);
  });

  it("refuses duplicate ids and two jobs writing one output file", async () => {
    const path = await manifest(
      "dupes.csv",
      [
        "id,video,audio,out",
        "a,speaker.mp4,de.wav,",
        "b,speaker.mp4,de.wav,",
        "a,speaker.mp4,https://x/fr.wav,",
        "c,speaker.mp4,de.wav,b.mp4",
      ].join("\n"),
    );
    expect(await problemsOf(path, join(dir, "out"))).toEqual(["4:id", "5:out"]);
  });

  it("refuses a CSV row with the wrong number of cells, and an empty manifest", async () => {
    expect(await problemsOf(await manifest("cells.csv", "video,audio\nspeaker.mp4,de.wav,extra\n"))).toEqual(["2:row"]);
    expect(await problemsOf(await manifest("empty.csv", "video,audio\n"))).toEqual(["1:row"]);
  });
});

describe("manifest lines in reports (a row must be findable in a 10,000-line CSV)", () => {
  it("manifestLineOf gives each job's line: the header is line 1, blank lines count in JSONL", async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `row-${i},https://x.example/${i}.mp4,de.wav`);
    const csvJobs = await readManifest(await manifest("lines.csv", ["id,video,audio", ...rows].join("\n")));
    expect(manifestLineOf(csvJobs[0] as (typeof csvJobs)[0])).toBe(2);
    expect(manifestLineOf(csvJobs[1232] as (typeof csvJobs)[0])).toBe(1234);
    expect(csvJobs[1232]?.id).toBe("row-1232");
    // The line lives beside the job, not in it: the job's fields (and so its key) are unchanged.
    expect(Object.keys(csvJobs[0] ?? {})).not.toContain("line");

    const jsonl = await readManifest(
      await manifest(
        "lines.jsonl",
        '{"id":"a","video":"speaker.mp4","audio":"de.wav"}\n\n{"id":"b","video":"speaker.mp4","audio":"de.wav"}\n',
      ),
    );
    expect(jsonl.map((job) => [job.id, manifestLineOf(job)])).toEqual([
      ["a", 1],
      ["b", 3],
    ]);
    expect(manifestLineOf({ id: "built", video: "v.mp4", audio: "a.wav" })).toBeUndefined();
  });

  it("a bad row is named by line and id in the message and the problems", async () => {
    const path = await manifest(
      "bad-ids.csv",
      [
        "id,video,audio,query_face_threshold",
        "good,speaker.mp4,de.wav,",
        "x,speaker.mp4,de.wav,999",
        ",missing.mp4,de.wav,",
      ].join("\n"),
    );
    const error = (await readManifest(path).catch((e: unknown) => e)) as ManifestError;
    expect(error).toBeInstanceOf(ManifestError);
    expect(error.message).toContain('  line 3 (id "x"), query_face_threshold: ');
    // A row without an id is named by its line alone.
    expect(error.message).toMatch(/\n {2}line 4, video: no such file/);
    expect(error.problems.map((p) => [p.line, p.id, p.field])).toEqual([
      [3, "x", "query_face_threshold"],
      [4, undefined, "video"],
    ]);
  });
});

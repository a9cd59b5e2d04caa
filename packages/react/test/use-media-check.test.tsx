import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { type MediaFilesCheck, type MediaFilesInputs, useMediaCheck } from "../src/index.js";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const result = (ok: boolean, code = "video.duration.min"): MediaFilesCheck => ({
  ok,
  problems: ok ? [] : [{ input: "video", code, message: "video is 1.5 s long; at least 2 s.", severity: "refuse" }],
  billableSeconds: undefined,
  facts: {},
});

describe("useMediaCheck", () => {
  it("goes idle → checking → done with the check's result", async () => {
    const pending = deferred<MediaFilesCheck>();
    const seen: MediaFilesInputs[] = [];
    const { result: hook } = renderHook(() =>
      useMediaCheck({
        check: (inputs) => {
          seen.push(inputs);
          return pending.promise;
        },
      }),
    );
    expect(hook.current.status).toBe("idle");
    const video = new File(["x"], "clip.mp4");
    let returned: Promise<MediaFilesCheck | undefined> | undefined;
    act(() => {
      returned = hook.current.check({ video });
    });
    expect(hook.current.status).toBe("checking");
    await act(async () => pending.resolve(result(false)));
    expect(await returned).toEqual(result(false));
    expect(hook.current.status).toBe("done");
    expect(hook.current.result?.problems[0]?.code).toBe("video.duration.min");
    expect(seen).toEqual([{ video }]);
  });

  it("keeps only the latest check when an older one finishes last", async () => {
    const first = deferred<MediaFilesCheck>();
    const second = deferred<MediaFilesCheck>();
    const queue = [first, second];
    const { result: hook } = renderHook(() => useMediaCheck({ check: () => (queue.shift() ?? first).promise }));
    let older: Promise<MediaFilesCheck | undefined> | undefined;
    act(() => {
      older = hook.current.check({ video: new File(["a"], "a.mp4") });
      void hook.current.check({ video: new File(["b"], "b.mp4") });
    });
    await act(async () => second.resolve(result(true)));
    await act(async () => first.resolve(result(false)));
    expect(await older).toBeUndefined();
    expect(hook.current.result?.ok).toBe(true);
    expect(hook.current.status).toBe("done");
  });

  it("reports a check that could not run as an error, and reset clears it", async () => {
    const failure = new Error("Checking files needs @videoretalk/preflight");
    const { result: hook } = renderHook(() => useMediaCheck({ check: () => Promise.reject(failure) }));
    await act(async () => {
      await hook.current.check({ video: new File(["x"], "clip.mp4") });
    });
    expect(hook.current.status).toBe("error");
    expect(hook.current.error).toBe(failure);
    act(() => hook.current.reset());
    await waitFor(() => expect(hook.current.status).toBe("idle"));
    expect(hook.current.error).toBeUndefined();
  });
});

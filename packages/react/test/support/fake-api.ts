import { createVideoRetalk, type Task, type VideoRetalkClient } from "@videoretalk/core";

/**
 * A scripted stand-in for the VideoRetalk API, handed to a real core client as its `fetch`.
 * It answers the two calls the hooks make: create (`POST /v1/videos/generations`) and get
 * (`GET /v1/tasks/{id}`), and records every request with its headers and AbortSignal.
 */

export const BASE_URL = "https://api.videoretalk.test";
export const TASK_ID = "task-unified-1756817821-4x3rx6ny";
export const RESULT_URL = `https://files.videoretalk.test/results/${TASK_ID}.mp4`;
export const PARAMS = {
  video_url: "https://media.videoretalk.test/speaker.mp4",
  audio_url: "https://media.videoretalk.test/speech.wav",
};

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal | undefined;
}

/** A reply: a task (200) or an HTTP error, optionally held until released. */
export type Reply =
  | Partial<Task>
  | { httpStatus: number; body?: unknown; headers?: Record<string, string> }
  | { hold: true };

export function task(status: Task["status"], progress: number, extra: Partial<Task> = {}): Partial<Task> {
  return { status, progress, ...extra };
}

/** pending → processing (30, 60) → completed with a result. */
export function happyTimeline(): Reply[] {
  return [
    task("pending", 5),
    task("processing", 30),
    task("processing", 60),
    task("completed", 100, { results: [RESULT_URL] }),
  ];
}

export interface FakeApiOptions {
  /** Id given to created tasks; a counter suffix is added after the first. */
  taskId?: string;
  /** Replies to successive GETs of each task (per id); the last one repeats. */
  timeline?: Reply[];
  /** Replies to successive creates; default: a new pending task each time. */
  createReplies?: Reply[];
}

export interface FakeApi {
  fetch: typeof fetch;
  requests: RecordedRequest[];
  creates(): RecordedRequest[];
  gets(): RecordedRequest[];
  /** Sets the replies to GETs of `taskId` (used for resumed tasks). */
  setTimeline(taskId: string, replies: Reply[]): void;
  /** Releases every held request (each answers with the next reply of its script). */
  release(): void;
  /** A core client on this fake: browser allowed (the tests run in happy-dom), no retries. */
  client(options?: { apiKey?: string | null }): VideoRetalkClient;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

function abortError(): Error {
  return new DOMException("This operation was aborted", "AbortError");
}

export function createFakeApi(options: FakeApiOptions = {}): FakeApi {
  const baseId = options.taskId ?? TASK_ID;
  const requests: RecordedRequest[] = [];
  const timelines = new Map<string, Reply[]>();
  const reads = new Map<string, number>();
  const createReplies = [...(options.createReplies ?? [])];
  const held: (() => void)[] = [];
  let created = 0;
  let answered = 0;

  const answer = (reply: Reply, taskId: string): Response => {
    if ("httpStatus" in reply) return json(reply.httpStatus, reply.body ?? {}, reply.headers);
    answered++;
    return json(
      200,
      {
        id: taskId,
        object: "video.generation.task",
        model: "videoretalk",
        created: 1_756_817_821,
        type: "video",
        ...reply,
      },
      { "x-request-id": `req_task_${answered}` },
    );
  };

  const holdThen = (signal: AbortSignal | undefined, reply: () => Response): Promise<Response> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      signal?.addEventListener("abort", () => reject(abortError()), { once: true });
      held.push(() => resolve(reply()));
    });

  const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const method = (init.method ?? "GET").toUpperCase();
    const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    const signal = init.signal ?? undefined;
    requests.push({ method, path: url.pathname, headers, body, signal });

    // Paths are matched at the end, so a proxy mounted below a base path answers the same.
    if (method === "POST" && url.pathname.endsWith("/v1/videos/generations")) {
      const reply = createReplies.shift();
      const id = created === 0 ? baseId : `${baseId.slice(0, -2)}${String(created).padStart(2, "0")}`;
      const respond = (): Response => {
        if (reply && "httpStatus" in reply) return answer(reply, id);
        created++;
        if (!timelines.has(id)) timelines.set(id, [...(options.timeline ?? happyTimeline())]);
        return answer(
          { status: "pending", progress: 0, task_info: { can_cancel: true, estimated_time: 45 }, ...(reply ?? {}) },
          id,
        );
      };
      if (reply && "hold" in reply) return holdThen(signal, respond);
      return respond();
    }

    const match = /\/v1\/tasks\/([^/]+)$/.exec(url.pathname);
    if (method === "GET" && match?.[1]) {
      const id = decodeURIComponent(match[1]);
      const timeline = timelines.get(id);
      if (!timeline) {
        return json(
          404,
          { error: { code: "task_not_found", message: `Task ${id} not found`, type: "invalid_request_error" } },
          { "x-request-id": "req_404" },
        );
      }
      const index = reads.get(id) ?? 0;
      reads.set(id, index + 1);
      const reply = timeline[Math.min(index, timeline.length - 1)] ?? {};
      if ("hold" in reply) {
        const next = timeline[Math.min(index + 1, timeline.length - 1)] ?? {};
        return holdThen(signal, () => answer("hold" in next ? {} : next, id));
      }
      return answer(reply, id);
    }
    return json(404, { error: { code: "not_found", message: "no such route" } });
  };

  return {
    fetch: fetchImpl as typeof fetch,
    requests,
    creates: () => requests.filter((r) => r.method === "POST"),
    gets: () => requests.filter((r) => r.method === "GET"),
    setTimeline: (taskId, replies) => {
      timelines.set(taskId, [...replies]);
    },
    release: () => {
      for (const resolve of held.splice(0)) resolve();
    },
    client: ({ apiKey = "sk-test-key" } = {}) =>
      createVideoRetalk({
        apiKey,
        baseUrl: BASE_URL,
        fetch: fetchImpl as typeof fetch,
        dangerouslyAllowBrowser: true,
        maxRetries: 0,
      }),
  };
}

import { traceCall } from "@videoretalk/core";
import type { DownloadResult } from "./options.js";
import type { DownloadSource } from "./source.js";

/**
 * Runs a download inside a `videoretalk.download` span when an OpenTelemetry tracer provider is
 * registered (see core's "Tracing"), else just runs it. The span has `url.full` without the
 * query (result links are signed there), `server.address`, the task id, the bytes written and
 * the number of resumes; a failure adds `error.type` and, for an HTTP error, its status.
 */
export function traceDownload<R extends DownloadResult>(source: DownloadSource, run: () => Promise<R>): Promise<R> {
  const attributes: Record<string, string> = { "url.full": source.url };
  if (source.taskId) attributes["videoretalk.task.id"] = source.taskId;
  return traceCall("videoretalk.download", attributes, async (span) => {
    if (!span) return run();
    try {
      const result = await run();
      span.setAttribute("videoretalk.download.bytes", result.bytes);
      span.setAttribute("videoretalk.download.resumes", result.resumes);
      return result;
    } catch (error) {
      const status = (error as { status?: unknown }).status;
      if (typeof status === "number") span.setAttribute("http.response.status_code", status);
      throw error;
    }
  });
}

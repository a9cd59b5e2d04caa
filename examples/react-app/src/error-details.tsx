import { ValidationError, type VideoRetalkError } from "@videoretalk/core";
import { TaskCancelledError, TaskFailedError } from "@videoretalk/polling";

/**
 * Shows a failure the way a support ticket needs it: the error class, its message, the API's
 * code, the HTTP status and the request id. `error` is always a VideoRetalkError subclass:
 * an HTTP error relayed by the proxy (AuthenticationError, RateLimitError, …), a ValidationError
 * raised before sending, or TaskFailedError / TaskCancelledError for a task that ended badly.
 */
export function ErrorDetails({ error }: { error: VideoRetalkError }) {
  const code = "code" in error ? (error as { code?: unknown }).code : undefined;
  return (
    <div role="alert" className="error" aria-labelledby="error-heading">
      <h2 id="error-heading">{headline(error)}</h2>
      <p className="error-message">
        <strong className="error-class">{error.name}</strong>: {error.message}
      </p>
      <dl>
        {code !== undefined && code !== null ? (
          <>
            <dt>Code</dt>
            <dd className="error-code">{String(code)}</dd>
          </>
        ) : null}
        {error.status !== undefined ? (
          <>
            <dt>HTTP status</dt>
            <dd>{error.status}</dd>
          </>
        ) : null}
        <dt>Request id</dt>
        <dd className="error-request-id">{error.requestId ?? "none"}</dd>
      </dl>
    </div>
  );
}

function headline(error: VideoRetalkError): string {
  if (error instanceof TaskFailedError) return "The video could not be processed";
  if (error instanceof TaskCancelledError) return "The task was cancelled";
  if (error instanceof ValidationError) return "Please check the inputs";
  return "Something went wrong";
}

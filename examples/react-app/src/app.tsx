import { type LipSyncStatus, useLipSync } from "@videoretalk/react";
import { type FormEvent, useEffect, useId, useState } from "react";
import { type AppConfig, useAppConfig } from "./app-config";
import { ErrorDetails } from "./error-details";
import { readTaskIdFromUrl, writeTaskIdToUrl } from "./task-url";

const BUSY: ReadonlySet<LipSyncStatus> = new Set(["creating", "pending", "processing"]);

/** Loads /config (the sample media URLs and polling bounds), then shows the lip-sync form. */
export function App() {
  const config = useAppConfig();
  return (
    <main>
      <h1>Lip-sync a video</h1>
      {config.isPending ? <p>Loading…</p> : null}
      {config.error ? <p role="alert">Could not load the page configuration: {config.error.message}</p> : null}
      {config.data ? <LipSync config={config.data} /> : null}
    </main>
  );
}

function LipSync({ config }: { config: AppConfig }) {
  // A task id in the URL (`?task=…`) is resumed: polled to its end, nothing is created.
  const [resumeId, setResumeId] = useState(readTaskIdFromUrl);
  const { start, reset, taskId, status, progress, resultUrl, error } = useLipSync({
    taskId: resumeId,
    minIntervalMs: config.poll?.minIntervalMs,
    maxIntervalMs: config.poll?.maxIntervalMs,
  });
  const [videoUrl, setVideoUrl] = useState(config.sampleVideoUrl);
  const [audioUrl, setAudioUrl] = useState(config.sampleAudioUrl);
  const ids = { video: useId(), audio: useId(), status: useId() };

  // Keep the id in the URL as soon as the task exists, so a reload resumes it.
  useEffect(() => {
    if (taskId !== null) writeTaskIdToUrl(taskId);
  }, [taskId]);

  const busy = BUSY.has(status);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Ignored by the hook while a submission or an unfinished task is running.
    start({ video_url: videoUrl.trim(), audio_url: audioUrl.trim() });
  };

  const onReset = () => {
    reset();
    setResumeId(null);
    writeTaskIdToUrl(null);
  };

  return (
    <>
      <p className="backend">
        {config.backend === "emulator"
          ? `Backend: the local emulator (tasks run ${config.speed ?? 1}× faster than the real API).`
          : "Backend: the VideoRetalk API."}{" "}
        The API key stays on the server; this page only talks to <code>/api/videoretalk</code>.
      </p>

      <form onSubmit={onSubmit} aria-label="Lip-sync inputs">
        <label htmlFor={ids.video}>Video URL</label>
        <input
          id={ids.video}
          name="video_url"
          type="url"
          required
          value={videoUrl}
          onChange={(event) => setVideoUrl(event.target.value)}
        />
        <label htmlFor={ids.audio}>Audio URL</label>
        <input
          id={ids.audio}
          name="audio_url"
          type="url"
          required
          value={audioUrl}
          onChange={(event) => setAudioUrl(event.target.value)}
        />
        <div className="buttons">
          <button type="submit" disabled={busy}>
            Start
          </button>
          <button type="button" onClick={onReset} disabled={status === "idle"}>
            Reset
          </button>
        </div>
      </form>

      <section aria-labelledby={ids.status} className="progress">
        <h2 id={ids.status}>Progress</h2>
        <progress aria-label="Lip-sync progress" max={100} value={progress} />
        <p role="status" className="status">
          Status: <span className="status-value">{status}</span> ({progress}%)
        </p>
        {taskId !== null ? (
          <p className="task-id">
            Task: <code>{taskId}</code>
          </p>
        ) : null}
      </section>

      {error ? <ErrorDetails error={error} /> : null}

      {resultUrl ? (
        <section aria-labelledby="result-heading" className="result">
          <h2 id="result-heading">Result</h2>
          {/* biome-ignore lint/a11y/useMediaCaption: the sample output has no spoken-text track to offer. */}
          <video aria-label="Lip-synced video" src={resultUrl} controls playsInline preload="metadata" />
          <p>
            <a href={resultUrl} target="_blank" rel="noreferrer">
              Open the video
            </a>{" "}
            (the link is valid for 24 hours).
          </p>
        </section>
      ) : null}
    </>
  );
}

import type { MediaProblem, UseMediaCheckResult } from "@videoretalk/react";
import { useId } from "react";

/** What a picker holds: a URL typed in, or a file chosen from disk (which wins while set). */
export interface PickedMedia {
  url: string;
  file: File | null;
}

interface MediaPickerProps {
  /** `video` or `audio`: names the inputs (`video_url`, `video_file`) and the labels. */
  kind: "video" | "audio";
  accept: string;
  value: PickedMedia;
  onChange: (value: PickedMedia) => void;
  /** The in-page check of the chosen file (useMediaCheck), shown under the picker. */
  check: UseMediaCheckResult;
  disabled: boolean;
}

const TITLE = { video: "Video", audio: "Audio" } as const;

/**
 * A URL input plus a file picker for one input of the task. A chosen file is checked in the
 * page right away (nothing is uploaded); its problems are listed under the picker.
 */
export function MediaPicker({ kind, accept, value, onChange, check, disabled }: MediaPickerProps) {
  const ids = { url: useId(), file: useId(), problems: useId() };
  const title = TITLE[kind];
  return (
    <fieldset className="media-picker" data-input={kind} disabled={disabled}>
      <legend>{title}</legend>
      <label htmlFor={ids.url}>{title} URL</label>
      <input
        id={ids.url}
        name={`${kind}_url`}
        type="url"
        required={value.file === null}
        disabled={value.file !== null}
        value={value.url}
        onChange={(event) => onChange({ ...value, url: event.target.value })}
      />
      <label htmlFor={ids.file}>or {kind === "audio" ? "an audio" : "a video"} file from this computer</label>
      <input
        id={ids.file}
        name={`${kind}_file`}
        type="file"
        accept={accept}
        aria-describedby={ids.problems}
        onChange={(event) => {
          const file = event.target.files?.[0] ?? null;
          onChange({ ...value, file });
          if (file) void check.check({ [kind]: file });
          else check.reset();
        }}
      />
      {value.file ? (
        <button
          type="button"
          className="use-url"
          onClick={(event) => {
            const input = event.currentTarget.form?.elements.namedItem(`${kind}_file`);
            if (input instanceof HTMLInputElement) input.value = "";
            onChange({ ...value, file: null });
            check.reset();
          }}
        >
          Use the URL instead
        </button>
      ) : null}
      <div id={ids.problems} className="check" aria-live="polite">
        {value.file ? <CheckSummary kind={kind} check={check} /> : null}
      </div>
    </fieldset>
  );
}

function CheckSummary({ kind, check }: { kind: "video" | "audio"; check: UseMediaCheckResult }) {
  if (check.status === "checking") return <p className="check-state">Checking the file…</p>;
  if (check.status === "error") {
    return <p className="check-state check-failed">The file could not be checked: {String(check.error)}</p>;
  }
  const result = check.result;
  if (check.status !== "done" || !result) return null;
  const facts = result.facts[kind];
  return (
    <>
      <p className={`check-state ${result.ok ? "check-ok" : "check-refused"}`}>
        {result.ok ? "Ready to upload" : "This file cannot be used"}
        {facts ? ` (${describe(facts)})` : ""}
      </p>
      {result.problems.length > 0 ? (
        <ul className="problems">
          {result.problems.map((problem) => (
            <ProblemItem key={`${problem.code}:${problem.message}`} problem={problem} />
          ))}
        </ul>
      ) : null}
    </>
  );
}

function ProblemItem({ problem }: { problem: MediaProblem }) {
  return (
    <li className={`problem problem-${problem.severity}`} data-code={problem.code}>
      <strong>{problem.severity === "refuse" ? "Refused" : "Warning"}:</strong> {problem.message}
    </li>
  );
}

function describe(facts: NonNullable<UseMediaCheckResult["result"]>["facts"]["video"]): string {
  if (!facts) return "";
  const parts = [facts.container, `${facts.durationS.toFixed(2)} s`];
  if (facts.width && facts.height) parts.push(`${facts.width}×${facts.height}`);
  if (facts.fps) parts.push(`${Math.round(facts.fps)} fps`);
  return parts.join(", ");
}

import type { Client } from "openapi-fetch";
import type { Clock } from "./clock.js";
import { isBrowserLike } from "./env.js";
import { ValidationError } from "./errors.js";
import type { LoadFailurePath } from "./failure-loader.js";
import type { FilesContext, FilesResource } from "./files/files-resource.js";
import type { PathOpener } from "./files/upload-source.js";
import type { paths } from "./generated/schema.js";
import { lazyModule } from "./lazy-module.js";
import { API_KEY_ENV, refuseOption, resolveOptions, type VideoRetalkOptions } from "./options.js";
import { createLazyRawClient } from "./raw-client.js";
import { REDACTED, redactText } from "./redact.js";
import type { ResourceContext } from "./resources/context.js";
import { type CreditsResource, createCreditsResource } from "./resources/credits.js";
import { createLipSyncResource, type LipSyncResource } from "./resources/lip-sync.js";
import { createTasksResource, type TasksResource } from "./resources/tasks.js";
import type { TimeoutScheduler } from "./timeout-scheduler.js";
import { tracerProviderFrom } from "./tracing/tracing.js";
import { createTransport } from "./transport.js";

/** A VideoRetalk API client; see {@link createVideoRetalk}. */
export interface VideoRetalkClient {
  /** Create lip-sync tasks. */
  readonly lipSync: LipSyncResource;
  /** Read tasks back. */
  readonly tasks: TasksResource;
  /** Upload local files to get URLs for `video_url`, `audio_url` and `ref_image_url`. */
  readonly files: FilesResource;
  /** The account's credit balance. */
  readonly credits: CreditsResource;
  /**
   * The typed openapi-fetch client for anything the helpers do not cover. It shares the
   * client's authentication, retries, timeouts and idempotency keys, and returns
   * `{ data, error, response }` instead of throwing on HTTP errors.
   */
  readonly raw: Client<paths>;
  /** The API origin this client talks to. */
  readonly baseUrl: string;
}

/**
 * Creates a client for the Evolink VideoRetalk API.
 *
 * @example
 * ```ts
 * import { createVideoRetalk } from "@videoretalk/core";
 *
 * const client = createVideoRetalk(); // reads EVOLINK_API_KEY
 * const task = await client.lipSync.create({
 *   video_url: "https://example.com/speaker.mp4",
 *   audio_url: "https://example.com/speech.wav",
 * });
 * const latest = await client.tasks.get(task.id);
 * ```
 * @throws {ValidationError} synchronously for options that can never work, and in a browser
 *   unless `dangerouslyAllowBrowser` is set. A missing key is reported by the first request.
 */
export function createVideoRetalk(options: VideoRetalkOptions = {}): VideoRetalkClient {
  return buildClient(options);
}

// Upload code (multipart encoding, upload sources, Files API errors; about 2.5 kB min+gzip) is
// loaded on the first upload, so apps that never upload never download it.
const loadFiles = lazyModule("file upload", () => import("./files/files-resource.js"));

function lazyFilesResource(context: FilesContext): FilesResource {
  return {
    async upload(input, options) {
      return (await loadFiles()).createFilesResource(context).upload(input, options);
    },
  };
}

/** What the Node entry adds to the neutral client. */
export interface PlatformHooks {
  /** Lets `files.upload()` accept file paths. */
  openPath?: PathOpener | undefined;
  /** A shared attempt timer; see `TransportConfig.timeouts`. */
  createTimeouts?: ((clock: Clock) => TimeoutScheduler) | undefined;
  /** The failure-describing code, preloaded (default: loaded on the first failure). */
  failures?: LoadFailurePath | undefined;
}

/** Builds a client; the Node entry passes {@link PlatformHooks}. */
export function buildClient(options: VideoRetalkOptions, platform: PlatformHooks = {}): VideoRetalkClient {
  const resolved = resolveOptions(options);
  if (isBrowserLike() && !resolved.dangerouslyAllowBrowser) {
    refuseOption(
      "dangerouslyAllowBrowser",
      "must be true to run in a browser, where the API key would be public: use @videoretalk/server's proxy",
    );
  }
  const { apiKey, calls } = resolved;
  const { clock } = calls;
  const secrets = typeof apiKey === "string" ? [apiKey] : [];

  const transport = createTransport({
    ...calls,
    authorization: () => {
      if (apiKey === null) return undefined;
      if (apiKey === undefined) {
        throw new ValidationError("apiKey", `No API key: pass apiKey or set ${API_KEY_ENV}.`);
      }
      return `Bearer ${apiKey}`;
    },
    secrets,
    timeouts: platform.createTimeouts?.(clock),
    failures: platform.failures,
    // Tracing must never fail a call: a span code that cannot load or a provider that throws
    // leaves the call untraced.
    observe: (request) => {
      const provider = tracerProviderFrom(resolved.tracerProvider);
      return (
        provider &&
        import("./tracing/spans.js")
          .then((spans) => spans.startCallSpan(provider, request, (text) => redactText(text, secrets)))
          .catch(() => undefined)
      );
    },
  });

  const raw = createLazyRawClient(resolved.baseUrl, transport);
  const context: ResourceContext = {
    transport,
    baseUrl: resolved.baseUrl,
    secrets,
    now: () => clock.now(),
    failures: platform.failures,
  };
  const summary = () => ({
    baseUrl: resolved.baseUrl,
    apiKey: apiKey === null ? null : apiKey === undefined ? undefined : REDACTED,
  });

  return {
    lipSync: createLipSyncResource(context),
    tasks: createTasksResource(context),
    credits: createCreditsResource(context),
    files: lazyFilesResource({
      transport,
      filesBaseUrl: resolved.filesBaseUrl,
      secrets,
      now: context.now,
      openPath: platform.openPath,
      isBrowserLike,
    }),
    raw,
    baseUrl: resolved.baseUrl,
    // The Node build adds the same summary as the client's `util.inspect` (client.node.ts).
    toJSON: summary,
  } as VideoRetalkClient;
}

/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: spec/videoretalk.openapi.yaml (openapi-typescript, defaultNonNullable: false).
 * Change the spec and run `pnpm generate`; CI fails when this file is stale.
 */

export interface paths {
    "/v1/videos/generations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a VideoRetalk lip-sync video generation task
         * @description - Generates lip movements from audio: the lip movements of the person in the video are
         *       replaced so that they match the target audio
         *     - Asynchronous: query the task with the returned task id through
         *       [Query Task Status](#tag/Task-Management/operation/getTaskDetail)
         *     - The generated video link is valid for 24 hours; save it promptly
         *
         *     **Typical use cases:**
         *     - Multilingual dubbing: replace the original lip movements with a dub in another language
         *     - Virtual presenters: drive a video of a person with TTS-generated audio
         *     - Advertising: quickly produce multilingual versions of one ad from the same footage
         *     - Education and training: replace an instructor's narration with explanations in other languages
         *
         *     **Notes:**
         *     - Input URLs must be reachable from the public internet
         *     - The video must contain a face; otherwise the task fails
         *     - When the video contains several faces, always pass `ref_image_url`
         *
         *     Billing is per second of video. Send an `Idempotency-Key` so that a retried request can
         *     never create (and bill) a second task.
         */
        post: operations["createVideoRetalkGeneration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Query task status
         * @description Returns the status, progress and, once completed, the result URLs of an asynchronous task.
         *
         *     | status | progress | meaning |
         *     |--------|----------|---------|
         *     | `pending` | 0–10 | waiting to be processed |
         *     | `processing` | 10–80 | being processed |
         *     | `completed` | 100 | finished; `results` holds the output URLs (valid for 24 hours) |
         *     | `failed` | 0 | failed; `error` says why |
         *     | `cancelled` | — | cancelled or interrupted; terminal like `completed` and `failed` |
         *
         *     Each read of an unfinished task makes the gateway query the upstream provider, so poll
         *     video tasks sparingly (Evolink's own clients poll every 8 seconds) or use `callback_url`.
         */
        get: operations["getTaskDetail"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tasks/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Query several tasks at once
         * @description Reads up to 50 tasks in one request. The answer lists the tasks that exist and belong to
         *     the caller, each in the format of `GET /v1/tasks/{task_id}`; unknown, expired or foreign
         *     ids are simply absent (no error), and the order of `data` is not guaranteed.
         *
         *     **Not in Evolink's public API reference.** Evolink's official clients (its MCP server and
         *     CLI) call this endpoint to watch many tasks; servers that do not offer it answer `404` or
         *     `405`, so callers should fall back to one `GET /v1/tasks/{task_id}` per task. It only
         *     reads, so a failed request may be retried like a GET; it takes no `Idempotency-Key`.
         */
        post: operations["batchGetTasks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/credits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Query the credit balance
         * @description Returns the remaining and used credits of the account (`user`) and of the API key making
         *     the call (`token`). Generation tasks reserve credits when they are created
         *     (`usage.credits_reserved`); a create that the balance cannot cover fails with `402`.
         */
        get: operations["getCredits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/upload/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a file (multipart stream)
         * @description Uploads one local file as `multipart/form-data` and returns its public URL, for use as
         *     `video_url`, `audio_url` or `ref_image_url`. Files expire after 72 hours; the account's
         *     file quota is limited (2000 files for the default group).
         *
         *     The documentation lists images only (`image/jpeg`, `image/png`, `image/gif`,
         *     `image/webp`); Evolink's own clients also upload audio and video up to 100 MB. Both
         *     `snake_case` and `camelCase` names are accepted for the optional fields.
         */
        post: operations["uploadFileStream"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/upload/base64": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a file (Base64)
         * @description Uploads one file sent as Base64 (a data URL or bare Base64) and returns its public URL.
         */
        post: operations["uploadFileBase64"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/upload/url": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a file from a URL
         * @description The server downloads the file at `file_url` and stores it, returning its own public URL.
         */
        post: operations["uploadFileUrl"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/quota": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Query the file quota
         * @description How many files the account stores and may still upload.
         */
        get: operations["getFilesQuota"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    videoRetalkTaskFinished: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Task finished callback (sent to `callback_url`)
         * @description Sent to the `callback_url` given at creation when the task reaches `completed`, `failed`
         *     or `cancelled`, after billing has been confirmed. Exactly one callback is sent per task,
         *     but a failed delivery is retried, so the same body can arrive more than once.
         *
         *     - The body has the same format as the `GET /v1/tasks/{task_id}` response.
         *     - Timeout: `10` seconds. Up to `3` retries after a failed delivery, `1` s / `2` s / `4` s
         *       after each failure. A 2xx answer counts as success; any other status triggers a retry.
         *     - Callbacks are **not signed**: put an unguessable token in the URL, or re-read the task
         *       with `GET /v1/tasks/{task_id}` before trusting the body.
         */
        post: operations["videoRetalkTaskFinished"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        VideoRetalkRequest: {
            /**
             * @description Model name.
             * @default videoretalk
             * @example videoretalk
             * @enum {string}
             */
            model: "videoretalk";
            /**
             * Format: uri
             * @description URL of the input video containing the person whose lip movements are replaced.
             *
             *     **Requirements:**
             *     - A video URL reachable from the public internet
             *     - Format: common formats such as MP4 or MOV
             *     - The video must contain a clearly visible face
             *     - Recommended duration: `2` to `300` seconds
             * @example https://example.com/speaker.mp4
             */
            video_url: string;
            /**
             * Format: uri
             * @description URL of the target audio; the person in the video is made to speak this audio.
             *
             *     **Requirements:**
             *     - An audio URL reachable from the public internet
             *     - Format: common formats such as WAV, MP3 or M4A
             *     - Spoken human speech is recommended
             * @example https://example.com/target-speech.wav
             */
            audio_url: string;
            /**
             * Format: uri
             * @description URL of a face reference image.
             *
             *     When the video contains **several faces**, this image selects the target face whose
             *     lip movements are replaced.
             *
             *     **Requirements:**
             *     - The image must show the target person's face from the front
             *     - Needed only when the video contains several faces
             * @example https://example.com/target-person-face.jpg
             */
            ref_image_url?: string;
            /**
             * @description Whether to extend the video automatically to the length of the audio when the audio is
             *     longer than the video.
             *
             *     - `true`: output duration = audio duration (the video is extended automatically)
             *     - `false`: output duration = min(video duration, audio duration)
             * @default false
             * @example false
             */
            video_extension?: boolean;
            /**
             * @description Confidence threshold for face matching.
             *
             *     - Range: `120` to `200`
             *     - Lower values match more easily (possible false matches)
             *     - Higher values are stricter (matching may fail)
             *     - Lower it (e.g. `140`) on a "no matching face found" error
             *     - Raise it (e.g. `190`) when the wrong face is matched
             * @default 170
             * @example 170
             */
            query_face_threshold?: number;
            /**
             * Format: uri
             * @description HTTPS callback address called when the task finishes.
             *
             *     **When it is called:**
             *     - When the task is completed, failed or cancelled
             *     - After billing has been confirmed
             *
             *     **Security restrictions:**
             *     - Only the HTTPS protocol is supported
             *     - Callbacks to internal IP addresses are forbidden (127.0.0.1, 10.x.x.x,
             *       172.16-31.x.x, 192.168.x.x, etc.)
             *     - URL length at most `2048` characters
             *
             *     **Callback mechanism:**
             *     - Timeout: `10` seconds
             *     - Up to `3` retries after a failure (`1` s / `2` s / `4` s after each failure)
             *     - The callback body has the same format as the task query response
             *     - A 2xx status from the callback address counts as success; any other status
             *       triggers a retry
             * @example https://your-domain.com/webhooks/video-task-completed
             */
            callback_url?: string;
        };
        VideoRetalkResponse: {
            /**
             * @description Task creation timestamp (Unix seconds).
             * @example 1775200000
             */
            created?: number;
            /**
             * @description Task ID.
             * @example task-unified-1775200000-xyz12345
             */
            id: string;
            /**
             * @description Name of the model actually used.
             * @example videoretalk
             */
            model?: string;
            /**
             * @description The specific kind of task.
             * @enum {string}
             */
            object?: "video.generation.task";
            /**
             * @description Task progress (0-100).
             * @example 0
             */
            progress?: number;
            /**
             * @description Task status.
             *
             *     | status | progress | description |
             *     |--------|----------|-------------|
             *     | `pending` | 0~10 | waiting to be processed |
             *     | `processing` | 10~80 | being processed |
             *     | `completed` | 100 | completed |
             *     | `failed` | 0 | failed |
             * @example pending
             * @enum {string}
             */
            status: "pending" | "processing" | "completed" | "failed";
            /** @description Details of the video task. */
            task_info?: components["schemas"]["VideoTaskInfo"];
            /**
             * @description Output type of the task.
             * @example video
             * @enum {string}
             */
            type?: "video";
            /** @description Usage and billing information. */
            usage?: components["schemas"]["VideoUsage"];
        };
        /** @description A task as returned by `GET /v1/tasks/{task_id}`; the callback body has the same format. Fields not listed here may appear and should be ignored. */
        TaskDetailResponse: {
            /**
             * @description Task creation timestamp (Unix seconds).
             * @example 1756817821
             */
            created?: number;
            /**
             * @description Task ID.
             * @example task-unified-1756817821-4x3rx6ny
             */
            id: string;
            /**
             * @description Model used.
             * @example videoretalk
             */
            model?: string;
            /**
             * @description The specific kind of task. VideoRetalk tasks are `video.generation.task`.
             * @enum {string}
             */
            object?: "image.generation.task" | "video.generation.task" | "audio.generation.task";
            /**
             * @description Task progress (0-100).
             * @example 100
             */
            progress?: number;
            /**
             * @description Result URLs, provided when the task is completed. Valid for 24 hours.
             * @example [
             *       "https://files.evolink.ai/results/task-unified-1756817821-4x3rx6ny.mp4"
             *     ]
             */
            results?: string[];
            status: components["schemas"]["TaskStatus"];
            /** @description Why the task failed; present only when `status` is `failed` (or `cancelled`). */
            error?: components["schemas"]["TaskFailure"] | null;
            task_info?: components["schemas"]["VideoTaskInfo"];
            /**
             * @description Output type of the task.
             * @example video
             * @enum {string}
             */
            type?: "image" | "video" | "audio" | "text";
            usage?: components["schemas"]["VideoUsage"];
        };
        /**
         * @description Task status. `completed`, `failed` and `cancelled` are terminal.
         *
         *     | status | progress | description |
         *     |--------|----------|-------------|
         *     | `pending` | 0~10 | waiting to be processed |
         *     | `processing` | 10~80 | being processed |
         *     | `completed` | 100 | completed |
         *     | `failed` | 0 | failed |
         *     | `cancelled` | — | cancelled or interrupted |
         * @example completed
         * @enum {string}
         */
        TaskStatus: "pending" | "processing" | "completed" | "failed" | "cancelled";
        /** @description The reason a task failed. `code` is a business code, not an HTTP status; see the Error Codes Reference (`content_policy_violation`, `invalid_parameters`, `image_processing_error`, `image_dimension_mismatch`, `request_cancelled`, `generation_failed_no_content`, `service_error`, `generation_timeout`, `resource_exhausted`, `quota_exceeded`, `service_unavailable`, `resource_not_found`, `unknown_error`). Older gateways send a numeric code. */
        TaskFailure: {
            /**
             * @description Business error code.
             * @example content_policy_violation
             */
            code: string | number;
            /**
             * @description User-facing description with tips; may contain line breaks.
             * @example Content policy violation.
             *     Your request was blocked by safety filters.
             */
            message: string;
            /**
             * @description Always `task_error`.
             * @example task_error
             */
            type?: string;
        };
        /** @description Video task details. */
        VideoTaskInfo: {
            /**
             * @description Whether the task can be cancelled.
             * @example false
             */
            can_cancel?: boolean;
            /**
             * @description Estimated time to completion, in seconds.
             * @example 90
             */
            estimated_time?: number;
            /**
             * @description Expected video duration, in seconds.
             * @example 0
             */
            video_duration?: number;
        };
        /** @description Usage information. */
        VideoUsage: {
            /**
             * @description Billing rule.
             * @example per_second
             * @enum {string}
             */
            billing_rule?: "per_second";
            /**
             * @description Estimated credits consumed (based on the video and audio durations).
             * @example 480
             */
            credits_reserved?: number;
            /**
             * @description User group type.
             * @example default
             */
            user_group?: string;
        };
        BatchTasksRequest: {
            /**
             * @description The ids to read, 1 to 50 of them.
             * @example [
             *       "task-unified-1775200000-proc0001",
             *       "task-unified-1775200000-done0001"
             *     ]
             */
            task_ids: string[];
        };
        BatchTasksResponse: {
            /**
             * @description Always `list` where sent.
             * @enum {string}
             */
            object?: "list";
            /** @description The tasks found, each as returned by `GET /v1/tasks/{task_id}`; unknown, expired or foreign ids are absent. */
            data: components["schemas"]["TaskDetailResponse"][];
        };
        CreditsResponse: {
            /**
             * @description Whether the query succeeded.
             * @example true
             */
            success?: boolean;
            /**
             * @description Human-readable result.
             * @example success
             */
            message?: string;
            data: components["schemas"]["Credits"];
        };
        /** @description Credit balance of the account (`user`) and of the calling API key (`token`). */
        Credits: {
            /** @description The account's balance. */
            user: {
                /**
                 * @description Credits left on the account.
                 * @example 125000
                 */
                remaining_credits: number;
                /**
                 * @description Credits used so far.
                 * @example 48000
                 */
                used_credits?: number;
            };
            /** @description The calling API key's own limit, if it has one. */
            token?: {
                /**
                 * @description Credits this key may still spend; meaningless when `unlimited_credits` is true (the account balance applies).
                 * @example 20000
                 */
                remaining_credits?: number;
                /**
                 * @description Credits this key has used.
                 * @example 5000
                 */
                used_credits?: number;
                /**
                 * @description Whether the key has no limit of its own.
                 * @example false
                 */
                unlimited_credits?: boolean;
            };
        };
        /** @description Error body of the generation endpoints. */
        ErrorResponse: {
            error?: {
                /** @description Error code identifier. */
                code?: string;
                /** @description Error description. */
                message?: string;
                /** @description Error type. */
                type?: string;
            };
        };
        /** @description Error body of the task query endpoint; adds the related parameter name. */
        TaskQueryErrorResponse: {
            error?: {
                /** @description Error code identifier (a string; older gateways send the HTTP status as a number). */
                code?: string | number;
                /** @description Error description. */
                message?: string;
                /** @description Error type. */
                type?: string;
                /** @description Name of the related parameter. */
                param?: string;
            };
        };
        FileUploadResponse: {
            /** @description Whether the upload succeeded. */
            success: boolean;
            /**
             * @description `200` on success, else an error code.
             * @example 200
             */
            code: number;
            /**
             * @description Human-readable result.
             * @example File uploaded successfully
             */
            msg?: string;
            data?: components["schemas"]["FileData"];
        };
        FileData: {
            /** @example file_abc123 */
            file_id?: string;
            /** @example speaker.mp4 */
            file_name?: string;
            /** @example speaker.mp4 */
            original_name?: string;
            /**
             * @description Size in bytes.
             * @example 17408
             */
            file_size?: number;
            /** @example video/mp4 */
            mime_type?: string;
            /** @example videos */
            upload_path?: string;
            /**
             * Format: uri
             * @description Public URL of the file; pass it as a generation input.
             * @example https://files.evolink.ai/videos/speaker.mp4
             */
            file_url: string;
            /**
             * Format: uri
             * @example https://files.evolink.ai/api/v1/files/download/file_abc123
             */
            download_url?: string;
            /** Format: date-time */
            upload_time?: string;
            /**
             * Format: date-time
             * @description When the file is deleted (72 hours after upload).
             */
            expires_at?: string;
        };
        FilesErrorResponse: {
            /** @constant */
            success: false;
            /** @description Error code (e.g. `40001` file too large, `50001` storage error). */
            code: number;
            /** @description Human-readable reason. */
            msg?: string;
        };
        FilesQuotaResponse: {
            success: boolean;
            code?: number;
            data?: {
                user_group?: string;
                used_files?: number;
                max_files?: number;
                remain_files?: number;
                /** @description Set by an administrator. */
                is_custom?: boolean;
                /** @description Present only when `is_custom` is true. */
                quota_reason?: string;
            };
        };
    };
    responses: {
        /** @description The upload result. Check `success`: the service can answer HTTP 200 with `success: false` and an error `code`. */
        FileUploaded: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "success": true,
                 *       "code": 200,
                 *       "msg": "File uploaded successfully",
                 *       "data": {
                 *         "file_id": "file_abc123",
                 *         "file_name": "speaker.mp4",
                 *         "original_name": "speaker.mp4",
                 *         "file_size": 17408,
                 *         "mime_type": "video/mp4",
                 *         "upload_path": "videos",
                 *         "file_url": "https://files.evolink.ai/videos/speaker.mp4",
                 *         "download_url": "https://files.evolink.ai/api/v1/files/download/file_abc123",
                 *         "upload_time": "2026-11-25T12:00:00+08:00",
                 *         "expires_at": "2026-11-28T12:00:00+08:00"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["FileUploadResponse"];
            };
        };
        /** @description The upload was refused (codes seen in Evolink's clients: `40001` file too large, `40002` type not allowed, `40003` quota exceeded, `40004` URL download failed). */
        FilesBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "success": false,
                 *       "code": 40002,
                 *       "msg": "File type not allowed"
                 *     }
                 */
                "application/json": components["schemas"]["FilesErrorResponse"];
            };
        };
        /** @description Not authenticated; the token is invalid or expired. */
        FilesUnauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "success": false,
                 *       "code": 401,
                 *       "msg": "Invalid or expired token"
                 *     }
                 */
                "application/json": components["schemas"]["FilesErrorResponse"];
            };
        };
        /** @description The file is larger than 100 MB. */
        FilesTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "success": false,
                 *       "code": 40001,
                 *       "msg": "File too large (max 100 MB)"
                 *     }
                 */
                "application/json": components["schemas"]["FilesErrorResponse"];
            };
        };
        /** @description Storage or internal error (`50001`). */
        FilesServerError: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "success": false,
                 *       "code": 50001,
                 *       "msg": "Storage error"
                 *     }
                 */
                "application/json": components["schemas"]["FilesErrorResponse"];
            };
        };
    };
    parameters: {
        /**
         * @description Makes the create call safe to retry. The gateway stores the first answer for a key and
         *     replays it (with `Idempotency-Replayed: true`) for any later request with the same key,
         *     so a retried request never creates or bills a second task. Reusing a key with a different
         *     body fails with `idempotency_conflict`. 16–96 characters from `[A-Za-z0-9._-]`.
         * @example run_3f2a9c4e8b7d4f10a1b2c3d4e5f60718
         */
        IdempotencyKey: string;
    };
    requestBodies: never;
    headers: {
        /**
         * @description Identifier of this request at the gateway; quote it to support. Some gateways send it as `X-Oneapi-Request-Id` instead.
         * @example 20261125014051238915700ZzQa1bC2
         */
        XRequestId: string;
        /**
         * @description Seconds to wait (or an HTTP date to wait until) before retrying.
         * @example 2
         */
        RetryAfter: string;
        /**
         * @description `true` when this answer was replayed for a repeated `Idempotency-Key`.
         * @example false
         */
        IdempotencyReplayed: "true" | "false";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    createVideoRetalkGeneration: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the create call safe to retry. The gateway stores the first answer for a key and
                 *     replays it (with `Idempotency-Replayed: true`) for any later request with the same key,
                 *     so a retried request never creates or bills a second task. Reusing a key with a different
                 *     body fails with `idempotency_conflict`. 16–96 characters from `[A-Za-z0-9._-]`.
                 * @example run_3f2a9c4e8b7d4f10a1b2c3d4e5f60718
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VideoRetalkRequest"];
            };
        };
        responses: {
            /** @description The lip-sync video generation task was created. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Idempotency-Replayed": components["headers"]["IdempotencyReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VideoRetalkResponse"];
                };
            };
            /** @description Invalid request parameters. */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "missing_required_params",
                     *         "message": "Missing required parameter: video_url or audio_url",
                     *         "type": "invalid_request_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not authenticated; the token is invalid or expired. */
            401: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unauthorized",
                     *         "message": "Invalid or expired token",
                     *         "type": "authentication_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Insufficient credits; top up the account. */
            402: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "insufficient_quota",
                     *         "message": "Insufficient quota. Please top up your account.",
                     *         "type": "insufficient_quota"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No permission to access this model. */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "model_access_denied",
                     *         "message": "Token does not have access to model: videoretalk",
                     *         "type": "invalid_request_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests. */
            429: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "rate_limit_exceeded",
                     *         "message": "Too many requests, please try again later",
                     *         "type": "rate_limit_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error. */
            500: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "internal_error",
                     *         "message": "Internal server error",
                     *         "type": "api_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    getTaskDetail: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The `id` returned by the asynchronous creation call.
                 * @example task-unified-1756817821-4x3rx6ny
                 */
                task_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskDetailResponse"];
                };
            };
            /** @description Invalid parameter or format. */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "invalid_task_id",
                     *         "message": "Invalid task ID format, must start with 'task-unified-'",
                     *         "type": "invalid_request_error",
                     *         "param": "task_id"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["TaskQueryErrorResponse"];
                };
            };
            /** @description Not authenticated; the token is invalid or expired. */
            401: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unauthorized",
                     *         "message": "Authentication required",
                     *         "type": "authentication_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["TaskQueryErrorResponse"];
                };
            };
            /** @description Insufficient quota; top up the account. */
            402: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "quota_exceeded",
                     *         "message": "Insufficient quota. Please top up your account.",
                     *         "type": "insufficient_quota"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["TaskQueryErrorResponse"];
                };
            };
            /** @description No permission to access this task. */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "permission_denied",
                     *         "message": "You don't have permission to access this task",
                     *         "type": "invalid_request_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["TaskQueryErrorResponse"];
                };
            };
            /** @description The task does not exist (or has expired). */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "task_not_found",
                     *         "message": "The requested task could not be found",
                     *         "type": "invalid_request_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["TaskQueryErrorResponse"];
                };
            };
            /** @description Rate limit exceeded. */
            429: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "rate_limit_exceeded",
                     *         "message": "Rate limit exceeded",
                     *         "type": "evo_api_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["TaskQueryErrorResponse"];
                };
            };
            /** @description Internal server error. */
            500: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "internal_error",
                     *         "message": "Failed to retrieve task status",
                     *         "type": "api_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["TaskQueryErrorResponse"];
                };
            };
        };
    };
    batchGetTasks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BatchTasksRequest"];
            };
        };
        responses: {
            /** @description The tasks found; unknown or foreign ids are absent. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchTasksResponse"];
                };
            };
            /** @description Invalid body (no ids, more than 50, or an id that is not a string). */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "invalid_parameter",
                     *         "message": "task_ids must hold between 1 and 50 task ids",
                     *         "type": "invalid_request_error",
                     *         "param": "task_ids"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["TaskQueryErrorResponse"];
                };
            };
            /** @description Not authenticated; the token is invalid or expired. */
            401: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unauthorized",
                     *         "message": "Authentication required",
                     *         "type": "authentication_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["TaskQueryErrorResponse"];
                };
            };
            /** @description Rate limit exceeded. */
            429: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "rate_limit_exceeded",
                     *         "message": "Rate limit exceeded",
                     *         "type": "evo_api_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["TaskQueryErrorResponse"];
                };
            };
            /** @description Internal server error. */
            500: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "internal_error",
                     *         "message": "Failed to retrieve task status",
                     *         "type": "api_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["TaskQueryErrorResponse"];
                };
            };
        };
    };
    getCredits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The credit balance. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreditsResponse"];
                };
            };
            /** @description Not authenticated; the token is invalid or expired. */
            401: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "unauthorized",
                     *         "message": "Invalid or expired token",
                     *         "type": "authentication_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests. */
            429: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "rate_limit_exceeded",
                     *         "message": "Too many requests, please try again later",
                     *         "type": "rate_limit_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Internal server error. */
            500: {
                headers: {
                    "X-Request-Id": components["headers"]["XRequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error": {
                     *         "code": "internal_error",
                     *         "message": "Internal server error",
                     *         "type": "api_error"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    uploadFileStream: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": {
                    /**
                     * Format: binary
                     * @description The file to upload (one per request, at most 100 MB).
                     */
                    file: string;
                    /** @description Folder to store the file in; chosen by file type when omitted. */
                    upload_path?: string;
                    /** @description Same as `upload_path`. */
                    uploadPath?: string;
                    /** @description Stored file name; a unique name is generated when omitted. */
                    file_name?: string;
                    /** @description Same as `file_name`. */
                    fileName?: string;
                };
            };
        };
        responses: {
            200: components["responses"]["FileUploaded"];
            400: components["responses"]["FilesBadRequest"];
            401: components["responses"]["FilesUnauthorized"];
            413: components["responses"]["FilesTooLarge"];
            500: components["responses"]["FilesServerError"];
        };
    };
    uploadFileBase64: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description File contents as a data URL (`data:image/png;base64,…`) or bare Base64.
                     * @example data:image/png;base64,iVBORw0KGgo=
                     */
                    base64_data: string;
                    /** @description Folder to store the file in; chosen by file type when omitted. */
                    upload_path?: string;
                    /** @description Stored file name; a unique name is generated when omitted. */
                    file_name?: string;
                };
            };
        };
        responses: {
            200: components["responses"]["FileUploaded"];
            400: components["responses"]["FilesBadRequest"];
            401: components["responses"]["FilesUnauthorized"];
            413: components["responses"]["FilesTooLarge"];
            500: components["responses"]["FilesServerError"];
        };
    };
    uploadFileUrl: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: uri
                     * @description Public http(s) URL of the file to fetch.
                     * @example https://example.com/speaker.mp4
                     */
                    file_url: string;
                    /** @description Folder to store the file in; chosen by file type when omitted. */
                    upload_path?: string;
                    /** @description Stored file name; a unique name is generated when omitted. */
                    file_name?: string;
                };
            };
        };
        responses: {
            200: components["responses"]["FileUploaded"];
            400: components["responses"]["FilesBadRequest"];
            401: components["responses"]["FilesUnauthorized"];
            413: components["responses"]["FilesTooLarge"];
            500: components["responses"]["FilesServerError"];
        };
    };
    getFilesQuota: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account's file quota. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "success": true,
                     *       "code": 200,
                     *       "data": {
                     *         "user_group": "default",
                     *         "used_files": 35,
                     *         "max_files": 2000,
                     *         "remain_files": 1965,
                     *         "is_custom": false
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["FilesQuotaResponse"];
                };
            };
            401: components["responses"]["FilesUnauthorized"];
            500: components["responses"]["FilesServerError"];
        };
    };
    videoRetalkTaskFinished: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TaskDetailResponse"];
            };
        };
        responses: {
            /** @description Any 2xx status acknowledges the delivery. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Any other status makes the API retry the delivery (1 s / 2 s / 4 s). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}

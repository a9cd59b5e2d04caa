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
    };
    responses: never;
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

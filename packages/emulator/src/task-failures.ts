/**
 * Messages for the business codes of failed tasks, from Evolink's Error Codes Reference
 * (https://docs.evolink.ai/en/api-manual/task-management/error-codes). Like the real ones they
 * start with a short sentence and add a tip on the next line.
 */

/** The failure codes the Error Codes Reference documents, with a realistic message each. */
export const TASK_FAILURE_MESSAGES: Readonly<Record<string, string>> = {
  content_policy_violation:
    "Content policy violation.\nYour request was blocked by safety filters. Review the input media and try again.",
  invalid_parameters:
    "Invalid parameters.\nThe input is outside the model's limits (format, size or duration). Check the parameters and resubmit.",
  image_processing_error:
    "Image processing failed.\nThe reference image could not be downloaded or decoded. Use a JPEG or PNG reachable from the public internet, or the File Upload API.",
  image_dimension_mismatch:
    "Image dimensions do not match.\nResize the reference image to the requested aspect ratio and resubmit.",
  request_cancelled: "The task was cancelled or interrupted. Please resubmit.",
  generation_failed_no_content:
    "Generation produced no content.\nThe model returned an empty result. Adjust the input or retry.",
  service_error:
    "Service error.\nAn internal or upstream error occurred; the system is switching routes. Wait 30-60 seconds and resend the same request.",
  generation_timeout:
    "Generation timed out.\nThe task did not finish within the allowed time. Retry off-peak or shorten the input.",
  resource_exhausted: "Upstream capacity is exhausted.\nPlease wait 1-5 minutes and retry.",
  quota_exceeded:
    "Quota exceeded.\nA rate, concurrency or quota limit was hit while the task ran. Slow down (1-2 seconds between requests) or top up your account.",
  service_unavailable: "Service temporarily unavailable.\nPlease retry in a few minutes.",
  resource_not_found: "Resource not found.\nThe task id is invalid or has expired; expired tasks cannot be queried.",
  unknown_error: "Unknown error.\nPlease contact support with the task id.",
};

/** The message for a failure code; undocumented codes get a generic one. */
export function taskFailureMessage(code: string | number): string {
  return TASK_FAILURE_MESSAGES[String(code)] ?? `The task failed (error code ${code}).`;
}

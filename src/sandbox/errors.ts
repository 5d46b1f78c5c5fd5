// GitLab's error bodies: missing resources and auth failures answer
// `{"message": "..."}`; parameter validation (Grape) answers `{"error": "..."}`.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    /** Response headers to set; `null` removes one the pipeline set earlier. */
    readonly headers: Record<string, string | null> = {},
  ) {
    super(JSON.stringify(body));
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, { message: `404 ${what} Not Found` });
export const unauthorized = (): ApiError => new ApiError(401, { message: '401 Unauthorized' });
export const forbidden = (): ApiError => new ApiError(403, { message: '403 Forbidden' });
/** Grape validation failure, e.g. "title is missing", "state does not have a valid value". */
export const badRequest = (error: string): ApiError => new ApiError(400, { error });
/** A domain-level 400, e.g. a commit action on a missing file: `{"message": "..."}`. */
export const badRequestMessage = (message: string): ApiError => new ApiError(400, { message });

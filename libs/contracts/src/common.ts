/** Shapes shared by every Purview API family. */
import { z } from 'zod';

/** Scanning and ARM error envelope (`ErrorResponseModel`). */
export interface ErrorModel {
  code: string;
  message: string;
  target?: string;
  details?: ErrorModel[];
}
export interface ErrorResponseModel {
  error: ErrorModel;
}
/** `ErrorModel` as documented (its details left open). */
export const ErrorModelSchema = z.object({
  code: z.string(),
  message: z.string(),
  target: z.string().optional(),
  details: z.array(z.unknown()).optional(),
});
/** The scanning/ARM/emulator error envelope. */
export const ErrorResponseModelSchema = z.object({ error: ErrorModelSchema.passthrough() });

/** Atlas / data map error envelope (`AtlasErrorResponse`). */
export interface AtlasErrorResponse {
  requestId: string;
  errorCode: string;
  errorMessage: string;
}
export const AtlasErrorResponseSchema = z.object({
  requestId: z.string(),
  errorCode: z.string(),
  errorMessage: z.string(),
});

/** Scanning list envelope (`x-ms-pageable`, `nextLinkName: nextLink`). */
export interface PagedList<T> {
  value: T[];
  nextLink?: string;
  count: number;
}

/** The schema of a `PagedList` of `item`. */
export const pagedListOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ value: z.array(item), nextLink: z.string().optional(), count: z.number().int() });

/** Scanning resource names (2023-09-01 `parameters`): 3–63 chars, alphanumerics and single hyphens. */
export const RESOURCE_NAME_PATTERN = /^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
export const RESOURCE_NAME_MIN = 3;
export const RESOURCE_NAME_MAX = 63;
/** `runId` is a client-generated GUID, optionally in braces. */
export const RUN_ID_PATTERN = /^[{]?[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}[}]?$/;

/** Returns why `name` is not a valid scanning resource name, or undefined when it is. */
export function resourceNameProblem(name: string, what = 'name'): string | undefined {
  if (name.length < RESOURCE_NAME_MIN || name.length > RESOURCE_NAME_MAX) {
    return `The ${what} '${name}' must be between ${RESOURCE_NAME_MIN} and ${RESOURCE_NAME_MAX} characters long.`;
  }
  if (!RESOURCE_NAME_PATTERN.test(name)) {
    return `The ${what} '${name}' may contain only letters, digits and single hyphens between them (pattern ${RESOURCE_NAME_PATTERN.source}).`;
  }
  return undefined;
}

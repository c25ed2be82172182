import type { ZodType, ZodTypeDef } from 'zod';
import { resourceNameProblem } from '@purview-emulator/contracts';
import { PurviewError } from './errors';

/** Validates a request body against a contract schema; a failure is a 400 that names each bad field. */
export function parseBody<T>(schema: ZodType<T, ZodTypeDef, unknown>, body: unknown, code = 'InvalidRequestBody'): T {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`);
  throw PurviewError.badRequest(`The request body is not valid. ${problems.join('; ')}`, code);
}

/** Enforces the 2023-09-01 resource name rules (3-63 chars, letters/digits/single hyphens). */
export function assertResourceName(name: string, what: string): void {
  const problem = resourceNameProblem(name, what);
  if (problem) throw PurviewError.badRequest(problem, 'InvalidName', what);
}

import { IngestionBatch, IngestionMessage, NON_COUNTED_TYPENAMES, ScannedAsset } from '@purview-emulator/contracts';
import { scannedAssetProblem } from '../datamap/atlas-input';

/** Why a message or batch can never be ingested; carries the run when it could be read. */
export class IngestionFormatError extends Error {
  constructor(
    message: string,
    readonly runId?: string,
  ) {
    super(message);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(obj: Record<string, unknown>, key: string): boolean {
  return typeof obj[key] === 'string' && (obj[key] as string) !== '';
}

/** Queue messages may be plain JSON or base64-encoded JSON (Azure Functions' convention). */
function decodeJson(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    if (/^[A-Za-z0-9+/=_-]+$/.test(trimmed)) {
      try {
        return JSON.parse(Buffer.from(trimmed, 'base64').toString('utf8'));
      } catch {
        /* fall through */
      }
    }
    throw new IngestionFormatError('the message is neither JSON nor base64-encoded JSON');
  }
}

/** The run a message belongs to, when it can be read at all (for failing the run of a poison message). */
export function runIdOf(text: string): string | undefined {
  try {
    const value = decodeJson(text);
    return isObject(value) && nonEmptyString(value, 'runId') ? (value.runId as string) : undefined;
  } catch {
    return undefined;
  }
}

export function parseIngestionMessage(text: string): IngestionMessage {
  const value = decodeJson(text);
  if (!isObject(value)) throw new IngestionFormatError('the message is not a JSON object');
  const runId = nonEmptyString(value, 'runId') ? (value.runId as string) : undefined;
  if (value.version !== 1) throw new IngestionFormatError(`unsupported message version ${JSON.stringify(value.version)} (expected 1)`, runId);
  for (const key of ['runId', 'jobId', 'batchId', 'blobName']) {
    if (!nonEmptyString(value, key)) throw new IngestionFormatError(`the message has no '${key}'`, runId);
  }
  const blobName = value.blobName as string;
  if (/^[a-z]+:\/\//i.test(blobName) || blobName.startsWith('/') || blobName.split('/').includes('..')) {
    throw new IngestionFormatError(`blobName '${blobName}' must be a blob name inside the ingestion container`, runId);
  }
  return value as unknown as IngestionMessage;
}

export interface ParsedBatch {
  batch: IngestionBatch;
  valid: ScannedAsset[];
  /** Assets that cannot be written, with the reason (counted as failed, the rest of the batch is ingested). */
  invalid: { index: number; typeName?: string; problem: string }[];
}

export function parseIngestionBatch(text: string, message: IngestionMessage): ParsedBatch {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new IngestionFormatError(`blob '${message.blobName}' is not valid JSON`, message.runId);
  }
  if (!isObject(value)) throw new IngestionFormatError(`blob '${message.blobName}' is not an IngestionBatch object`, message.runId);
  if (value.version !== 1) throw new IngestionFormatError(`blob '${message.blobName}' has unsupported version ${JSON.stringify(value.version)}`, message.runId);
  if (value.runId !== message.runId || value.batchId !== message.batchId) {
    throw new IngestionFormatError(`blob '${message.blobName}' holds batch ${String(value.batchId)} of run ${String(value.runId)}, not batch ${message.batchId} of run ${message.runId}`, message.runId);
  }
  if (!Array.isArray(value.assets)) throw new IngestionFormatError(`blob '${message.blobName}' has no 'assets' array`, message.runId);
  const valid: ScannedAsset[] = [];
  const invalid: ParsedBatch['invalid'] = [];
  value.assets.forEach((asset: unknown, index) => {
    const problem = scannedAssetProblem(asset);
    if (problem) invalid.push({ index, typeName: isObject(asset) && typeof asset.typeName === 'string' ? asset.typeName : undefined, problem });
    else valid.push(asset as ScannedAsset);
  });
  return { batch: value as unknown as IngestionBatch, valid, invalid };
}

/** Assets as scan statistics count them: schemas and columns describe another asset and are not counted. */
export function countedAssets(typeNames: readonly (string | undefined)[]): number {
  return typeNames.filter((t) => t === undefined || !NON_COUNTED_TYPENAMES.has(t)).length;
}

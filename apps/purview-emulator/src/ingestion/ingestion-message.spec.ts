import type { IngestionBatch, IngestionMessage } from '@purview-emulator/contracts';
import {
  IngestionFormatError,
  countedAssets,
  parseIngestionBatch,
  parseIngestionMessage,
  runIdOf,
} from './ingestion-message';

const MESSAGE: IngestionMessage = {
  version: 1,
  runId: 'run-1',
  jobId: 'job-1',
  batchId: 'batch-1',
  sequence: 1,
  blobName: 'runs/run-1/batch-1.json',
  assetCount: 2,
};

function batch(assets: unknown[]): string {
  const b: Omit<IngestionBatch, 'assets'> & { assets: unknown[] } = {
    version: 1,
    runId: 'run-1',
    jobId: 'job-1',
    batchId: 'batch-1',
    sequence: 1,
    assets,
  };
  return JSON.stringify(b);
}

describe('ingestion messages', () => {
  it('accepts plain and base64-encoded JSON', () => {
    expect(parseIngestionMessage(JSON.stringify(MESSAGE))).toEqual(MESSAGE);
    expect(parseIngestionMessage(Buffer.from(JSON.stringify(MESSAGE)).toString('base64'))).toEqual(MESSAGE);
    expect(runIdOf(Buffer.from(JSON.stringify(MESSAGE)).toString('base64'))).toBe('run-1');
  });

  it('rejects garbage, keeping the runId when it can be read', () => {
    expect(() => parseIngestionMessage('not json at all')).toThrow(IngestionFormatError);
    expect(runIdOf('not json at all')).toBeUndefined();
    expect(() => parseIngestionMessage('[1,2]')).toThrow(/JSON object/);
    try {
      parseIngestionMessage(JSON.stringify({ ...MESSAGE, blobName: undefined }));
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(IngestionFormatError);
      expect((error as IngestionFormatError).runId).toBe('run-1');
      expect((error as Error).message).toContain('blobName');
    }
    expect(() => parseIngestionMessage(JSON.stringify({ ...MESSAGE, version: 2 }))).toThrow(/version/);
    expect(() => parseIngestionMessage(JSON.stringify({ ...MESSAGE, blobName: '../other/x.json' }))).toThrow(
      /inside the ingestion container/,
    );
    expect(() => parseIngestionMessage(JSON.stringify({ ...MESSAGE, blobName: 'https://evil.example/x' }))).toThrow(
      /inside the ingestion container/,
    );
  });

  it('checks every field of the contract, not only the ones it reads', () => {
    expect(() => parseIngestionMessage(JSON.stringify({ ...MESSAGE, sequence: 'one' }))).toThrow(
      "the message's 'sequence' must be a whole number",
    );
    expect(() => parseIngestionMessage(JSON.stringify({ ...MESSAGE, assetCount: undefined }))).toThrow(
      "the message's 'assetCount' must be a whole number",
    );
  });

  it('parses batches, separating invalid assets', () => {
    const parsed = parseIngestionBatch(
      batch([
        { typeName: 'azure_blob_path', attributes: { qualifiedName: 'q1', name: 'n1' } },
        { typeName: 'azure_blob_path', attributes: { qualifiedName: 'q2' } },
        { typeName: 'column', attributes: { name: 'c' } },
        {
          typeName: 'azure_blob_path',
          attributes: { qualifiedName: 'q3', name: 'n3' },
          relationshipAttributes: { parent: { guid: 'x' } },
        },
      ]),
      MESSAGE,
    );
    expect(parsed.valid.map((a) => a.attributes.qualifiedName)).toEqual(['q1']);
    expect(parsed.invalid.map((i) => [i.index, i.problem])).toEqual([
      [1, 'attributes.name is missing'],
      [2, 'attributes.qualifiedName is missing'],
      [3, 'relationshipAttributes.parent must reference assets by typeName and uniqueAttributes.qualifiedName'],
    ]);
    expect(countedAssets(parsed.invalid.map((i) => i.typeName))).toBe(2);
  });

  it('rejects batches that are not JSON or belong to another message', () => {
    expect(() => parseIngestionBatch('{', MESSAGE)).toThrow(/not valid JSON/);
    expect(() =>
      parseIngestionBatch(JSON.stringify({ version: 1, runId: 'run-1', batchId: 'other', assets: [] }), MESSAGE),
    ).toThrow(/not batch batch-1/);
    expect(() =>
      parseIngestionBatch(JSON.stringify({ version: 1, runId: 'run-1', batchId: 'batch-1' }), MESSAGE),
    ).toThrow(/assets/);
    expect(() =>
      parseIngestionBatch(
        JSON.stringify({ version: 2, runId: 'run-1', jobId: 'job-1', batchId: 'batch-1', sequence: 1, assets: [] }),
        MESSAGE,
      ),
    ).toThrow("blob 'runs/run-1/batch-1.json' is not an IngestionBatch: version: unsupported version 2 (expected 1)");
    expect(() =>
      parseIngestionBatch(
        JSON.stringify({ version: 1, runId: 'run-1', batchId: 'batch-1', sequence: 1.5, assets: {} }),
        MESSAGE,
      ),
    ).toThrow(
      "blob 'runs/run-1/batch-1.json' is not an IngestionBatch: jobId: Required; sequence: Expected integer, received float; assets: Expected array, received object",
    );
  });

  it('does not count schemas and columns as assets', () => {
    expect(countedAssets(['azure_blob_path', 'tabular_schema', 'column', 'azure_blob_container'])).toBe(2);
  });
});

import { type IngestionMessage, IngestionMessageSchema, ScannedAssetSchema } from './ingestion';

const MESSAGE: IngestionMessage = {
  version: 1,
  runId: 'run-1',
  jobId: 'job-1',
  batchId: 'batch-1',
  sequence: 1,
  blobName: 'runs/run-1/job-1-00001.json',
  assetCount: 2,
};
const firstProblem = (
  schema: { safeParse(v: unknown): { error?: { issues: { message: string }[] } } },
  value: unknown,
) => schema.safeParse(value).error?.issues[0].message;

describe('ingestion messages', () => {
  it('accept what a runtime sends', () => {
    expect(IngestionMessageSchema.parse(MESSAGE)).toEqual(MESSAGE);
  });

  it.each([
    [{ ...MESSAGE, version: 2 }, 'unsupported message version 2 (expected 1)'],
    [{ ...MESSAGE, runId: '' }, "the message has no 'runId'"],
    [{ ...MESSAGE, sequence: undefined }, "the message's 'sequence' must be a whole number"],
    [{ ...MESSAGE, assetCount: -1 }, "the message's 'assetCount' must be a whole number"],
    [
      { ...MESSAGE, blobName: '/etc/passwd' },
      "blobName '/etc/passwd' must be a blob name inside the ingestion container",
    ],
    [[MESSAGE], 'the message is not a JSON object'],
  ])('reject %j: %s', (value, problem) => {
    expect(firstProblem(IngestionMessageSchema, value)).toBe(problem);
  });
});

describe('scanned assets', () => {
  const asset = { typeName: 'azure_blob_path', attributes: { qualifiedName: 'q', name: 'n', size: 3 } };

  it('accept references, null relationships and classifications', () => {
    const full = {
      ...asset,
      relationshipAttributes: {
        parent: { typeName: 'azure_blob_container', uniqueAttributes: { qualifiedName: 'c' } },
        schema: null,
        columns: [null],
      },
      classifications: [{ typeName: 'MICROSOFT.PERSONAL.EMAIL' }],
    };
    expect(ScannedAssetSchema.parse(full)).toEqual(full);
  });

  it.each([
    ['nope', 'the asset is not an object'],
    [{ ...asset, typeName: '' }, 'typeName is missing'],
    [{ ...asset, attributes: [] }, 'attributes are missing'],
    [{ ...asset, attributes: { name: 'n' } }, 'attributes.qualifiedName is missing'],
    [{ ...asset, relationshipAttributes: [] }, 'relationshipAttributes is not an object'],
    [
      { ...asset, relationshipAttributes: { parent: [{ guid: 'g' }] } },
      'relationshipAttributes.parent must reference assets by typeName and uniqueAttributes.qualifiedName',
    ],
    [{ ...asset, classifications: [{}] }, 'classifications must be an array of {typeName}'],
  ])('reject %j: %s', (value, problem) => {
    expect(firstProblem(ScannedAssetSchema, value)).toBe(problem);
  });
});

/**
 * `npm run bench:scan -- --large 1024 [--json]`: does a big file cost what a small one does? Writes a 1 MiB and a
 * `--large` MiB Parquet file and CSV file into a private Azurite, each generated and uploaded as a stream (row group
 * by row group, block by block: the bench never holds a file), then scans each file alone with the scan engine
 * (as a node does: connector, reader, classification, assets) and prints the times, bytes read and ratios.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  type BlockBlobClient,
  type ContainerClient,
  generateAccountSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { DEVSTORE_ACCOUNT, DEVSTORE_KEY } from '@purview-emulator/contracts';
import { AzureBlobConnector, runScan } from '@purview-emulator/scan-engine';
import { freePort } from '@purview-emulator/testing';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { devstoreBlobService } from './stack/seed';
import { startAzurite } from './stack/stack';

const MiB = 1024 * 1024;
/** Rows per Parquet row group: about 1 MiB, so that the small file is one row group and the large one a thousand. */
const ROW_GROUP_ROWS = 20_000;

const email = (i: number) => `user${i}.${(i * 2654435761) % 1000003}@example.org`;

/** A CSV of about `bytes` bytes, produced line by line as the upload pulls it. */
function csvStream(bytes: number): Readable {
  let written = 0;
  let i = 0;
  return new Readable({
    read() {
      if (written >= bytes) return void this.push(null);
      const lines: string[] = written === 0 ? ['id,email,amount,city'] : [];
      for (let n = 0; n < 2_000; n++, i++) lines.push(`${i},${email(i)},${(i * 1.25).toFixed(2)},City ${i % 97}`);
      const chunk = `${lines.join('\n')}\n`;
      written += chunk.length;
      this.push(chunk);
    },
  });
}

/** A Parquet file of about `bytes` bytes, written row group by row group; each flushed group is staged as a block. */
async function uploadParquet(blob: BlockBlobClient, bytes: number): Promise<number> {
  const writer = new ByteWriter();
  const blocks: string[] = [];
  const stage = async () => {
    if (writer.index === 0) return;
    const id = Buffer.from(String(blocks.length).padStart(8, '0')).toString('base64');
    const chunk = Buffer.from(writer.buffer, 0, writer.index);
    await blob.stageBlock(id, chunk, chunk.length);
    blocks.push(id);
    writer.index = 0;
  };
  const parquet = new ParquetWriter({
    writer,
    schema: [
      { name: 'root', num_children: 4 },
      { name: 'id', type: 'INT64', repetition_type: 'REQUIRED' },
      { name: 'email', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'amount', type: 'DOUBLE', repetition_type: 'REQUIRED' },
      { name: 'city', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    ],
    codec: 'UNCOMPRESSED',
  });
  let row = 0;
  while (writer.offset < bytes) {
    const ids = Array.from({ length: ROW_GROUP_ROWS }, (_, k) => BigInt(row + k));
    await parquet.write({
      columnData: [
        { name: 'id', data: ids },
        { name: 'email', data: ids.map((id) => email(Number(id))) },
        { name: 'amount', data: ids.map((id) => Number(id) * 1.25) },
        { name: 'city', data: ids.map((id) => `City ${Number(id) % 97}`) },
      ],
      rowGroupSize: ROW_GROUP_ROWS,
    });
    row += ROW_GROUP_ROWS;
    await stage();
  }
  await parquet.finish();
  await stage();
  await blob.commitBlockList(blocks);
  return writer.offset;
}

/** Scans one container (one file) with the engine; seconds, bytes read and what became of the file. */
async function scanOne(serviceUrl: string, sasToken: string, containers: string[], only: string) {
  const started = process.hrtime.bigint();
  const run = runScan(
    new AzureBlobConnector({ serviceUrl, sasToken }),
    { accountName: DEVSTORE_ACCOUNT, qualifiedNameBase: `https://${DEVSTORE_ACCOUNT}.blob.core.windows.net` },
    { excludeContainers: containers.filter((c) => c !== only) },
  );
  let columns = 0;
  for await (const asset of run) if (asset.typeName === 'column') columns++;
  const status = run.failures.length ? `failed: ${run.failures[0].reason}` : 'scanned';
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    bytesRead: run.stats.bytesRead,
    columns,
    status,
  };
}

export async function benchLarge(options: { megabytes: number; json: boolean }): Promise<void> {
  const log = (line: string): void => void (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'purview-bench-large-'));
  const ports = { blob: await freePort(), queue: await freePort(), table: await freePort() };
  const azurite = startAzurite({ location: path.join(dir, 'azurite'), ports });
  try {
    const service = devstoreBlobService(ports.blob);
    const files = [
      { container: 'parquet-small', name: 'data.parquet', megabytes: 1 },
      { container: 'parquet-large', name: 'data.parquet', megabytes: options.megabytes },
      { container: 'csv-small', name: 'data.csv', megabytes: 1 },
      { container: 'csv-large', name: 'data.csv', megabytes: options.megabytes },
    ];
    const sizes: Record<string, number> = {};
    for (const file of files) {
      const container: ContainerClient = service.getContainerClient(file.container);
      await container.createIfNotExists();
      const blob = container.getBlockBlobClient(file.name);
      log(`Writing ${file.container}/${file.name} (${file.megabytes} MiB) to Azurite as a stream…`);
      if (file.name.endsWith('.parquet')) await uploadParquet(blob, file.megabytes * MiB);
      else await blob.uploadStream(csvStream(file.megabytes * MiB), 4 * MiB, 2);
      sizes[file.container] = (await blob.getProperties()).contentLength ?? 0;
    }
    const sas = generateAccountSASQueryParameters(
      {
        expiresOn: new Date(Date.now() + 3600_000),
        permissions: AccountSASPermissions.parse('rl'),
        services: AccountSASServices.parse('b').toString(),
        resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
      },
      new StorageSharedKeyCredential(DEVSTORE_ACCOUNT, DEVSTORE_KEY),
    ).toString();
    const serviceUrl = `http://127.0.0.1:${ports.blob}/${DEVSTORE_ACCOUNT}`;
    const containers = files.map((f) => f.container);
    const results: Record<string, Awaited<ReturnType<typeof scanOne>> & { sizeMb: number }> = {};
    // Each scanned twice, small and large alternating, the best kept: the machine is shared and noisy.
    for (let round = 0; round < 2; round++)
      for (const container of containers) {
        const r = await scanOne(serviceUrl, sas, containers, container);
        if (!results[container] || r.seconds < results[container].seconds)
          results[container] = { ...r, sizeMb: Number((sizes[container] / MiB).toFixed(1)) };
      }
    const ratio = (large: string, small: string) =>
      Number((results[large].seconds / results[small].seconds).toFixed(2));
    const summary = {
      ...results,
      parquetRatio: ratio('parquet-large', 'parquet-small'),
      csvRatio: ratio('csv-large', 'csv-small'),
    };
    if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      for (const [name, r] of Object.entries(results))
        log(
          `  ${name.padEnd(14)} ${String(r.sizeMb).padStart(8)} MiB  scan ${r.seconds.toFixed(3)} s  read ${(r.bytesRead / 1024).toFixed(0)} KiB  ${r.columns} columns  ${r.status}`,
        );
      log(`  large / small: Parquet ${summary.parquetRatio}×, CSV ${summary.csvRatio}× (target ≤ 2×)`);
    }
  } finally {
    await azurite.stop(3000);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  ContainerSASPermissions,
  SASProtocol,
  StorageSharedKeyCredential,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';
import {
  QueueSASPermissions,
  QueueServiceClient,
  StorageSharedKeyCredential as QueueKeyCredential,
  generateQueueSASQueryParameters,
} from '@azure/storage-queue';
import { INGESTION_CONTAINER, INGESTION_QUEUE } from '@purview-emulator/contracts';
import { EMULATOR_CONFIG, EmulatorConfig } from '../config/emulator-config';
import { Clock } from '../common/clock';
import { PurviewError } from '../common/errors';

/** A data source endpoint resolved to the Azurite account that serves it. */
export interface ResolvedBlobEndpoint {
  accountName: string;
  /** Real-looking base of qualified names: https://{account}.blob.core.windows.net */
  qualifiedNameBase: string;
  /** Where Azurite really serves that account: {blobEndpoint}/{account} */
  serviceUrl: string;
}

/**
 * The emulator's view of Azure Storage, served by Azurite: which accounts exist, how real-looking endpoints
 * (https://{account}.blob.core.windows.net/) map onto Azurite's path-style URLs, and short-lived SAS tokens
 * for runtimes — the emulator's "managed identity" holds the account keys, runtimes only ever get SAS.
 */
@Injectable()
export class StorageAccountsService {
  constructor(
    @Inject(EMULATOR_CONFIG) private readonly config: EmulatorConfig,
    private readonly clock: Clock,
  ) {}

  /** Maps a data source endpoint (blob or dfs host of an Azurite account) to Azurite; throws 400 if no such account. */
  resolveBlobEndpoint(endpoint: string): ResolvedBlobEndpoint {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw PurviewError.badRequest(
        `The data source endpoint '${endpoint}' is not a valid URL; expected https://{account}.blob.core.windows.net/.`,
        'InvalidEndpoint',
      );
    }
    const match = /^([a-z0-9]{3,24})\.(blob|dfs)\.core\.windows\.net$/i.exec(url.hostname);
    if (!match) {
      throw PurviewError.badRequest(
        `The data source endpoint '${endpoint}' is not an Azure Storage endpoint; expected https://{account}.blob.core.windows.net/.`,
        'InvalidEndpoint',
      );
    }
    const accountName = match[1].toLowerCase();
    this.keyOf(accountName);
    return {
      accountName,
      qualifiedNameBase: `https://${accountName}.blob.core.windows.net`,
      serviceUrl: `${this.config.storage.blobEndpoint}/${accountName}`,
    };
  }

  /**
   * Read+list account SAS for scanning a source account, signed with the account key the emulator knows, or with
   * `accountKey` (a scan credential's key, right or wrong: storage then judges it, as it would the real key).
   */
  sourceSas(accountName: string, lifetimeSeconds: number, accountKey?: string): string {
    const credential = new StorageSharedKeyCredential(accountName, accountKey ?? this.keyOf(accountName));
    return generateAccountSASQueryParameters(
      {
        ...this.validity(lifetimeSeconds),
        permissions: AccountSASPermissions.parse('rl'),
        services: AccountSASServices.parse('b').toString(),
        resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
      },
      credential,
    ).toString();
  }

  /** Container URL with a create/write SAS, where runtimes upload ingestion batches. */
  ingestionContainerSasUrl(lifetimeSeconds: number): string {
    const account = this.config.storage.ingestionAccount;
    const sas = generateBlobSASQueryParameters(
      {
        containerName: INGESTION_CONTAINER,
        ...this.validity(lifetimeSeconds),
        permissions: ContainerSASPermissions.parse('cw'),
      },
      new StorageSharedKeyCredential(account, this.keyOf(account)),
    ).toString();
    return `${this.config.storage.blobEndpoint}/${account}/${INGESTION_CONTAINER}?${sas}`;
  }

  /** Queue URL with an add SAS, where runtimes announce ingestion batches. */
  ingestionQueueSasUrl(lifetimeSeconds: number): string {
    const account = this.config.storage.ingestionAccount;
    const sas = generateQueueSASQueryParameters(
      {
        queueName: INGESTION_QUEUE,
        ...this.validity(lifetimeSeconds),
        permissions: QueueSASPermissions.parse('a'),
      },
      new QueueKeyCredential(account, this.keyOf(account)),
    ).toString();
    return `${this.config.storage.queueEndpoint}/${account}/${INGESTION_QUEUE}?${sas}`;
  }

  blobServiceClient(accountName: string = this.config.storage.ingestionAccount): BlobServiceClient {
    return new BlobServiceClient(
      `${this.config.storage.blobEndpoint}/${accountName}`,
      new StorageSharedKeyCredential(accountName, this.keyOf(accountName)),
    );
  }

  queueServiceClient(accountName: string = this.config.storage.ingestionAccount): QueueServiceClient {
    return new QueueServiceClient(
      `${this.config.storage.queueEndpoint}/${accountName}`,
      new QueueKeyCredential(accountName, this.keyOf(accountName)),
    );
  }

  /** Every SAS: valid from five minutes ago (clock skew) for `lifetimeSeconds`, over http (Azurite) or https. */
  private validity(lifetimeSeconds: number): { startsOn: Date; expiresOn: Date; protocol: SASProtocol } {
    const now = this.clock.nowMs();
    return {
      startsOn: new Date(now - 5 * 60_000),
      expiresOn: new Date(now + lifetimeSeconds * 1000),
      protocol: SASProtocol.HttpsAndHttp,
    };
  }

  private keyOf(accountName: string): string {
    const account = this.config.storage.accounts.find((a) => a.name === accountName);
    if (!account) {
      throw PurviewError.badRequest(
        `The storage account '${accountName}' is not served by the emulator's Azurite. Known accounts: ${this.config.storage.accounts.map((a) => a.name).join(', ')}. Add it to AZURITE_ACCOUNTS (account:key) for both Azurite and the emulator.`,
        'StorageAccountNotFound',
      );
    }
    return account.key;
  }
}

import { Module } from '@nestjs/common';
import { StorageAccountsService } from './storage-accounts.service';

@Module({ providers: [StorageAccountsService], exports: [StorageAccountsService] })
export class StorageModule {}

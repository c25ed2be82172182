import { Module } from '@nestjs/common';
import { IntegrationRuntimesModule } from '../integration-runtimes/integration-runtimes.module';
import { AccountService } from './account.service';
import { ArmAccountsController } from './arm-accounts.controller';
import { AccountDataPlaneController, ServiceUrlsController } from './account-data-plane.controller';

/** The account itself: ARM `Microsoft.Purview/accounts`, the account data plane, and its service URLs. */
@Module({
  imports: [IntegrationRuntimesModule],
  controllers: [ArmAccountsController, AccountDataPlaneController, ServiceUrlsController],
  providers: [AccountService],
})
export class AccountModule {}

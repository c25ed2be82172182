import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SigningKeyEntity } from './signing-key.entity';
import { SigningKeysRepository } from './signing-keys.repository';
import { TokenService } from './token.service';
import { TokenController } from './token.controller';
import { BearerAuthGuard } from './bearer-auth.guard';
import { RolesGuard } from './roles.guard';

@Module({
  imports: [TypeOrmModule.forFeature([SigningKeyEntity])],
  controllers: [TokenController],
  providers: [SigningKeysRepository, TokenService, BearerAuthGuard, RolesGuard],
  exports: [TokenService, BearerAuthGuard, RolesGuard],
})
export class IdentityModule {}

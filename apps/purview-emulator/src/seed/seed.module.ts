import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { SeedService } from './seed.service';

/** The seed file: applied through the API itself, so it depends on nothing but identity (for its token). */
@Module({ imports: [IdentityModule], providers: [SeedService], exports: [SeedService] })
export class SeedModule {}

import { Module } from '@nestjs/common';
import { PortalController } from './portal.controller';

/** Serves the portal's static build at /portal/ (the redirect from / included). */
@Module({ controllers: [PortalController] })
export class PortalModule {}

import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'purview-emulator:public-route';
export const ARM_ROUTE = 'purview-emulator:arm-route';
export const OWN_CREDENTIAL = 'purview-emulator:own-credential';

/**
 * A route anyone may call, without a bearer token. Every other route needs one (BearerAuthGuard), so a route
 * is public only by saying so here, on its handler or its controller.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** An Azure Resource Manager route: it takes ARM tokens and answers with ARM's 401 codes. */
export const ArmRoute = (): MethodDecorator & ClassDecorator => SetMetadata(ARM_ROUTE, true);

/**
 * Marks a guard class that authenticates callers with a credential of its own (the node credential): the routes
 * it guards (`@UseGuards(ThatGuard)`) take no bearer token, and a route without it still needs one.
 */
export const AuthenticatesWithOwnCredential = (): ClassDecorator => SetMetadata(OWN_CREDENTIAL, true);

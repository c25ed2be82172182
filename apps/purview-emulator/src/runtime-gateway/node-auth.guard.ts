import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { NODE_AUTH_SCHEME } from '@purview-emulator/contracts';
import { PurviewError } from '../common/errors';
import { AuthenticatedNode, NodeSessionsService } from './node-sessions.service';
import { AuthenticatesWithOwnCredential } from '../identity/authentication.decorators';

const NODE = Symbol('node');

/** Runtime protocol calls after registration carry `Authorization: Node <credential>`, never the auth key. */
@Injectable()
@AuthenticatesWithOwnCredential()
export class NodeAuthGuard implements CanActivate {
  constructor(private readonly sessions: NodeSessionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const match = new RegExp(`^${NODE_AUTH_SCHEME}\\s+(\\S+)$`).exec(request.headers.authorization ?? '');
    if (!match)
      throw PurviewError.unauthorized(
        `Runtime calls need "Authorization: ${NODE_AUTH_SCHEME} <nodeCredential>" (the credential issued at registration).`,
        'MissingNodeCredential',
      );
    (request as unknown as Record<symbol, AuthenticatedNode>)[NODE] = await this.sessions.authenticateNode(match[1]);
    return true;
  }
}

export const CurrentNode = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedNode => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return (request as unknown as Record<symbol, AuthenticatedNode>)[NODE];
});

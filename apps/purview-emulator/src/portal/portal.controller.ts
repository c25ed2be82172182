import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../identity/authentication.decorators';
import { portalBuilt, portalDirectory, portalFile } from './portal-files';

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Purview Emulator portal</title></head>
<body style="font-family: 'Segoe UI', system-ui, sans-serif; margin: 3rem; max-width: 40rem">
<h1>The portal has not been built</h1>
<p>Build it from the repository root with <code>npm run build</code> (or <code>npm start</code>, which builds first),
then reload this page. The APIs work without it.</p></body></html>`;

/**
 * The governance portal: static files of the single-page app (apps/portal's build). Deliberately public, as any
 * web app's files are; every API call the app makes carries a token and is checked as any other caller's.
 */
@Controller()
@Public()
export class PortalController {
  private readonly directory = portalDirectory();

  @Get()
  root(@Res() reply: FastifyReply): void {
    void reply.redirect('/portal/', 302);
  }

  @Get('portal')
  index(@Res() reply: FastifyReply): void {
    this.send(reply, 'index.html');
  }

  @Get('portal/*')
  file(@Param('*') subPath: string, @Res() reply: FastifyReply): void {
    this.send(reply, subPath ?? '');
  }

  private send(reply: FastifyReply, subPath: string): void {
    if (!portalBuilt(this.directory)) {
      void reply.status(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
      return;
    }
    const file = portalFile(this.directory, subPath);
    // A missing script or style is a 404 (an HTML page in its place would fail obscurely); other paths are the app's.
    if (file === 'index.html' && /^\/?assets\//.test(subPath)) {
      void reply.status(404).type('text/plain; charset=utf-8').send(`No such portal file: ${subPath}`);
      return;
    }
    // Hashed asset names never change content; index.html must be fetched again to pick up a new build.
    if (file.startsWith('assets/'))
      void reply.sendFile(file, this.directory, { maxAge: 31_536_000_000, immutable: true });
    else void reply.header('cache-control', 'no-cache').sendFile(file, this.directory, { cacheControl: false });
  }
}
